import assert from 'node:assert/strict';
import { createPublicKey } from 'node:crypto';
import type { KeySpec } from '../../../../test/support/pki.js';
import { loadSigningMaterial, parsePrivateKey } from '../../src/material/index.js';
import { encodeKey, type KeyFormat, leafFor, NOW, PASSPHRASE } from './fixtures.js';

const EXPECTED: Record<string, { keyType: 'rsa' | 'ec'; keyBits: number; curve?: string }> = {
  rsa2048: { keyType: 'rsa', keyBits: 2048 },
  rsa3072: { keyType: 'rsa', keyBits: 3072 },
  rsa4096: { keyType: 'rsa', keyBits: 4096 },
  p256: { keyType: 'ec', keyBits: 256, curve: 'P-256' },
  p384: { keyType: 'ec', keyBits: 384, curve: 'P-384' },
  p521: { keyType: 'ec', keyBits: 521, curve: 'P-521' },
};

const COMMON_FORMATS: KeyFormat[] = [
  'pkcs8-pem',
  'traditional-pem',
  'pkcs8-der',
  'traditional-der',
  'pkcs8-base64',
  'encrypted-pkcs8-pem',
  'encrypted-pkcs8-der',
  'legacy-encrypted-pem',
];

function spki(key: Parameters<typeof createPublicKey>[0]): Buffer {
  return createPublicKey(key).export({ format: 'der', type: 'spki' });
}

describe('material: private keys of every supported type and encoding', () => {
  for (const spec of Object.keys(EXPECTED) as KeySpec[]) {
    const expected = EXPECTED[spec];
    if (!expected) continue;
    const formats: KeyFormat[] =
      expected.keyType === 'ec' ? [...COMMON_FORMATS, 'sec1-with-parameters'] : COMMON_FORMATS;
    describe(spec, () => {
      for (const format of formats) {
        it(`loads ${format} and signs with ${expected.keyType === 'rsa' ? 'RSA' : 'ECDSA'}`, async () => {
          const leaf = leafFor(spec);
          const { source, encrypted } = encodeKey(leaf.key, format);
          const { material, warnings } = await loadSigningMaterial(
            {
              certificate: leaf.certPem,
              privateKey: source,
              ...(encrypted ? { privateKeyPassphrase: PASSPHRASE } : {}),
            },
            { now: NOW },
          );
          assert.equal(material.keyType, expected.keyType);
          assert.equal(material.keyBits, expected.keyBits);
          assert.equal(material.curve, expected.curve);
          assert.equal(
            material.algorithm,
            expected.keyType === 'rsa' ? 'AWS4-X509-RSA-SHA256' : 'AWS4-X509-ECDSA-SHA256',
          );
          assert.deepEqual(material.signer.publicKey?.export({ format: 'der', type: 'spki' }), spki(leaf.certPem));
          assert.equal(material.leaf.pem, leaf.certPem);
          assert.deepEqual(warnings, []);
        });
      }
    });
  }

  it('reads a key given as a Uint8Array of PEM text', async () => {
    const leaf = leafFor('p256');
    const key = parsePrivateKey(new TextEncoder().encode(leaf.keyPem));
    assert.deepEqual(spki(key), spki(leaf.certPem));
  });

  it('reads an encrypted DER key given as base64 text', async () => {
    const leaf = leafFor('p384');
    const der = encodeKey(leaf.key, 'encrypted-pkcs8-der').source as Buffer;
    const key = parsePrivateKey(der.toString('base64'), PASSPHRASE);
    assert.deepEqual(spki(key), spki(leaf.certPem));
  });

  it('takes the key from a combined certificate + key PEM when no key is given', async () => {
    const leaf = leafFor('rsa2048');
    const combined = `${leaf.keyPem}${leaf.certPem}`;
    const { material } = await loadSigningMaterial({ certificate: combined }, { now: NOW });
    assert.equal(material.keyType, 'rsa');
    assert.equal(material.leaf.pem, leaf.certPem);
  });

  it('decrypts an encrypted key inside a combined PEM with the passphrase', async () => {
    const leaf = leafFor('p256');
    const encrypted = encodeKey(leaf.key, 'legacy-encrypted-pem').source as string;
    const { material } = await loadSigningMaterial(
      { certificate: `${leaf.certPem}${encrypted}`, privateKeyPassphrase: PASSPHRASE },
      { now: NOW },
    );
    assert.equal(material.curve, 'P-256');
  });
});
