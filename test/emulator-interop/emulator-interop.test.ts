/**
 * The emulator against signers: ours and AWS Labs' Python reference (iam-rolesanywhere-session),
 * for RSA and EC, with and without a chain, ARNs in body and query; and the rejections the
 * service makes. Then real clients (AWS CLI v2, AWS SDK v3) against its STS.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { createSession, IamraError, loadSigningMaterial, resolveSessionParameters } from '@iamra/core';
import { type RunningEmulator, startEmulator } from '@iamra/emulator';
import { isolatedAwsEnv, peers } from '../support/peers.js';
import { type IssuedCert, makeCertificate, makeCrl, makePki } from '../support/pki.js';

const here = dirname(fileURLToPath(import.meta.url));
const run = promisify(execFile);

describe('emulator interop', function () {
  this.timeout(120_000);
  const pki = makePki({ subjectPrefix: 'interop' });
  const revoked = makeCertificate({ key: 'p256', issuer: pki.intermediate, subject: '/CN=revoked' });
  const expired = makeCertificate({
    key: 'p256',
    issuer: pki.intermediate,
    subject: '/CN=expired',
    notBefore: new Date('2020-01-01'),
    notAfter: new Date('2021-01-01'),
  });
  const stranger = makePki({ subjectPrefix: 'stranger' });
  let emulator: RunningEmulator;
  const otherRole = 'arn:aws:iam::123456789012:role/not-in-profile';

  before(async () => {
    emulator = await startEmulator({
      cas: [pki.root.certPem],
      crls: [makeCrl(pki.intermediate, [revoked])],
      lifetimeMs: 115_000,
    });
  });
  after(() => emulator.stop());

  const arns = () => ({
    trustAnchorArn: emulator.trustAnchorArns[0] ?? '',
    profileArn: emulator.profileArn,
    roleArn: emulator.roleArns[0] ?? '',
  });

  async function ours(
    leaf: IssuedCert,
    options: { chain?: boolean; arnsIn?: 'query' | 'body'; roleArn?: string } = {},
  ) {
    // Expired leaves are loaded as of a date they were valid: the emulator, not preflight, must refuse them.
    const now = leaf.certPem === expired.certPem ? new Date('2020-06-01') : new Date();
    const { material } = await loadSigningMaterial(
      {
        certificate: leaf.certPem,
        privateKey: leaf.keyPem,
        ...(options.chain === false ? {} : { intermediates: [pki.intermediate.certPem] }),
      },
      { now },
    );
    const params = resolveSessionParameters({ ...arns(), ...(options.roleArn ? { roleArn: options.roleArn } : {}) });
    return createSession({
      material,
      params,
      endpoint: emulator.endpoint,
      arnsIn: options.arnsIn ?? 'query',
      retry: { maxAttempts: 1 },
    });
  }

  async function python(
    leaf: IssuedCert,
    options: { chain?: boolean; arnsIn?: 'query' | 'body'; tamper?: string } = {},
  ): Promise<{ status: number; body: string }> {
    const a = arns();
    const query = `profileArn=${encodeURIComponent(a.profileArn)}&roleArn=${encodeURIComponent(a.roleArn)}&trustAnchorArn=${encodeURIComponent(a.trustAnchorArn)}`;
    const url = `${emulator.endpoint}/sessions${options.arnsIn === 'query' ? `?${query}` : ''}`;
    const body = options.arnsIn === 'query' ? { durationSeconds: 3600 } : { durationSeconds: 3600, ...a };
    const spec = {
      url,
      certificate: leaf.certPem,
      private_key: leaf.keyPem,
      ...(options.chain === false ? {} : { chain: pki.intermediate.certPem }),
      body,
      tamper: options.tamper ?? null,
    };
    const child = execFile(peers.python(), [join(here, 'python_signer.py')]);
    child.stdin?.end(JSON.stringify(spec));
    let out = '';
    child.stdout?.on('data', (chunk) => (out += chunk));
    await new Promise((resolve) => child.on('close', resolve));
    return JSON.parse(out) as { status: number; body: string };
  }

  describe('accepts', () => {
    for (const [name, leaf] of [
      ['RSA', pki.rsaLeaf],
      ['EC', pki.ecLeaf],
    ] as const) {
      for (const chain of [true, false]) {
        for (const arnsIn of ['query', 'body'] as const) {
          const label = `${name}, ${chain ? 'with' : 'without'} chain, ARNs in ${arnsIn}`;
          it(`our signer: ${label}`, async () => {
            if (!chain) {
              // Without the chain the leaf cannot reach the root: the emulator must refuse.
              await assert.rejects(ours(leaf, { chain, arnsIn }), /Untrusted Signing Certificate/);
              return;
            }
            const { credentials } = await ours(leaf, { chain, arnsIn });
            assert.match(credentials.accessKeyId, /^ASIA[A-Z2-7]{16}$/);
            assert.equal(credentials.sourceIdentity, `CN=interop ${name.toLowerCase()} leaf`);
            assert.match(credentials.assumedRoleArn, /^arn:aws:sts::123456789012:assumed-role\/iamra-demo\/[0-9a-f]+$/);
          });
          it(`Python reference signer: ${label}`, async () => {
            const result = await python(leaf, { chain, arnsIn });
            if (!chain) {
              assert.equal(result.status, 403, result.body);
              return;
            }
            assert.equal(result.status, 201, result.body);
            assert.match(result.body, /"accessKeyId":"ASIA/);
          });
        }
      }
    }

    it('a leaf issued directly by the trust anchor needs no chain', async () => {
      const direct = makeCertificate({ key: 'rsa2048', issuer: pki.root, subject: '/CN=direct' });
      const { credentials } = await ours(direct, { chain: false });
      assert.equal(credentials.sourceIdentity, 'CN=direct');
      assert.equal((await python(direct, { chain: false })).status, 201);
    });
  });

  describe('rejects', () => {
    const denied = async (promise: Promise<unknown>, message: RegExp) =>
      assert.rejects(promise, (error: unknown) => {
        assert.ok(error instanceof IamraError);
        assert.equal(error.code, 'CREATE_SESSION_DENIED');
        assert.match(error.message, message);
        return true;
      });

    it('a tampered body', async () => {
      const result = await python(pki.ecLeaf, { tamper: 'body' });
      assert.equal(result.status, 403);
      assert.match(result.body, /Invalid signature/);
    });
    it('a tampered signature', async () => {
      const result = await python(pki.rsaLeaf, { tamper: 'signature' });
      assert.equal(result.status, 403);
      assert.match(result.body, /Invalid signature/);
    });
    it('a serial in hex instead of decimal', async () => {
      const result = await python(pki.rsaLeaf, { tamper: 'serial-hex' });
      assert.equal(result.status, 403);
      assert.match(result.body, /Invalid signature/);
    });
    it('an untrusted CA', () => denied(createFromOtherPki(), /Untrusted Signing Certificate/));
    it('an expired certificate', async () => {
      const result = await python(expired);
      assert.equal(result.status, 403);
      assert.match(result.body, /Untrusted Signing Certificate/);
    });
    it('a CA used as leaf', async () => {
      const result = await python(pki.intermediate, { chain: false });
      assert.equal(result.status, 403);
      assert.match(result.body, /Untrusted Signing Certificate/);
    });
    it('a revoked certificate', () => denied(ours(revoked), /Untrusted Signing Certificate/));
    it('a role not in the profile', () => denied(ours(pki.rsaLeaf, { roleArn: otherRole }), /not part of profile/));
    it('a disabled trust anchor', async () => {
      const anchor = emulator.model.trustAnchors[0];
      assert.ok(anchor);
      anchor.enabled = false;
      try {
        await denied(ours(pki.rsaLeaf), /Untrusted Signing Certificate/);
      } finally {
        anchor.enabled = true;
      }
    });

    async function createFromOtherPki() {
      const { material } = await loadSigningMaterial(
        {
          certificate: stranger.rsaLeaf.certPem,
          privateKey: stranger.rsaLeaf.keyPem,
          intermediates: [stranger.intermediate.certPem],
        },
        { now: new Date() },
      );
      return createSession({
        material,
        params: resolveSessionParameters(arns()),
        endpoint: emulator.endpoint,
        retry: { maxAttempts: 1 },
      });
    }
  });

  describe('STS with real clients', () => {
    it('the AWS CLI v2 calls get-caller-identity with issued credentials; a wrong secret gets SignatureDoesNotMatch', async () => {
      const { credentials } = await ours(pki.rsaLeaf);
      const home = mkdtempSync(join(tmpdir(), 'iamra-cli-home-'));
      const base = {
        AWS_ACCESS_KEY_ID: credentials.accessKeyId,
        AWS_SESSION_TOKEN: credentials.sessionToken,
        AWS_REGION: 'us-east-1',
      };
      const ok = await run(
        peers.awsCli(),
        ['sts', 'get-caller-identity', '--endpoint-url', emulator.stsEndpoint, '--output', 'json'],
        { env: isolatedAwsEnv(home, { ...base, AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey }) },
      );
      const identity = JSON.parse(ok.stdout) as { Arn: string; Account: string };
      assert.equal(identity.Arn, credentials.assumedRoleArn);
      assert.equal(identity.Account, '123456789012');
      // Async: a synchronous child would block this process, and with it the in-process emulator.
      await assert.rejects(
        run(peers.awsCli(), ['sts', 'get-caller-identity', '--endpoint-url', emulator.stsEndpoint], {
          env: isolatedAwsEnv(home, { ...base, AWS_SECRET_ACCESS_KEY: `${credentials.secretAccessKey.slice(0, -1)}x` }),
        }),
        (error: Error & { stderr?: string }) => {
          assert.match(String(error.stderr), /SignatureDoesNotMatch/);
          return true;
        },
      );
    });

    it('the AWS SDK v3 calls GetCallerIdentity; a wrong secret gets SignatureDoesNotMatch', async () => {
      const { credentials } = await ours(pki.ecLeaf);
      const client = (secretAccessKey: string) =>
        new STSClient({
          region: 'us-east-1',
          endpoint: emulator.stsEndpoint,
          credentials: {
            accessKeyId: credentials.accessKeyId,
            secretAccessKey,
            sessionToken: credentials.sessionToken,
          },
        });
      const identity = await client(credentials.secretAccessKey).send(new GetCallerIdentityCommand({}));
      assert.equal(identity.Arn, credentials.assumedRoleArn);
      await assert.rejects(client(`x${credentials.secretAccessKey.slice(1)}`).send(new GetCallerIdentityCommand({})), {
        name: 'SignatureDoesNotMatch',
      });
    });
  });
});
