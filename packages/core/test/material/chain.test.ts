import assert from 'node:assert/strict';
import { type IssuedCert, makeCertificate, makeKey } from '../../../../test/support/pki.js';
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

describe('material: chain building', () => {
  it('finds the path through a shuffled bundle and sends every certificate in the order given', async () => {
    const { root, upper, lower, leaf } = deepPki();
    const bundle = [upper.certPem, root.certPem, leaf.certPem, lower.certPem].join('');
    const { material } = await loadSigningMaterial({ certificate: bundle, privateKey: leaf.keyPem }, { now: NOW });
    assert.equal(material.leaf.commonName, 'deep leaf');
    assert.deepEqual(
      material.path.map((c) => c.commonName),
      ['deep lower', 'deep upper'],
    );
    assert.deepEqual(names(material.offPath), ['deep root']);
    assert.deepEqual(
      material.chain.map((c) => c.commonName),
      ['deep upper', 'deep root', 'deep lower'],
    );
  });

  it('sends unrelated certificates as given (as aws_signing_helper does), duplicates once', async () => {
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
      material.path.map((c) => c.commonName),
      ['deep lower', 'deep upper'],
    );
    assert.deepEqual(names(material.offPath), ['deep root', 'p384 leaf', 'unrelated ca']);
    assert.deepEqual(
      material.chain.map((c) => c.commonName),
      ['unrelated ca', 'deep upper', 'deep lower', 'deep root', 'p384 leaf'],
    );
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
      material.path.map((c) => c.commonName),
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
    assert.deepEqual(withRoot.material.path, []);
    assert.deepEqual(names(withRoot.material.chain), ['material root']);
  });

  it('never refuses intermediates that do not lead from the leaf: the service decides', async () => {
    const leaf = leafFor('p256');
    const { material } = await loadSigningMaterial(
      { certificate: leaf.certPem, privateKey: leaf.keyPem, intermediates: [unrelatedCa().certPem] },
      { now: NOW },
    );
    assert.deepEqual(material.path, []);
    assert.deepEqual(names(material.chain), ['unrelated ca']);
  });

  it('a namesake of the issuer that did not sign is sent but is not on the path', async () => {
    const { root, lower, leaf } = deepPki();
    // Same subject as the real upper intermediate, another key: a stale or mixed-up file.
    const impostor = makeCertificate({ key: makeKey('p256', true), ca: true, subject: '/CN=deep upper', issuer: root });
    const { material } = await loadSigningMaterial(
      { certificate: leaf.certPem, privateKey: leaf.keyPem, intermediates: [lower.certPem, impostor.certPem] },
      { now: NOW },
    );
    assert.deepEqual(
      material.path.map((c) => c.commonName),
      ['deep lower'],
    );
    assert.deepEqual(
      material.offPath.map((c) => c.serialHex),
      [impostor.serialHex],
    );
  });

  it('warns (CHAIN_LARGE) when certificates off the path swell the chain header past 8 KiB', async () => {
    const leaf = leafFor('p256');
    const { intermediate } = sharedPki();
    const key = makeKey('p256', true);
    const strangers = Array.from({ length: 14 }, (_, i) =>
      makeCertificate({ key, ca: true, subject: `/CN=system root ${i}/O=some trust store` }),
    );
    const load = (extra: IssuedCert[]) =>
      loadSigningMaterial(
        {
          certificate: leaf.certPem,
          privateKey: leaf.keyPem,
          intermediates: [intermediate.certPem + extra.map((c) => c.certPem).join('')],
        },
        { now: NOW },
      );
    const { material, warnings } = await load(strangers);
    assert.equal(material.chain.length, 15, 'still sent as given');
    assert.deepEqual(
      warnings.map((w) => w.code),
      ['CHAIN_LARGE'],
    );
    assert.match(
      warnings[0]?.message ?? '',
      /^the intermediates make a \d+ KiB X-Amz-X509-Chain header \(15 certificates, 14 of them off the leaf's path\), which the service may refuse; give only the intermediates that issued this certificate$/,
    );
    assert.deepEqual((await load(strangers.slice(0, 2))).warnings, []);
  });

  it('prefers a cross-certificate over a self-signed root with the same name', async () => {
    const { root, upper, lower, leaf } = deepPki();
    // The same root key, certified by another CA: a path through it reaches that CA's anchor.
    const bridge = makeCertificate({ key: makeKey('p256', true), ca: true, subject: '/CN=bridge ca' });
    const cross = makeCertificate({ key: root.key, ca: true, subject: '/CN=deep root', issuer: bridge });
    const { material } = await loadSigningMaterial(
      {
        certificate: leaf.certPem,
        privateKey: leaf.keyPem,
        intermediates: [lower.certPem + upper.certPem + root.certPem + cross.certPem],
      },
      { now: NOW },
    );
    assert.deepEqual(
      material.path.map((c) => `${c.commonName} by ${c.issuer}`),
      ['deep lower by CN=deep upper', 'deep upper by CN=deep root', 'deep root by CN=bridge ca'],
    );
    assert.equal(material.chain.length, 4);
  });
});
