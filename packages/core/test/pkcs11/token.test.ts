/**
 * PKCS#11 against a real token: SoftHSM2 with keys generated on it. Every signature here is made
 * by the token and checked with the certificate's public key.
 */
import assert from 'node:assert/strict';
import { createPublicKey, verify, X509Certificate } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  IamraError,
  type KeySigner,
  loadSigningMaterial,
  openPkcs11,
  type Pkcs11Options,
  resolveSessionParameters,
  signCreateSession,
} from '@iamra/core';
import { testDir } from '../../../../test/support/pki.js';
import { makeSoftToken, type SoftToken, USER_PIN } from '../../../../test/support/softhsm.js';
import { loadBinding } from '../../src/pkcs11/module.js';
import { tokenSigner } from '../../src/pkcs11/signer.js';
import { TokenSession } from '../../src/pkcs11/token.js';
import { parsePkcs11Uri } from '../../src/pkcs11/uri.js';

const ARNS = {
  trustAnchorArn: 'arn:aws:rolesanywhere:us-east-1:111122223333:trust-anchor/0c5a2b1e-7f4f-4c3b-9d6e-1a2b3c4d5e6f',
  profileArn: 'arn:aws:rolesanywhere:us-east-1:111122223333:profile/9f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0',
  roleArn: 'arn:aws:iam::111122223333:role/r',
};

const code = (expected: string, text?: RegExp) => (error: unknown) => {
  assert.ok(error instanceof IamraError, String(error));
  assert.equal(error.code, expected, error.message);
  if (text) assert.match(error.message, text);
  assert.ok(!error.message.includes(USER_PIN), 'the PIN must never be in a message');
  return true;
};

describe('PKCS#11 keys on a SoftHSM2 token', function () {
  this.timeout(60_000);
  let token: SoftToken;
  let savedConf: string | undefined;
  const opened: KeySigner[] = [];
  const open = async (options: Partial<Pkcs11Options>) => {
    const result = await openPkcs11({ modulePath: token.module, env: { IAMRA_PKCS11_PIN: USER_PIN }, ...options });
    if (result.signer) opened.push(result.signer);
    return result;
  };

  before(() => {
    token = makeSoftToken();
    savedConf = process.env.SOFTHSM2_CONF;
    process.env.SOFTHSM2_CONF = token.env.SOFTHSM2_CONF;
  });
  afterEach(async () => {
    for (const signer of opened.splice(0)) await signer.close();
  });
  after(() => {
    if (savedConf === undefined) delete process.env.SOFTHSM2_CONF;
    else process.env.SOFTHSM2_CONF = savedConf;
  });

  for (const kind of ['rsa', 'ec'] as const) {
    it(`${kind}: the certificate and key on the token sign a CreateSession the certificate verifies`, async () => {
      const key = token[kind];
      const { signer, certificate } = await open({ certificate: key.certUri });
      assert.ok(certificate && signer);
      assert.equal(new X509Certificate(certificate).fingerprint256, new X509Certificate(key.certPem).fingerprint256);
      const { material } = await loadSigningMaterial(
        { certificate, signer, intermediates: [token.pki.intermediate.certPem] },
        { now: new Date() },
      );
      assert.equal(material.algorithm, kind === 'rsa' ? 'AWS4-X509-RSA-SHA256' : 'AWS4-X509-ECDSA-SHA256');
      assert.equal(material.keyBits, kind === 'rsa' ? 2048 : 256);
      const signed = await signCreateSession({
        material,
        params: resolveSessionParameters(ARNS),
        endpoint: 'http://127.0.0.1:1',
        date: new Date(),
      });
      const signature = /Signature=([0-9a-f]+)$/.exec(signed.headers.Authorization ?? '')?.[1] ?? '';
      const publicKey = new X509Certificate(key.certPem).publicKey;
      assert.ok(verify('SHA256', Buffer.from(signed.stringToSign), publicKey, Buffer.from(signature, 'hex')));
    });

    it(`${kind}: a key URI with the certificate in a file; sign-string digests`, async () => {
      const key = token[kind];
      const { signer, certificate } = await open({ privateKey: key.keyUri });
      assert.equal(certificate, undefined);
      assert.ok(signer);
      const publicKey = new X509Certificate(key.certPem).publicKey;
      for (const digest of ['SHA256', 'SHA384', 'SHA512'] as const) {
        const data = Buffer.from(`data for ${digest}`);
        assert.ok(verify(digest, data, publicKey, await signer.sign(data, digest)), digest);
      }
      assert.ok(await signer.matches(new X509Certificate(key.certPem)));
      const other = kind === 'rsa' ? token.ec : token.rsa;
      assert.equal(await signer.matches(new X509Certificate(other.certPem)), false);
    });
  }

  it('finds the key by id, and takes module-path from the URI', async () => {
    const { signer } = await open({
      privateKey: `pkcs11:token=iamra-ci;id=%02?module-path=${token.module}`,
      modulePath: undefined,
    });
    assert.ok(await signer?.matches(new X509Certificate(token.ec.certPem)));
  });

  it('reads the PIN from pin-source, and pin-value for the Go helper’s command lines', async () => {
    const pinFile = join(testDir(), 'pin');
    writeFileSync(pinFile, `${USER_PIN}\n`, { mode: 0o600 });
    const fromFile = await open({ privateKey: `${token.ec.keyUri}?pin-source=file://${pinFile}`, env: {} });
    assert.ok(fromFile.signer);
    const inline = await open({ privateKey: `${token.ec.keyUri}?pin-value=${USER_PIN}`, env: {} });
    assert.ok(inline.signer);
    assert.ok(!inline.signer.description.includes(USER_PIN));
  });

  it('a wrong PIN is refused without echoing it', async () => {
    await assert.rejects(
      open({ privateKey: token.rsa.keyUri, env: { IAMRA_PKCS11_PIN: 'wrong-pin-9999' } }),
      code('PKCS11_PIN_WRONG', /refused the PIN/),
    );
    await assert.rejects(
      open({ privateKey: token.rsa.keyUri, env: { IAMRA_PKCS11_PIN: 'wrong-pin-9999' } }),
      (error: Error) => !error.message.includes('wrong-pin-9999'),
    );
  });

  it('asks for the PIN when none is given', async () => {
    await assert.rejects(
      open({ privateKey: token.rsa.keyUri, env: {} }),
      code('PKCS11_PIN_REQUIRED', /IAMRA_PKCS11_PIN/),
    );
  });

  it('names the tokens present when none matches', async () => {
    await assert.rejects(
      open({ privateKey: 'pkcs11:token=nope;object=rsa-key' }),
      code('PKCS11_TOKEN_NOT_FOUND', /tokens present: "iamra-ci"/),
    );
  });

  it('says which object is missing and which are several', async () => {
    await assert.rejects(
      open({ privateKey: 'pkcs11:token=iamra-ci;object=missing' }),
      code('PKCS11_OBJECT_NOT_FOUND', /no private key matches pkcs11:token=iamra-ci;object=missing/),
    );
    await assert.rejects(
      open({ certificate: 'pkcs11:token=iamra-ci;object=missing' }),
      code('PKCS11_OBJECT_NOT_FOUND', /no certificate matches/),
    );
    await assert.rejects(
      open({ privateKey: 'pkcs11:token=iamra-ci;type=private' }),
      code('PKCS11_AMBIGUOUS', /2 objects of type private key match/),
    );
  });

  it('refuses a module path that does not exist or is not a PKCS#11 library', async () => {
    await assert.rejects(
      open({ privateKey: token.rsa.keyUri, modulePath: '/nonexistent/libpkcs11.so' }),
      code('PKCS11_MODULE_NOT_FOUND', /does not exist/),
    );
    const notALibrary = join(testDir(), 'not-a-module.so');
    writeFileSync(notALibrary, 'text');
    await assert.rejects(
      open({ privateKey: token.rsa.keyUri, modulePath: notALibrary }),
      code('PKCS11_MODULE_NOT_FOUND', /could not be loaded/),
    );
  });

  it('a key that wants its PIN at every signature signs with --reuse-pin, and says so without it', async () => {
    const key = token.addKey('always', 'EC:prime256v1', '03', { extra: ['--always-auth'] });
    const without = await open({ privateKey: key.keyUri });
    await assert.rejects(
      Promise.resolve(without.signer?.sign(Buffer.from('x'))),
      code('PKCS11_PIN_REQUIRED', /--reuse-pin/),
    );
    const { signer } = await open({ privateKey: key.keyUri, reusePin: true });
    assert.ok(signer);
    assert.ok(await signer.matches(new X509Certificate(key.certPem)));
  });

  it('refuses a key type Roles Anywhere does not take (Ed25519 on the token)', async () => {
    const key = token.addKey('ed', 'EC:edwards25519', '04', { certificate: false });
    await assert.rejects(open({ privateKey: key.keyUri }), code('PKCS11_MECHANISM_UNSUPPORTED', /neither RSA nor EC/));
  });

  it('signs RSA through raw CKM_RSA_PKCS with a DigestInfo when the hashed mechanism is missing; refuses when neither is', async () => {
    const binding = await loadBinding();
    const uri = parsePkcs11Uri(token.rsa.keyUri);
    const session = TokenSession.open(binding, token.module, uri);
    try {
      session.login(USER_PIN);
      const [handle] = session.find(binding.CKO_PRIVATE_KEY, uri);
      assert.ok(handle);
      const base = { token: session, handle, keyType: 'rsa' as const, alwaysAuthenticate: false, pin: USER_PIN };
      const raw = tokenSigner({
        ...base,
        mechanisms: new Set([binding.CKM_RSA_PKCS]),
        reusePin: false,
        description: 'k',
      });
      const data = Buffer.from('raw');
      const publicKey = createPublicKey(readFileSync(token.rsa.certPath));
      assert.ok(verify('SHA384', data, publicKey, await raw.sign(data, 'SHA384')));
      const none = tokenSigner({ ...base, mechanisms: new Set(), reusePin: false, description: 'k' });
      await assert.rejects(
        Promise.resolve(none.sign(data)),
        code('PKCS11_MECHANISM_UNSUPPORTED', /RSA PKCS#1 v1.5 with SHA256/),
      );
      const ec = tokenSigner({ ...base, keyType: 'ec', mechanisms: new Set(), reusePin: false, description: 'k' });
      await assert.rejects(Promise.resolve(ec.sign(data)), code('PKCS11_MECHANISM_UNSUPPORTED', /ECDSA/));
    } finally {
      session.close();
      session.close();
    }
  });

  it('opens nothing when no URI is given', async () => {
    assert.deepEqual(await openPkcs11({ privateKey: '/etc/key.pem', env: {} }), {
      signer: undefined,
      certificate: undefined,
    });
  });
});
