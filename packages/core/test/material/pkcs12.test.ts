import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makePkcs12, testDir } from '../../../../test/support/pki.js';
import { IamraError } from '../../src/errors.js';
import { loadSigningMaterial, parsePkcs12 } from '../../src/material/index.js';
import { leafFor, makeRc2Pkcs12, NOW, openssl, sharedPki, writeTemp } from './fixtures.js';

const PASSWORD = 'pfx-password';

function spki(key: Parameters<typeof createPublicKey>[0]): Buffer {
  return createPublicKey(key).export({ format: 'der', type: 'spki' });
}

async function rejects(fn: () => Promise<unknown>, code: string, message: RegExp): Promise<void> {
  await assert.rejects(fn, (error: unknown) => {
    assert.ok(error instanceof IamraError, `expected IamraError, got ${String(error)}`);
    assert.equal(error.code, code);
    assert.match(error.message, message);
    assert.doesNotMatch(error.message, /\n/);
    return true;
  });
}

describe('material: PKCS#12', () => {
  for (const spec of ['rsa2048', 'p256', 'p384'] as const) {
    for (const legacy of [false, true]) {
      it(`loads a ${legacy ? 'legacy 3DES/SHA-1' : 'modern PBES2/AES-256'} file with a ${spec} key and its chain`, async () => {
        const leaf = leafFor(spec);
        const { intermediate, root } = sharedPki();
        const pfx = makePkcs12(leaf, { password: PASSWORD, legacy, extraCerts: [root, intermediate] });
        const { material } = await loadSigningMaterial({ pkcs12: pfx, pkcs12Password: PASSWORD }, { now: NOW });
        assert.deepEqual(material.signer.publicKey?.export({ format: 'der', type: 'spki' }), spki(leaf.certPem));
        assert.equal(material.leaf.serialHex, leaf.serialHex);
        assert.deepEqual(
          material.path.map((c) => c.pem),
          [intermediate.certPem],
        );
        assert.deepEqual(
          material.offPath.map((c) => c.pem),
          [root.certPem],
        );
        assert.deepEqual(material.chain.map((c) => c.pem).sort(), [intermediate.certPem, root.certPem].sort());
      });
    }
  }

  it('loads node-forge only when a PKCS#12 file is parsed', async () => {
    const leaf = leafFor('p256');
    const pfx = writeTemp('lazy.p12', makePkcs12(leaf, { password: PASSWORD }));
    const material = fileURLToPath(new URL('../../src/material/index.ts', import.meta.url));
    const script = writeTemp(
      'lazy.mjs',
      `import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
const { loadSigningMaterial, parsePkcs12 } = await import(${JSON.stringify(material)});
const forgeLoaded = () => Object.keys(createRequire(import.meta.url).cache).some((k) => k.includes('node-forge'));
await loadSigningMaterial({ certificate: ${JSON.stringify(leaf.certPem)}, privateKey: readFileSync(${JSON.stringify(leaf.keyPath)}) }, { now: new Date() });
const afterPem = forgeLoaded();
await parsePkcs12(readFileSync(${JSON.stringify(pfx)}), ${JSON.stringify(PASSWORD)});
console.log(JSON.stringify({ afterPem, afterPkcs12: forgeLoaded() }));
`,
    );
    // No coverage from the child (Node passes NODE_V8_COVERAGE on unless it is overridden):
    // its differently transformed copy of the sources would not merge with this process's.
    const env = { ...process.env, NODE_V8_COVERAGE: '' };
    const output = execFileSync(process.execPath, ['--import', 'tsx', script], {
      cwd: fileURLToPath(new URL('../../../../', import.meta.url)),
      env,
      encoding: 'utf8',
      timeout: 30_000,
    });
    assert.deepEqual(JSON.parse(output), { afterPem: false, afterPkcs12: true });
  });

  it('loads an RC2-40 (openssl -legacy, old Windows export) file', async function () {
    const leaf = leafFor('rsa2048');
    const pfx = makeRc2Pkcs12(leaf, PASSWORD);
    if (!pfx) this.skip();
    const { privateKey, certificates } = await parsePkcs12(pfx, PASSWORD);
    assert.deepEqual(spki(privateKey), spki(leaf.certPem));
    assert.equal(certificates[0]?.pem, leaf.certPem);
  });

  it('accepts the file as base64 text and takes intermediates from the separate input too', async () => {
    const leaf = leafFor('p256');
    const { intermediate } = sharedPki();
    const pfx = makePkcs12(leaf, { password: PASSWORD });
    const { material } = await loadSigningMaterial(
      { pkcs12: pfx.toString('base64'), pkcs12Password: PASSWORD, intermediates: [intermediate.certPem] },
      { now: NOW },
    );
    assert.equal(material.chain[0]?.subject, 'CN=material intermediate');
  });

  it('uses a separately given private key over the PKCS#12 one', async () => {
    const leaf = leafFor('p256');
    const pfx = makePkcs12(leaf, { password: PASSWORD });
    const { material } = await loadSigningMaterial(
      { pkcs12: pfx, pkcs12Password: PASSWORD, privateKey: leaf.keyPem },
      { now: NOW },
    );
    assert.equal(material.curve, 'P-256');
  });

  it('loads a file protected by an empty password', async () => {
    const leaf = leafFor('p256');
    const pfx = makePkcs12(leaf, { password: '' });
    const { certificates } = await parsePkcs12(pfx, undefined);
    assert.equal(certificates.length, 1);
  });

  it('PKCS12_PASSWORD_WRONG: a wrong password', async () => {
    const pfx = makePkcs12(leafFor('p256'), { password: PASSWORD });
    await rejects(
      () => parsePkcs12(pfx, 'not-the-password'),
      'PKCS12_PASSWORD_WRONG',
      /^the PKCS#12 password is wrong \(its integrity check failed\); check the password secret/,
    );
  });

  it('PKCS12_PASSWORD_WRONG: a missing password says the password is missing', async () => {
    const pfx = makePkcs12(leafFor('rsa2048'), { password: PASSWORD, legacy: true });
    await rejects(
      () => loadSigningMaterial({ pkcs12: pfx }, { now: NOW }),
      'PKCS12_PASSWORD_WRONG',
      /^the PKCS#12 file is password-protected and no password was given; set the PKCS#12 password input/,
    );
  });

  it('PKCS12_NO_KEY: a file with certificates only', async () => {
    const pfx = makePkcs12(leafFor('p256'), { password: PASSWORD, noKey: true });
    await rejects(
      () => parsePkcs12(pfx, PASSWORD),
      'PKCS12_NO_KEY',
      /^the PKCS#12 file holds no private key; export it again including the private key/,
    );
  });

  it('PKCS12_NO_CERT: a file with a key only', async () => {
    const leaf = leafFor('p256');
    const out = join(testDir(), 'key-only.p12');
    openssl(
      ['pkcs12', '-export', '-nocerts', '-inkey', leaf.keyPath, '-out', out, '-passout', 'stdin'],
      `${PASSWORD}\n`,
    );
    await rejects(
      () => parsePkcs12(readFileSync(out), PASSWORD),
      'PKCS12_NO_CERT',
      /^the PKCS#12 file holds no certificate; export it again including the certificate$/,
    );
  });

  it('PKCS12_MALFORMED: binary garbage', async () => {
    await rejects(
      () => parsePkcs12(Buffer.from([0x30, 0x82, 0x01, 0x00, 0xde, 0xad, 0xbe, 0xef]), PASSWORD),
      'PKCS12_MALFORMED',
      /^the PKCS#12 \(\.pfx\/\.p12\) file is not valid; export it again$/,
    );
  });

  it('PKCS12_MALFORMED: valid DER that is not a PFX', async () => {
    await rejects(
      () => parsePkcs12(Buffer.from([0x30, 0x03, 0x02, 0x01, 0x03]), PASSWORD),
      'PKCS12_MALFORMED',
      /not valid/,
    );
  });

  it('PKCS12_MALFORMED: a truncated file', async () => {
    const pfx = makePkcs12(leafFor('p256'), { password: PASSWORD });
    await rejects(() => parsePkcs12(pfx.subarray(0, pfx.length / 2), PASSWORD), 'PKCS12_MALFORMED', /not valid/);
  });

  it('PKCS12_MALFORMED: not DER at all', async () => {
    await rejects(() => parsePkcs12(Buffer.from('hello world'), PASSWORD), 'PKCS12_MALFORMED', /not valid/);
  });

  it('PKCS12_MALFORMED: PEM text given as the PKCS#12 input', async () => {
    await rejects(
      () => parsePkcs12(leafFor('p256').certPem, PASSWORD),
      'PKCS12_MALFORMED',
      /^the PKCS#12 input is PEM text; give the binary \.pfx\/\.p12 file or its base64$/,
    );
  });
});
