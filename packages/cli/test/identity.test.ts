/**
 * Cache keys must not change when the hash moved from node:crypto to the pure SHA-256: existing
 * entries stay valid. The reference below is the key as computed before, with createHash.
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import type { SessionParameters, Source } from '@iamra/core';
import { certificateFingerprint, type IdentityInput, sessionIdentity } from '@iamra/core/light';
import { makePki } from '../../../test/support/pki.js';

const hex = (data: string | Uint8Array) => createHash('sha256').update(data).digest('hex');

function referenceFingerprint(source: Source): string {
  const text = typeof source === 'string' ? source : Buffer.from(source).toString('latin1');
  const body = /-----BEGIN (?:X509 |TRUSTED )?CERTIFICATE-----([\s\S]*?)-----END/.exec(text)?.[1];
  if (body === undefined) return hex(typeof source === 'string' ? Buffer.from(source, 'latin1') : source);
  return hex(Buffer.from(body.replace(/[^A-Za-z0-9+/=]/g, ''), 'base64'));
}

function referenceIdentity(input: IdentityInput): string {
  const { params } = input;
  return hex(
    JSON.stringify([
      input.certificate !== undefined ? referenceFingerprint(input.certificate) : '',
      input.pkcs12 !== undefined ? hex(input.pkcs12) : '',
      params.trustAnchorArn,
      params.profileArn,
      params.roleArn,
      params.region,
      params.durationSeconds,
      params.roleSessionName ?? '',
      input.endpoint ?? '',
    ]),
  );
}

describe('cache key (session identity)', () => {
  const pki = makePki({ subjectPrefix: 'identity' });
  const params: SessionParameters = {
    trustAnchorArn: 'arn:aws:rolesanywhere:eu-west-1:123456789012:trust-anchor/0b2e4c8a-1111-4222-8333-944455556666',
    profileArn: 'arn:aws:rolesanywhere:eu-west-1:123456789012:profile/0b2e4c8a-1111-4222-8333-944455556667',
    roleArn: 'arn:aws:iam::123456789012:role/path/ci-role',
    partition: 'aws',
    region: 'eu-west-1',
    accountId: '123456789012',
    durationSeconds: 3600,
    roleSessionName: undefined,
  };

  it('is byte-identical to the createHash computation for every kind of input', () => {
    const certificates: (Source | undefined)[] = [
      pki.ecLeaf.certPem,
      Buffer.from(pki.rsaLeaf.certPem),
      pki.rsaLeaf.certDer,
      new Uint8Array(pki.ecLeaf.certDer),
      `${pki.ecLeaf.certPem}${pki.ecLeaf.keyPem}`,
      pki.ecLeaf.certDer.toString('base64'),
      'not a certificate: ünïcödé',
      undefined,
    ];
    const variants: Partial<IdentityInput>[] = [
      {},
      { endpoint: 'http://127.0.0.1:4567' },
      { params: { ...params, roleSessionName: 'ci-run-42', durationSeconds: 900 } },
      { params: { ...params, region: 'eu-central-1' } },
      { pkcs12: randomBytes(1500) },
      { pkcs12: randomBytes(700).toString('base64') },
    ];
    let compared = 0;
    for (const certificate of certificates) {
      for (const variant of variants) {
        const input: IdentityInput = { certificate, pkcs12: undefined, params, endpoint: undefined, ...variant };
        assert.equal(sessionIdentity(input), referenceIdentity(input));
        compared += 1;
      }
      if (certificate !== undefined)
        assert.equal(certificateFingerprint(certificate), referenceFingerprint(certificate));
    }
    assert.equal(compared, certificates.length * variants.length);
  });

  it('the same certificate as PEM text, PEM bytes or DER has one fingerprint: the DER SHA-256', () => {
    const der = hex(pki.rsaLeaf.certDer);
    for (const source of [pki.rsaLeaf.certPem, Buffer.from(pki.rsaLeaf.certPem), pki.rsaLeaf.certDer]) {
      assert.equal(certificateFingerprint(source), der);
    }
  });
});
