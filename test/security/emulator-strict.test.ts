/**
 * Defect 10: the emulator must refuse what the service refuses, or users learn of their mistakes
 * only in production. A path through a CA whose pathlen forbids it; an STS request whose body is
 * not the one its x-amz-content-sha256 (and signature) declare; an STS X-Amz-Date more than
 * 5 minutes from the clock (SigV4's replay window; STS says "Signature expired").
 */
import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { main } from '@iamra/cli';
import { type RunningEmulator, startEmulator } from '@iamra/emulator';
import { runCli } from '../support/cli-run.js';
import { emulatorFlags } from '../support/emulator-process.js';
import { type IssuedCert, makeCertificate } from '../support/pki.js';

const sha256 = (data: string) => createHash('sha256').update(data).digest('hex');
const hmac = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data).digest();

interface Keys {
  AccessKeyId: string;
  SecretAccessKey: string;
  SessionToken: string;
}

/** SigV4 for STS written out here (independent of the emulator and of core), then sent. */
async function callSts(
  endpoint: string,
  keys: Keys,
  options: { signedBody: string; sentBody?: string; date: Date },
): Promise<{ status: number; body: string }> {
  const url = new URL(endpoint);
  const amzDate = options.date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
  const day = amzDate.slice(0, 8);
  const payloadHash = sha256(options.signedBody);
  const headers: Record<string, string> = {
    'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
    host: url.host,
    'x-amz-content-sha256': payloadHash,
    'x-amz-date': amzDate,
    'x-amz-security-token': keys.SessionToken,
  };
  const names = Object.keys(headers).sort();
  const canonical = [
    'POST',
    '/',
    '',
    ...names.map((name) => `${name}:${headers[name]}`),
    '',
    names.join(';'),
    payloadHash,
  ].join('\n');
  const scope = `${day}/us-east-1/sts/aws4_request`;
  const stringToSign = `AWS4-HMAC-SHA256\n${amzDate}\n${scope}\n${sha256(canonical)}`;
  const key = hmac(hmac(hmac(hmac(`AWS4${keys.SecretAccessKey}`, day), 'us-east-1'), 'sts'), 'aws4_request');
  const signature = hmac(key, stringToSign).toString('hex');
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: {
      ...headers,
      authorization: `AWS4-HMAC-SHA256 Credential=${keys.AccessKeyId}/${scope}, SignedHeaders=${names.join(';')}, Signature=${signature}`,
    },
    body: options.sentBody ?? options.signedBody,
  });
  return { status: response.status, body: await response.text() };
}

describe('security: the emulator is as strict as the service', function () {
  this.timeout(60_000);
  const root0 = makeCertificate({ key: 'p256', ca: true, pathLength: 0, subject: '/CN=strict root pathlen 0' });
  const root1 = makeCertificate({ key: 'p256', ca: true, pathLength: 1, subject: '/CN=strict root pathlen 1' });
  let emulator: RunningEmulator;

  before(async () => {
    emulator = await startEmulator({ cas: [root0.certPem, root1.certPem] });
  });
  after(() => emulator.stop());

  const ca = (issuer: IssuedCert, name: string, pathLength?: number) =>
    makeCertificate({
      key: 'p256',
      ca: true,
      issuer,
      subject: `/CN=${name}`,
      ...(pathLength !== undefined ? { pathLength } : {}),
    });
  const leafOf = (issuer: IssuedCert) => makeCertificate({ key: 'p256', issuer, subject: '/CN=strict leaf' });

  async function session(leaf: IssuedCert, chain: IssuedCert[], anchor: number) {
    const flags = ['--certificate', leaf.certPath, '--private-key', leaf.keyPath];
    for (const certificate of chain) flags.push('--intermediates', certificate.certPath);
    const [, , ...rest] = emulatorFlags(emulator);
    return runCli(main, [
      'credential-process',
      ...flags,
      '--trust-anchor-arn',
      emulator.trustAnchorArns[anchor] ?? emulator.trustAnchorArns[0] ?? '',
      ...rest,
      '--no-cache',
      '--retry-max-attempts',
      '1',
    ]);
  }

  it('a chain through a pathlen:0 root to another CA is refused; directly under it is fine', async () => {
    const anchor = 0; // one trust anchor per CA, in order: root0, root1
    const intermediate = ca(root0, 'under pathlen 0');
    const refused = await session(leafOf(intermediate), [intermediate], anchor);
    assert.equal(refused.exitCode, 3, refused.stderr);
    assert.match(refused.stderr, /CREATE_SESSION_DENIED/);
    const direct = await session(leafOf(root0), [], anchor);
    assert.equal(direct.exitCode, 0, direct.stderr);
  });

  it('pathlen:1 allows one CA below, not two; an intermediate with pathlen:0 allows none below it', async () => {
    const one = ca(root1, 'one below pathlen 1');
    assert.equal((await session(leafOf(one), [one], 1)).exitCode, 0);
    const two = ca(one, 'two below pathlen 1');
    assert.equal((await session(leafOf(two), [two, one], 1)).exitCode, 3);
    const tight = ca(root1, 'intermediate pathlen 0', 0);
    const below = ca(tight, 'below a pathlen 0 intermediate');
    assert.equal((await session(leafOf(below), [below, tight], 1)).exitCode, 3);
  });

  describe('STS', () => {
    let keys: Keys;
    before(async () => {
      const leaf = leafOf(root0);
      const result = await session(leaf, [], 0);
      assert.equal(result.exitCode, 0, result.stderr);
      keys = JSON.parse(result.stdout) as Keys;
    });
    const body = 'Action=GetCallerIdentity&Version=2011-06-15';

    it('a correctly signed GetCallerIdentity answers', async () => {
      const answer = await callSts(emulator.stsEndpoint, keys, { signedBody: body, date: new Date() });
      assert.equal(answer.status, 200, answer.body);
    });

    it('a body that differs from its signed x-amz-content-sha256 is refused (XAmzContentSHA256Mismatch)', async () => {
      const answer = await callSts(emulator.stsEndpoint, keys, {
        signedBody: body,
        sentBody: 'Action=GetCallerIdentity&Version=2011-06-15&Extra=smuggled',
        date: new Date(),
      });
      assert.equal(answer.status, 400, answer.body);
      assert.match(answer.body, /XAmzContentSHA256Mismatch/);
    });

    const times: [string, number, number][] = [
      ['a day old', -86_400_000, 403],
      ['6 minutes old', -6 * 60_000, 403],
      ['6 minutes ahead', 6 * 60_000, 403],
      ['4 minutes old (inside the window)', -4 * 60_000, 200],
    ];
    for (const [name, offset, status] of times) {
      it(`an X-Amz-Date ${name} gets ${status}`, async () => {
        const answer = await callSts(emulator.stsEndpoint, keys, {
          signedBody: body,
          date: new Date(Date.now() + offset),
        });
        assert.equal(answer.status, status, answer.body);
        if (status === 403) assert.match(answer.body, /Signature expired/);
      });
    }
  });
});
