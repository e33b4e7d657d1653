import assert from 'node:assert/strict';
import { type IssuedCert, makeCertificate, makeKey } from '../../../../test/support/pki.js';
import { IamraError } from '../../src/errors.js';
import { loadSigningMaterial } from '../../src/material/index.js';
import { leafFor, NOW, sharedPki } from './fixtures.js';

/** root -> upper intermediate -> lower intermediate -> leaf, built once. */
let deep: { root: IssuedCert; upper: IssuedCert; lower: IssuedCert; leaf: IssuedCert } | undefined;
function deepPki() {
  if (!deep) {
    const root = makeCertificate({ key: makeKey('p256', true), ca: true, subject: '/CN=deep root' });
    const upper = makeCertificate({ key: makeKey('p256', true), ca: true, subject: '/CN=deep upper', issuer: root });
    const lower = makeCertificate({ key: makeKey('p256', true), ca: true, subject: '/CN=deep lower', issuer: upper });
    const leaf = makeCertificate({ key: 'p256', subject: '/CN=deep leaf', issuer: lower });
    deep = { root, upper, lower, leaf };
  }
  return deep;
}

let unrelated: IssuedCert | undefined;
function unrelatedCa(): IssuedCert {
  unrelated ??= makeCertificate({ key: makeKey('p256', true), ca: true, subject: '/CN=unrelated ca' });
  return unrelated;
}

function names(certificates: { commonName: string | undefined }[]): (string | undefined)[] {
  return certificates.map((c) => c.commonName).sort();
}

async function chainBroken(fn: () => Promise<unknown>, message: RegExp): Promise<void> {
  await assert.rejects(fn, (error: unknown) => {
    assert.ok(error instanceof IamraError);
    assert.equal(error.code, 'CHAIN_BROKEN');
    assert.match(error.message, message);
    return true;
  });
}

describe('material: chain building', () => {
  it('orders a shuffled bundle with two intermediates from the leaf up and drops the root', async () => {
    const { root, upper, lower, leaf } = deepPki();
    const bundle = [upper.certPem, root.certPem, leaf.certPem, lower.certPem].join('');
    const { material } = await loadSigningMaterial({ certificate: bundle, privateKey: leaf.keyPem }, { now: NOW });
    assert.equal(material.leaf.commonName, 'deep leaf');
    assert.deepEqual(
      material.chain.map((c) => c.commonName),
      ['deep lower', 'deep upper'],
    );
    assert.deepEqual(names(material.dropped), ['deep root']);
  });

  it('drops unrelated certificates and duplicates given as intermediates in any order', async () => {
    const { root, upper, lower, leaf } = deepPki();
    const { material } = await loadSigningMaterial(
      {
        certificate: leaf.certDer,
        privateKey: leaf.keyPem,
        intermediates: [
          unrelatedCa().certPem + upper.certPem,
          lower.certDer.toString('base64'),
          root.certPem,
          lower.certPem,
          leafFor('p384').certPem,
        ],
      },
      { now: NOW },
    );
    assert.deepEqual(
      material.chain.map((c) => c.commonName),
      ['deep lower', 'deep upper'],
    );
    assert.deepEqual(names(material.dropped), ['deep root', 'p384 leaf', 'unrelated ca']);
  });

  it('picks the leaf by its key even when it is not first in the bundle', async () => {
    const { intermediate } = sharedPki();
    const leaf = leafFor('rsa3072');
    const { material } = await loadSigningMaterial(
      { certificate: intermediate.certPem + leaf.certPem, privateKey: leaf.keyPem },
      { now: NOW },
    );
    assert.equal(material.leaf.commonName, 'rsa3072 leaf');
    assert.deepEqual(
      material.chain.map((c) => c.commonName),
      ['material intermediate'],
    );
  });

  it('reads a combined PEM of key, leaf and intermediate', async () => {
    const { intermediate } = sharedPki();
    const leaf = leafFor('p521');
    const { material } = await loadSigningMaterial(
      { certificate: `${intermediate.certPem}${leaf.keyPem}${leaf.certPem}` },
      { now: NOW },
    );
    assert.equal(material.curve, 'P-521');
    assert.equal(material.chain.length, 1);
  });

  it('is an empty chain for a leaf alone, and for a leaf issued directly by a given root', async () => {
    const { root } = sharedPki();
    const direct = makeCertificate({ key: 'p256', subject: '/CN=direct leaf', issuer: root });
    const alone = await loadSigningMaterial({ certificate: direct.certPem, privateKey: direct.keyPem }, { now: NOW });
    assert.deepEqual(alone.material.chain, []);
    const withRoot = await loadSigningMaterial(
      { certificate: direct.certPem, privateKey: direct.keyPem, intermediates: [root.certPem] },
      { now: NOW },
    );
    assert.deepEqual(withRoot.material.chain, []);
    assert.deepEqual(names(withRoot.material.dropped), ['material root']);
  });

  it('CHAIN_BROKEN: intermediates given, none of which issued the leaf', async () => {
    const leaf = leafFor('p256');
    await chainBroken(
      () =>
        loadSigningMaterial(
          { certificate: leaf.certPem, privateKey: leaf.keyPem, intermediates: [unrelatedCa().certPem] },
          { now: NOW },
        ),
      /^none of the 1 other given certificate\(s\) issued the leaf "CN=p256 leaf,O=iamra" \(its issuer is "CN=material intermediate"\); give the intermediates that lead from this certificate to the trust anchor$/,
    );
  });

  it('CHAIN_BROKEN: an intermediate with the right name that did not sign the certificate below it', async () => {
    const { root, upper, lower, leaf } = deepPki();
    // Same subject as the real upper intermediate, another key: a stale or mixed-up file.
    const impostor = makeCertificate({ key: makeKey('p256', true), ca: true, subject: '/CN=deep upper', issuer: root });
    await chainBroken(
      () =>
        loadSigningMaterial(
          { certificate: leaf.certPem, privateKey: leaf.keyPem, intermediates: [lower.certPem, impostor.certPem] },
          { now: NOW },
        ),
      new RegExp(
        `^certificate "CN=deep lower" names "CN=deep upper" as its issuer, but the given "CN=deep upper" \\(serial ${impostor.serialHex}\\) did not sign it; give the intermediate that really issued it$`,
      ),
    );
    assert.ok(upper);
  });
});
