/**
 * The emulator accepts AWS's Go aws_signing_helper, and iamra succeeds wherever it does: every
 * key type the service takes, with and without intermediates, and --intermediates bundles that
 * hold certificates off the leaf's path (which the Go helper sends as given).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '@iamra/cli';
import { type RunningEmulator, startEmulator } from '@iamra/emulator';
import { runCli } from '../support/cli-run.js';
import { convertKey, makePkcs12, testDir } from '../support/pki.js';
import { conformancePki, LEAF_KINDS, leafArgs, runGoHelper } from './support.js';

const FIELDS = ['Version', 'AccessKeyId', 'SecretAccessKey', 'SessionToken', 'Expiration'];

/** What a credential_process consumer reads: the same fields, the same types, a real expiry. */
function assertCredentialProcessOutput(stdout: string, who: string): void {
  const output = JSON.parse(stdout) as Record<string, unknown>;
  assert.deepEqual(Object.keys(output), FIELDS, who);
  assert.equal(output.Version, 1, who);
  assert.match(String(output.AccessKeyId), /^ASIA[A-Z2-7]{16}$/, who);
  for (const field of ['SecretAccessKey', 'SessionToken', 'Expiration']) assert.equal(typeof output[field], 'string');
  assert.ok(Date.parse(String(output.Expiration)) > Date.now(), who);
}

describe('aws_signing_helper against the emulator, and iamra beside it', function () {
  this.timeout(180_000);
  const pki = conformancePki('go cs');
  const dir = testDir();
  const bundle = (name: string, pems: string[]) => {
    const path = join(dir, name);
    writeFileSync(path, pems.join(''));
    return path;
  };
  const intermediateOnly = bundle('intermediate.pem', [pki.intermediate.certPem]);
  let emulator: RunningEmulator;

  before(async () => {
    emulator = await startEmulator({ cas: [pki.root.certPem], lifetimeMs: 170_000 });
  });
  after(() => emulator.stop());

  const arns = () => ({
    trustAnchorArn: emulator.trustAnchorArns[0] ?? '',
    profileArn: emulator.profileArn,
    roleArn: emulator.roleArns[0] ?? '',
  });

  async function both(args: string[]): Promise<void> {
    const before = emulator.stats().createSessionOk;
    const go = await runGoHelper(['credential-process', ...args]);
    assert.equal(go.code, 0, `aws_signing_helper: ${go.stderr}`);
    assertCredentialProcessOutput(go.stdout, 'aws_signing_helper');
    const ours = await runCli(main, ['credential-process', ...args, '--no-cache']);
    assert.equal(ours.exitCode, 0, `iamra: ${ours.stderr}`);
    assertCredentialProcessOutput(ours.stdout, 'iamra');
    assert.equal(emulator.stats().createSessionOk, before + 2, 'one CreateSession each, both accepted');
  }

  for (const kind of LEAF_KINDS) {
    it(`${kind}: a leaf under the intermediate, with --intermediates`, () =>
      both(leafArgs(pki.viaIntermediate[kind], arns(), emulator.endpoint, intermediateOnly)));
    it(`${kind}: a leaf issued by the trust anchor, without intermediates`, () =>
      both(leafArgs(pki.direct[kind], arns(), emulator.endpoint)));
  }

  describe('--intermediates holding certificates off the leaf path (sent as given)', () => {
    it('the intermediate and an unrelated CA', () =>
      both(
        leafArgs(
          pki.viaIntermediate.rsa2048,
          arns(),
          emulator.endpoint,
          bundle('with-stranger.pem', [pki.stranger.certPem, pki.intermediate.certPem]),
        ),
      ));
    it('the intermediate and the root', () =>
      both(
        leafArgs(
          pki.viaIntermediate.p256,
          arns(),
          emulator.endpoint,
          bundle('with-root.pem', [pki.intermediate.certPem, pki.root.certPem]),
        ),
      ));
    it('a leaf issued by the trust anchor, and an unrelated CA only', () =>
      both(leafArgs(pki.direct.p384, arns(), emulator.endpoint, bundle('stranger.pem', [pki.stranger.certPem]))));
  });

  it('a PKCS#12 file given as --certificate without --private-key, as the Go helper takes one', async () => {
    const leaf = pki.viaIntermediate.rsa2048;
    const p12 = join(dir, 'leaf.p12');
    // The Go helper reads PKCS#12 without a password, in the legacy 3DES/SHA-1 form only.
    writeFileSync(p12, makePkcs12(leaf, { password: '', legacy: true, extraCerts: [pki.intermediate] }));
    const args = leafArgs(leaf, arns(), emulator.endpoint);
    args.splice(0, 4, '--certificate', p12);
    const go = await runGoHelper(['credential-process', ...args]);
    // v1.4.0 reads the file, then refuses its own key type ("unsupported algorithm"); later versions may not.
    if (go.code === 0) assertCredentialProcessOutput(go.stdout, 'aws_signing_helper');
    else assert.match(go.stderr, /not a PEM certificate, so trying PKCS#12|unsupported algorithm/);
    const ours = await runCli(main, ['credential-process', ...args, '--no-cache']);
    assert.equal(ours.exitCode, 0, `iamra: ${ours.stderr}`);
    assertCredentialProcessOutput(ours.stdout, 'iamra');
  });

  describe('key files the Go helper reads', () => {
    const withKey = (leafArgs: string[], keyPath: string, certPath?: string) => {
      const args = [...leafArgs];
      args[args.indexOf('--private-key') + 1] = keyPath;
      if (certPath) args[args.indexOf('--certificate') + 1] = certPath;
      return args;
    };
    it('RSA PKCS#1 ("RSA PRIVATE KEY")', () => {
      const leaf = pki.direct.rsa2048;
      const key = bundle('pkcs1.key', [convertKey(leaf.key, ['-traditional']).toString()]);
      assert.match(readFileSync(key, 'utf8'), /^-----BEGIN RSA PRIVATE KEY-----/);
      return both(withKey(leafArgs(leaf, arns(), emulator.endpoint), key));
    });
    it('EC SEC1 ("EC PRIVATE KEY") after an EC PARAMETERS block, as openssl ecparam -genkey writes it', () => {
      const leaf = pki.direct.p384;
      const parameters = execFileSync('openssl', ['ecparam', '-name', 'secp384r1']).toString();
      const key = bundle('sec1.key', [parameters, convertKey(leaf.key, ['-traditional']).toString()]);
      assert.match(readFileSync(key, 'utf8'), /EC PARAMETERS[\s\S]*BEGIN EC PRIVATE KEY/);
      return both(withKey(leafArgs(leaf, arns(), emulator.endpoint), key));
    });
    it('one file with the certificate and the key, given as both --certificate and --private-key', () => {
      const leaf = pki.direct.p256;
      const combined = bundle('combined.pem', [leaf.certPem, leaf.keyPem]);
      return both(withKey(leafArgs(leaf, arns(), emulator.endpoint), combined, combined));
    });
  });

  it('neither gets credentials when the intermediate is missing (the service refuses, 403)', async () => {
    const args = leafArgs(pki.viaIntermediate.p256, arns(), emulator.endpoint);
    const go = await runGoHelper(['credential-process', ...args]);
    assert.notEqual(go.code, 0);
    assert.match(go.stderr, /AccessDeniedException: Untrusted Signing Certificate/);
    const ours = await runCli(main, ['credential-process', ...args, '--no-cache']);
    assert.equal(ours.exitCode, 3, ours.stderr);
    assert.match(ours.stderr, /^iamra: CREATE_SESSION_DENIED: .*Untrusted Signing Certificate/);
  });
});
