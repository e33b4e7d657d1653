/**
 * ML-DSA material in-process. Mocha runs on Node 20, whose OpenSSL cannot use ML-DSA keys, so
 * this is the refusal side (the signing side runs under Node 24 in test/ml-dsa/): one line, code
 * KEY_UNSUPPORTED, for a key in any form; ML-DSA certificates are still read and described, and an
 * ML-DSA CA does not stop a classic leaf from signing.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ENCRYPTED_KEY_PASSPHRASE, type MlDsaFiles, mlDsaPkiFiles } from '../../../../test/support/ml-dsa.js';
import { testDir } from '../../../../test/support/pki.js';
import { IamraError } from '../../src/errors.js';
import { mlDsaAvailable } from '../../src/keys/ml-dsa.js';
import { loadSigningMaterial, parseCertificates, parsePrivateKey } from '../../src/material/index.js';

const REFUSAL =
  /^(certificate "CN=ml-dsa-65 workload"|the private key) is ML-DSA, and ML-DSA keys need Node 24 or later \(this is Node [\d.]+, whose OpenSSL cannot sign with them\); run iamra with Node 24, or use an RSA or EC key$/;

async function refusal(fn: () => unknown): Promise<IamraError> {
  try {
    await fn();
  } catch (error) {
    assert.ok(error instanceof IamraError, String(error));
    assert.equal(error.code, 'KEY_UNSUPPORTED', error.message);
    assert.equal(error.exitCode, 2);
    assert.match(error.message, REFUSAL);
    return error;
  }
  assert.fail('expected KEY_UNSUPPORTED');
}

describe('ML-DSA material on a runtime without ML-DSA', function () {
  this.timeout(120_000);
  let mlDsa65: MlDsaFiles;
  let ecUnderMlDsa: MlDsaFiles;
  const read = (path: string) => readFileSync(path);

  before(function () {
    if (mlDsaAvailable()) this.skip(); // mocha runs on Node 20 here: peers.node20() is process.execPath
    const cases = mlDsaPkiFiles(testDir());
    mlDsa65 = cases[1] as MlDsaFiles;
    ecUnderMlDsa = cases[4] as MlDsaFiles;
  });

  it('reads and describes ML-DSA certificates (their signature algorithm by name)', () => {
    const [leaf] = parseCertificates(read(mlDsa65.leafPath));
    assert.equal(leaf?.subject, 'CN=ml-dsa-65 workload');
    assert.deepEqual(leaf?.signatureAlgorithm, { oid: '2.16.840.1.101.3.4.3.18', name: 'ML-DSA-65' });
  });

  it('refuses an ML-DSA private key in PEM and in DER with KEY_UNSUPPORTED, not as a damaged key', async () => {
    const pem = read(mlDsa65.keyPath).toString('utf8');
    const der = Buffer.from(pem.replace(/-----[A-Z ]+-----|\s/g, ''), 'base64');
    await refusal(() => parsePrivateKey(pem));
    await refusal(() => parsePrivateKey(der));
    const damaged = Buffer.from(der);
    damaged[30] = 0x7f; // inside the key, after the ML-DSA AlgorithmIdentifier: still ML-DSA, still refused
    await refusal(() => parsePrivateKey(damaged));
  });

  it('refuses an encrypted ML-DSA key by its certificate, once decrypted with the right passphrase', async () => {
    const error = await refusal(() =>
      loadSigningMaterial(
        {
          certificate: read(mlDsa65.leafPath),
          privateKey: read(mlDsa65.encryptedKeyPath),
          privateKeyPassphrase: ENCRYPTED_KEY_PASSPHRASE,
        },
        { now: new Date() },
      ),
    );
    assert.match(error.message, /^certificate "CN=ml-dsa-65 workload"/);
  });

  it('with a wrong passphrase too: the runtime is the first thing to fix', async () => {
    await assert.rejects(
      loadSigningMaterial(
        {
          certificate: read(mlDsa65.leafPath),
          privateKey: read(mlDsa65.encryptedKeyPath),
          privateKeyPassphrase: 'not the passphrase',
        },
        { now: new Date() },
      ),
      (error: unknown) => error instanceof IamraError && error.code === 'KEY_UNSUPPORTED',
    );
  });

  it('loads an EC leaf whose CA is ML-DSA: the CA is sent, off the locally checked path', async () => {
    const { material } = await loadSigningMaterial(
      {
        certificate: read(ecUnderMlDsa.leafPath),
        privateKey: read(ecUnderMlDsa.keyPath),
        intermediates: [read(ecUnderMlDsa.caPath)],
      },
      { now: new Date() },
    );
    assert.equal(material.algorithm, 'AWS4-X509-ECDSA-SHA256');
    assert.deepEqual(
      material.chain.map((c) => c.subject),
      ['CN=ml-dsa-65 test CA'],
    );
    assert.deepEqual(material.path, []);
  });
});
