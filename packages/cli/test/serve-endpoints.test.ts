/** serve's HTTP guards and the container endpoint, in process: Host check, token, never a stale credential. */
import assert from 'node:assert/strict';
import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { IamraError, type SessionCredentials } from '@iamra/core';
import { testDir } from '../../../test/support/pki.js';
import { sessionCredentials } from '../../../test/support/session-credentials.js';
import { openContainerToken } from '../src/imds/container-token.js';
import { parseListenAddress } from '../src/imds/listen.js';
import { type RunningImds, startImds } from '../src/imds/server.js';

const credentials = (expiration: Date, overrides: Partial<SessionCredentials> = {}) =>
  sessionCredentials(expiration, { secretAccessKey: 'secret', ...overrides });

/** node:http, not fetch: the Host header must be ours to choose. */
function get(server: RunningImds, path: string, headers: Record<string, string>) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const url = new URL(server.url);
    const call = request({ host: url.hostname.replace(/^\[|\]$/g, ''), port: server.port, path, headers }, (res) => {
      let body = '';
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    call.on('error', reject);
    call.end();
  });
}

describe('serve endpoints', () => {
  const now = new Date('2026-01-01T00:00:00Z');
  let current: SessionCredentials | undefined;
  let server: RunningImds;
  let tokenFile: string;

  before(async () => {
    tokenFile = join(testDir(), 'token');
    server = await startImds({
      port: 0,
      roleName: 'deploy',
      current: () => current,
      now: () => now,
      containerToken: openContainerToken(tokenFile),
    });
  });
  after(() => server.stop());
  beforeEach(() => {
    current = credentials(new Date(now.getTime() + 3_600_000));
  });

  const token = () => readFileSync(tokenFile, 'utf8').trim();
  const host = () => `127.0.0.1:${server.port}`;

  it('generates the token into a new 0600 file and answers the four fields with it', async () => {
    assert.equal(statSync(tokenFile).mode & 0o777, 0o600);
    assert.match(token(), /^[\w-]{43}$/);
    const answer = await get(server, '/v1/credentials', { Host: host(), Authorization: token() });
    assert.equal(answer.status, 200);
    assert.deepEqual(JSON.parse(answer.body), {
      AccessKeyId: 'ASIAEXAMPLEEXAMPLE01',
      SecretAccessKey: 'secret',
      Token: 'token',
      Expiration: '2026-01-01T01:00:00.000Z',
    });
    assert.equal(server.containerUrl, `http://127.0.0.1:${server.port}/v1/credentials`);
  });

  it('401 without the token or with a wrong one', async () => {
    assert.equal((await get(server, '/v1/credentials', { Host: host() })).status, 401);
    assert.equal((await get(server, '/v1/credentials', { Host: host(), Authorization: `${token()}x` })).status, 401);
    assert.equal((await get(server, '/v1/credentials', { Host: host(), Authorization: 'x'.repeat(43) })).status, 401);
  });

  it('500, never a credential, when it is expired, incomplete or missing', async () => {
    for (const value of [
      credentials(now),
      credentials(new Date(now.getTime() + 60_000), { sessionToken: '' }),
      credentials(new Date(now.getTime() + 60_000), { accessKeyId: '' }),
      undefined,
    ]) {
      current = value;
      const answer = await get(server, '/v1/credentials', { Host: host(), Authorization: token() });
      assert.equal(answer.status, 500);
      assert.ok(!answer.body.includes('secret'));
    }
  });

  it('403 for a Host that is a name (DNS rebinding), another port, or a forwarded request', async () => {
    for (const headers of [
      { Host: `attacker.example:${server.port}` },
      { Host: '127.0.0.1:1' },
      { Host: '127.0.0.1' },
      { Host: host(), 'X-Forwarded-For': '10.0.0.1' },
    ]) {
      const answer = await get(server, '/v1/credentials', { ...headers, Authorization: token() });
      assert.equal(answer.status, 403, JSON.stringify(headers));
    }
    assert.equal(
      (await get(server, '/v1/credentials', { Host: `localhost:${server.port}`, Authorization: token() })).status,
      200,
    );
  });

  it('reads a changed token file again (a rotated Secret), and keeps the last good token if it breaks', async () => {
    const dir = testDir();
    const file = join(dir, 'given');
    writeFileSync(file, 'first-token-0123456789\n');
    const given = openContainerToken(file);
    assert.equal(given.generated, false);
    assert.ok(given.matches('first-token-0123456789'));
    writeFileSync(file, 'second-token-0123456789-longer\n');
    assert.ok(given.matches('second-token-0123456789-longer'));
    assert.ok(!given.matches('first-token-0123456789'));
    rmSync(file);
    assert.ok(given.matches('second-token-0123456789-longer'), 'a vanished file keeps the last good token');
    assert.throws(
      () => openContainerToken(join(dir, 'missing-dir', 'x')),
      (error: unknown) => error instanceof IamraError && error.code === 'FILE_UNREADABLE',
    );
    writeFileSync(join(dir, 'short'), 'abc');
    assert.throws(() => openContainerToken(join(dir, 'short')), /16 to 4096 printable characters/);
  });

  it('listen addresses', () => {
    assert.deepEqual(parseListenAddress('::1'), { address: '::1', urlHost: '[::1]', loopback: true });
    assert.deepEqual(parseListenAddress('[::1]'), { address: '::1', urlHost: '[::1]', loopback: true });
    assert.deepEqual(parseListenAddress('0.0.0.0'), { address: '0.0.0.0', urlHost: '127.0.0.1', loopback: true });
    assert.deepEqual(parseListenAddress('10.1.2.3'), { address: '10.1.2.3', urlHost: '10.1.2.3', loopback: false });
    assert.throws(() => parseListenAddress('localhost'), /--listen must be an IPv4 or IPv6 address/);
  });
});
