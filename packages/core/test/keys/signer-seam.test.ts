/**
 * The signer seam: material loads and CreateSession signs through any KeySigner, here one that
 * keeps its key private, answers asynchronously and knows no public key (as a token does).
 */
import assert from 'node:assert/strict';
import { createPrivateKey, type KeyObject, sign, verify, type X509Certificate } from 'node:crypto';
import { setImmediate } from 'node:timers/promises';
import { type KeySigner, loadSigningMaterial, resolveSessionParameters, signCreateSession } from '@iamra/core';
import { fileSigner } from '../../src/keys/file-signer.js';
import { leafFor, NOW, sharedPki } from '../material/fixtures.js';

const ARNS = {
  trustAnchorArn: 'arn:aws:rolesanywhere:us-east-1:111122223333:trust-anchor/0c5a2b1e-7f4f-4c3b-9d6e-1a2b3c4d5e6f',
  profileArn: 'arn:aws:rolesanywhere:us-east-1:111122223333:profile/9f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0',
  roleArn: 'arn:aws:iam::111122223333:role/r',
};

/** A signer that never exposes its key: it signs and answers matches() by a test signature. */
function remoteSigner(key: KeyObject): KeySigner & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    description: 'the token key',
    publicKey: undefined,
    async sign(data, digest = 'SHA256') {
      await setImmediate();
      calls.push(`sign ${digest}`);
      return sign(digest, data, key);
    },
    async matches(certificate: X509Certificate) {
      await setImmediate();
      const challenge = Buffer.from('match?');
      return verify('SHA256', challenge, certificate.publicKey, sign('SHA256', challenge, key));
    },
    close: () => {
      calls.push('close');
    },
  };
}

describe('signer seam', () => {
  for (const spec of ['rsa2048', 'p256'] as const) {
    it(`signs CreateSession through an asynchronous ${spec} signer that hides its key`, async () => {
      const leaf = leafFor(spec);
      const signer = remoteSigner(createPrivateKey(leaf.keyPem));
      const { material } = await loadSigningMaterial(
        { certificate: leaf.certPem, intermediates: [sharedPki().intermediate.certPem], signer },
        { now: NOW },
      );
      assert.equal(material.signer, signer);
      assert.equal(material.keyType, spec === 'rsa2048' ? 'rsa' : 'ec');
      assert.equal(material.keyBits, spec === 'rsa2048' ? 2048 : 256);
      assert.equal(material.algorithm, spec === 'rsa2048' ? 'AWS4-X509-RSA-SHA256' : 'AWS4-X509-ECDSA-SHA256');
      assert.equal(material.chain.length, 1);
      const params = resolveSessionParameters(ARNS);
      const signed = await signCreateSession({ material, params, endpoint: 'http://127.0.0.1:1', date: NOW });
      const signature = /Signature=([0-9a-f]+)$/.exec(signed.headers.Authorization ?? '')?.[1] ?? '';
      const publicKey = createPrivateKey(leaf.keyPem);
      assert.ok(verify('SHA256', Buffer.from(signed.stringToSign), publicKey, Buffer.from(signature, 'hex')));
      assert.deepEqual(signer.calls, ['sign SHA256']);
    });
  }

  it('picks the leaf the signer matches out of a bundle', async () => {
    const rsa = leafFor('rsa2048');
    const ec = leafFor('p256');
    const { material } = await loadSigningMaterial(
      {
        certificate: `${rsa.certPem}${ec.certPem}`,
        intermediates: [sharedPki().intermediate.certPem],
        signer: remoteSigner(createPrivateKey(ec.keyPem)),
      },
      { now: NOW },
    );
    assert.equal(material.leaf.der.toString('base64'), ec.certDer.toString('base64'));
    assert.deepEqual(
      material.offPath.map((c) => c.subject),
      ['CN=rsa2048 leaf,O=iamra'],
    );
  });

  it('names the signer when its key matches no certificate', async () => {
    const signer = remoteSigner(createPrivateKey(leafFor('p256').keyPem));
    await assert.rejects(
      loadSigningMaterial({ certificate: leafFor('rsa2048').certPem, signer }, { now: NOW }),
      (error: Error & { code?: string }) =>
        error.code === 'KEY_CERT_MISMATCH' && /^the token key does not match certificate/.test(error.message),
    );
  });

  it('refuses a key type Roles Anywhere does not take, from the certificate', async () => {
    const signer: KeySigner = { ...remoteSigner(createPrivateKey(leafFor('p256').keyPem)), matches: () => true };
    const ed = await import('../../../../test/support/pki.js').then(({ makeCertificate }) =>
      makeCertificate({ key: 'ed25519', subject: '/CN=ed' }),
    );
    await assert.rejects(
      loadSigningMaterial({ certificate: ed.certPem, signer }, { now: NOW }),
      (error: Error & { code?: string }) => error.code === 'KEY_UNSUPPORTED' && /Ed25519/.test(error.message),
    );
  });

  it('a file signer signs with the digest asked for and knows its public key', () => {
    const key = createPrivateKey(leafFor('p256').keyPem);
    const signer = fileSigner(key);
    const data = Buffer.from('data');
    assert.ok(verify('SHA384', data, key, signer.sign(data, 'SHA384') as Buffer));
    assert.equal(signer.publicKey?.type, 'public');
    assert.equal(signer.description, 'the private key');
    signer.close();
  });
});
