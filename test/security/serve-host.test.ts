/**
 * Defect 4: `iamra serve` and DNS rebinding. A page whose name re-resolves to 127.0.0.1 reaches
 * the server through the victim's browser, but its requests carry `Host: attacker.example:PORT`.
 * Only the names the server listens under get a token or credentials; the allowed set follows
 * the bound address.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import type { SessionCredentials } from '@iamra/core';
import { allowedHosts } from '../../packages/cli/src/imds/allowed-hosts.js';
import { type RunningImds, startImds } from '../../packages/cli/src/imds/server.js';

const CREDENTIALS: SessionCredentials = {
  accessKeyId: 'ASIASERVEHOSTTEST001',
  secretAccessKey: 'serve-host-secret',
  sessionToken: 'serve-host-token',
  expiration: new Date(Date.now() + 3_600_000),
  assumedRoleArn: 'arn:aws:sts::123456789012:assumed-role/deploy/s',
  assumedRoleId: 'AROA:s',
  roleArn: 'arn:aws:iam::123456789012:role/deploy',
  sourceIdentity: 'CN=x',
  accountId: '123456789012',
  subjectArn: undefined,
};

function call(
  port: number,
  method: string,
  path: string,
  headers: Record<string, string>,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request({ host: '127.0.0.1', port, method, path, headers, setHost: false }, (response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    request.on('error', reject);
    request.end();
  });
}

describe('security: serve refuses foreign Host names (DNS rebinding)', () => {
  let imds: RunningImds;
  before(async () => {
    imds = await startImds({ port: 0, roleName: 'deploy', current: () => CREDENTIALS, now: () => new Date() });
  });
  after(() => imds.stop());

  const token = (host: string) =>
    call(imds.port, 'PUT', '/latest/api/token', { Host: host, 'X-aws-ec2-metadata-token-ttl-seconds': '60' });
  const credentials = (host: string, value: string) =>
    call(imds.port, 'GET', '/latest/meta-data/iam/security-credentials/deploy', {
      Host: host,
      'X-aws-ec2-metadata-token': value,
    });

  const foreign = (port: number) => [
    `attacker.example:${port}`,
    'attacker.example',
    `127.0.0.1.attacker.example:${port}`,
    `localhost.:${port}`,
    `127.0.0.1:${port + 1}`,
    `127.0.0.1:${port}@attacker.example`,
    '',
  ];

  it('a PUT for a token with Host: attacker.example (and its variants) gets no token', async () => {
    for (const host of foreign(imds.port)) {
      const result = await token(host);
      assert.equal(result.status, 403, host);
      assert.doesNotMatch(result.body, /[A-Za-z0-9_-]{20,}/, `no token for ${host}`);
    }
  });

  it('a GET with a valid token but Host: attacker.example gets no credentials', async () => {
    const good = await token(`127.0.0.1:${imds.port}`);
    assert.equal(good.status, 200);
    for (const host of foreign(imds.port)) {
      const result = await credentials(host, good.body);
      assert.equal(result.status, 403, host);
      assert.ok(!result.body.includes('serve-host-secret'));
    }
  });

  it('the names it listens under still work: 127.0.0.1, localhost, [::1], any case', async () => {
    for (const host of [
      `127.0.0.1:${imds.port}`,
      `localhost:${imds.port}`,
      `LOCALHOST:${imds.port}`,
      `[::1]:${imds.port}`,
    ]) {
      const got = await token(host);
      assert.equal(got.status, 200, host);
      const answer = await credentials(host, got.body);
      assert.equal(answer.status, 200, host);
      assert.match(answer.body, /ASIASERVEHOSTTEST001/);
    }
  });

  it('the allowed set is a function of the bound address', () => {
    assert.deepEqual([...allowedHosts('127.0.0.1', 9911)].sort(), ['127.0.0.1:9911', '[::1]:9911', 'localhost:9911']);
    assert.deepEqual([...allowedHosts('192.0.2.10', 8080)], ['192.0.2.10:8080']);
    assert.deepEqual([...allowedHosts('::1', 9911)].sort(), ['127.0.0.1:9911', '[::1]:9911', 'localhost:9911']);
    assert.ok(allowedHosts('0.0.0.0', 9911).has('127.0.0.1:9911'));
    assert.ok(!allowedHosts('0.0.0.0', 9911).has('attacker.example:9911'));
    assert.ok(allowedHosts('127.0.0.1', 80).has('localhost'), 'port 80 may be left out of Host');
  });
});
