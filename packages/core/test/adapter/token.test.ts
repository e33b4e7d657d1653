/** The CI adapters' token path on SoftHSM2: obtainSession signs on it and closes it; profiles name it. */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  IamraError,
  obtainSession,
  readIniSection,
  resolveSessionParameters,
  tokenFromInputs,
  writeProfileFiles,
} from '@iamra/core';
import { type RunningEmulator, startEmulator } from '@iamra/emulator';
import { testDir } from '../../../../test/support/pki.js';
import { withProcessEnv } from '../../../../test/support/process-env.js';
import { makeSoftToken, type SoftToken, USER_PIN } from '../../../../test/support/softhsm.js';
import { openTokenMaterial } from '../../src/adapter/token-material.js';

describe('adapter helpers with a key on a PKCS#11 token (SoftHSM2)', function () {
  this.timeout(60_000);
  let token: SoftToken;
  let emulator: RunningEmulator;
  before(async () => {
    token = makeSoftToken({ label: 'iamra-adapter' });
    emulator = await startEmulator({ cas: [token.pki.root.certPem], lifetimeMs: 55_000 });
  });
  after(() => emulator.stop());
  const onToken = <T>(body: () => Promise<T>) => withProcessEnv(token.env, body);

  const sessionInput = () => ({
    material: { intermediates: [token.pki.intermediate.certPem] },
    session: {
      trustAnchorArn: emulator.trustAnchorArns[0] ?? '',
      profileArn: emulator.profileArn,
      roleArn: emulator.roleArns[0] ?? '',
    },
    endpoint: emulator.endpoint,
    proxy: 'none',
  });

  it('obtainSession signs CreateSession on the token (certificate and key there, PIN given)', async () => {
    const session = await onToken(() =>
      obtainSession(
        { ...sessionInput(), token: { certificate: token.ec.certUri, modulePath: token.module, pin: USER_PIN } },
        { now: () => new Date(), env: {} },
      ),
    );
    assert.equal(session.credentials.sourceIdentity, 'CN=hsm ec leaf');
    assert.equal(session.material.keyType, 'ec');
  });

  it('obtainSession takes the PIN from IAMRA_PKCS11_PIN without a PIN input, and a wrong one is refused', async () => {
    const input = { ...sessionInput(), token: { certificate: token.rsa.certUri, modulePath: token.module } };
    const ok = await onToken(() =>
      obtainSession(input, { now: () => new Date(), env: { IAMRA_PKCS11_PIN: USER_PIN } }),
    );
    assert.equal(ok.credentials.sourceIdentity, 'CN=hsm rsa leaf');
    await onToken(() =>
      assert.rejects(
        obtainSession(input, { now: () => new Date(), env: { IAMRA_PKCS11_PIN: 'wrong-pin-1618' } }),
        (error: unknown) => error instanceof IamraError && error.code === 'PKCS11_PIN_WRONG',
      ),
    );
  });

  it('openTokenMaterial: nothing to open without a token; a key file beside a token certificate keeps the file key', async () => {
    const material = { certificate: 'x' };
    const none = await openTokenMaterial(material, undefined, {});
    assert.equal(none.material, material);
    await none.close();
    const opened = await onToken(() =>
      openTokenMaterial(
        { privateKey: 'a key from a file' },
        { certificate: token.rsa.certUri, modulePath: token.module, pin: USER_PIN },
        {},
      ),
    );
    assert.equal(opened.material.signer, undefined, 'the token key is not opened');
    assert.ok(Buffer.isBuffer(opened.material.certificate));
    await opened.close();
  });

  it('writeProfileFiles: URIs, module and --reuse-pin on the line; one 0600 file per distinct PIN; no key file', () => {
    const tempDir = testDir();
    const files = writeProfileFiles({
      tempDir,
      profileName: 'hsm',
      material: { intermediates: [token.pki.intermediate.certPem] },
      token: {
        certificate: `${token.rsa.certUri}?pin-value=cert-pin-value`,
        privateKey: token.rsa.keyUri,
        modulePath: token.module,
        reusePin: true,
        pin: USER_PIN,
      },
      params: resolveSessionParameters(sessionInput().session),
      nodePath: '/usr/bin/node',
      cliPath: '/opt/iamra/cli.js',
      platform: 'linux',
    });
    assert.deepEqual(readdirSync(files.profileDir).sort(), ['intermediates-1', 'pkcs11-pin', 'pkcs11-pin-2']);
    const pins = ['pkcs11-pin', 'pkcs11-pin-2'].map((name) => join(files.profileDir, name));
    assert.deepEqual(
      pins.map((path) => readFileSync(path, 'utf8')),
      ['cert-pin-value', USER_PIN],
    );
    for (const path of pins) assert.equal(statSync(path).mode & 0o777, 0o600);
    const line = readIniSection(readFileSync(files.configFile, 'utf8'), 'profile hsm')?.credential_process ?? '';
    assert.ok(line.includes(`${token.rsa.certUri}?pin-source=file:${pins[0]}`), line);
    assert.ok(line.includes(`${token.rsa.keyUri}?pin-source=file:${pins[1]}`), line);
    assert.match(line, / --pkcs11-lib \S+libsofthsm2\.so --reuse-pin /);
    assert.ok(!line.includes('cert-pin-value') && !line.includes(USER_PIN));
  });

  it('tokenFromInputs: URIs checked, the PIN input over IAMRA_PKCS11_PIN, token inputs without a URI refused by name', () => {
    const names = { uris: 'certificate or private-key', modulePath: 'lib', pin: 'pin', reusePin: 'reuse' };
    const none = {
      certificate: undefined,
      privateKey: undefined,
      modulePath: undefined,
      pin: undefined,
      reusePin: false,
    };
    assert.equal(tokenFromInputs(none, names, {}), undefined);
    assert.deepEqual(
      tokenFromInputs({ ...none, privateKey: 'pkcs11:token=t;object=k' }, names, { IAMRA_PKCS11_PIN: 'env-pin' }),
      {
        certificate: undefined,
        privateKey: 'pkcs11:token=t;object=k',
        modulePath: undefined,
        reusePin: false,
        pin: 'env-pin',
      },
    );
    assert.equal(
      tokenFromInputs({ ...none, certificate: 'pkcs11:token=t', pin: 'input-pin' }, names, {
        IAMRA_PKCS11_PIN: 'env-pin',
      })?.pin,
      'input-pin',
    );
    assert.throws(
      () => tokenFromInputs({ ...none, reusePin: true }, names, {}),
      (error: unknown) =>
        error instanceof IamraError &&
        /inputs lib, pin and reuse need a pkcs11: URI in certificate or private-key/.test(error.message),
    );
    assert.throws(
      () => tokenFromInputs({ ...none, certificate: 'pkcs11:colour=red' }, names, {}),
      (error: unknown) => error instanceof IamraError && error.code === 'PKCS11_URI_INVALID',
    );
  });
});
