/**
 * TPM 2.0 keys through core's signer seam against a real software TPM (swtpm), keys made by
 * tpm2-tools: every key form signs and the certificate's public key verifies; wrong, missing and
 * superfluous passwords, unknown handles and a missing TPM each give their one line.
 */
import assert from 'node:assert/strict';
import { verify, X509Certificate } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { IamraError, openTpmKey, parseTpmHandle, parseTss2Key, resolveTcti, type TpmKeyOptions } from '@iamra/core';
import { testDir } from '../../../../test/support/pki.js';
import { type RunningSwtpm, startSwtpm } from '../../../../test/support/swtpm.js';
import { makeTpmKeys, type TpmKeys, type TpmTestKey } from '../../../../test/support/tpm-keys.js';

async function rejectsWith(promise: unknown, code: string, pattern: RegExp): Promise<void> {
  await assert.rejects(
    Promise.resolve().then(() => promise),
    (error: unknown) => {
      assert.ok(error instanceof IamraError, String(error));
      assert.equal(error.code, code, error.message);
      assert.match(error.message, pattern);
      assert.doesNotMatch(error.toLine(), /\n/);
      return true;
    },
  );
}

describe('TPM 2.0 keys in a software TPM (swtpm, tpm2-tools)', function () {
  this.timeout(120_000);
  let tpm: RunningSwtpm;
  let keys: TpmKeys;
  let stateDir: string;

  before(async () => {
    stateDir = join(testDir(), 'swtpm-state');
    mkdirSync(stateDir);
    tpm = await startSwtpm({ stateDir, startupClear: true });
    keys = await makeTpmKeys(tpm, testDir());
  });
  after(async () => {
    await tpm?.stop();
  });

  const options = (key: TpmTestKey, extra: Partial<TpmKeyOptions> = {}): TpmKeyOptions => ({
    key: key.handle
      ? { kind: 'handle', handle: parseTpmHandle(key.handle) }
      : { kind: 'file', pem: readFileSync(key.keyPath, 'utf8'), path: key.keyPath },
    password: key.password,
    noPassword: false,
    env: { IAMRA_TPM_TCTI: tpm.tcti },
    ...extra,
  });

  async function signsForItsCertificate(key: TpmTestKey, extra: Partial<TpmKeyOptions> = {}): Promise<void> {
    const signer = await openTpmKey(options(key, extra));
    try {
      const certificate = new X509Certificate(readFileSync(key.certPath));
      assert.equal(await signer.matches(certificate), true);
      assert.equal(await signer.matches(new X509Certificate(keys.pki.rsaLeaf.certPem)), false);
      for (const digest of ['SHA256', 'SHA384'] as const) {
        const data = Buffer.from(`iamra ${digest} ${key.keyPath || key.handle}`);
        const signature = await signer.sign(data, digest);
        assert.equal(verify(digest, data, certificate.publicKey, signature), true, `${digest} signature`);
      }
    } finally {
      await signer.close();
    }
  }

  for (const name of ['rsa', 'ec', 'rsaWithPassword', 'ecWithPassword', 'ecP384', 'underPersistentParent'] as const) {
    it(`signs with a TSS2 key file: ${name}`, () => signsForItsCertificate(keys[name]));
  }

  it('signs with a persistent handle (handle:0x81000010) and its password', () =>
    signsForItsCertificate(keys.persistent));

  it('signs with a persistent handle that has no password (--no-tpm-key-password)', () =>
    signsForItsCertificate(keys.persistentNoPassword, { noPassword: true }));

  it('signs with a key file tpm2_encodeobject wrote (its emptyAuth as that version writes it)', async () => {
    const dir = testDir();
    const key = keys.ecWithPassword;
    const encode = async (keyAuthFlag: string[]) => {
      const out = join(dir, `encoded${keyAuthFlag.length}.pem`);
      const base = key.keyPath.replace(/\.tss2\.pem$/, '');
      await tpm.tool('tpm2_encodeobject', [
        '-C',
        'o',
        '-u',
        `${base}.pub`,
        '-r',
        `${base}.priv`,
        ...keyAuthFlag,
        '-o',
        out,
      ]);
      await tpm.tool('tpm2_flushcontext', ['-t']);
      return out;
    };
    // tpm2-tools 5.4 writes emptyAuth inverted (tpm2-tools issue 3458): take the encoding that says "has a password".
    let path = await encode([]);
    if (parseTss2Key(readFileSync(path, 'utf8')).emptyAuth) path = await encode(['-p']);
    await signsForItsCertificate({ ...key, keyPath: path });
  });

  it('a wrong password: TPM_PASSWORD_WRONG, the password not shown', async () => {
    for (const key of [keys.ecWithPassword, keys.persistent]) {
      const signer = await openTpmKey(options(key, { password: 'not-the-password-31415' }));
      await rejectsWith(
        signer.sign(Buffer.from('x')),
        'TPM_PASSWORD_WRONG',
        /refused the key password \(it is not shown\)/,
      );
    }
  });

  it('a key that has a password and none given: TPM_PASSWORD_REQUIRED before the TPM is asked', async () => {
    await rejectsWith(
      openTpmKey(options(keys.rsaWithPassword, { password: undefined, env: { IAMRA_TPM_TCTI: 'swtpm:port=1' } })),
      'TPM_PASSWORD_REQUIRED',
      /has a password; set IAMRA_TPM_KEY_PASSWORD/,
    );
    await rejectsWith(
      openTpmKey(options(keys.persistent, { password: undefined })),
      'TPM_PASSWORD_REQUIRED',
      /or give --no-tpm-key-password/,
    );
  });

  it('a password for a key without one (emptyAuth): CONFIG_INVALID, as the Go helper refuses it', async () => {
    await rejectsWith(
      openTpmKey(options(keys.ec, { password: 'something-8' })),
      'CONFIG_INVALID',
      /has no password \(emptyAuth\)/,
    );
  });

  it('an empty persistent handle: TPM_KEY_NOT_FOUND', async () => {
    const empty = { ...keys.persistent, handle: 'handle:0x81000099' };
    await rejectsWith(openTpmKey(options(empty)), 'TPM_KEY_NOT_FOUND', /no object at that handle/);
  });

  it('a key file damaged or of another kind: TPM_KEY_INVALID', async () => {
    const text = readFileSync(keys.ec.keyPath, 'utf8').replace(/[A-Za-z0-9+/]{64}\n/, 'AAAA\n');
    const broken = join(testDir(), 'broken.pem');
    writeFileSync(broken, text);
    await rejectsWith(openTpmKey(options({ ...keys.ec, keyPath: broken })), 'TPM_KEY_INVALID', /not usable/);
  });

  it('no TPM: TPM_UNAVAILABLE naming where it looked', async () => {
    assert.throws(
      () => resolveTcti({}, () => false),
      (error: unknown) =>
        error instanceof IamraError &&
        error.code === 'TPM_UNAVAILABLE' &&
        /no TPM found \(\/dev\/tpmrm0, \/dev\/tpm0 do not exist\); .*IAMRA_TPM_TCTI/.test(error.message),
    );
    const signer = await openTpmKey(options(keys.ec, { env: { TPM_DEVICE: join(testDir(), 'no-such-tpm') } }));
    await rejectsWith(
      signer.sign(Buffer.from('x')),
      'TPM_UNAVAILABLE',
      /cannot reach the TPM at .*no-such-tpm \(ENOENT\)/,
    );
  });

  it('after a TPM restart (no TPM2_Startup yet), the client starts it and persistent keys still sign', async () => {
    await tpm.stop();
    tpm = await startSwtpm({ stateDir, startupClear: false });
    await signsForItsCertificate(keys.persistent);
    await signsForItsCertificate(keys.underPersistentParent);
    await signsForItsCertificate(keys.ec);
  });
});
