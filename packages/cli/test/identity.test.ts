/**
 * The cache key computed by the pure SHA-256 (the warm path loads no node:crypto) is the key
 * createHash computes from the same fields; and the fields are the ones that decide whether the
 * full path would answer (see core/src/cache/session-key.ts).
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import type { SessionParameters, Source } from '@iamra/core';
import { certificateFingerprints, type IdentityInput, sessionIdentity } from '@iamra/core/light';
import { makePki } from '../../../test/support/pki.js';

const hex = (data: string | Uint8Array) => createHash('sha256').update(data).digest('hex');

function referenceFingerprints(source: Source): string[] {
  const text = typeof source === 'string' ? source : Buffer.from(source).toString('latin1');
  const bodies = [...text.matchAll(/-----BEGIN (?:X509 |TRUSTED )?CERTIFICATE-----([\s\S]*?)-----END/g)].map(
    (match) => match[1] ?? '',
  );
  if (bodies.length === 0) return [hex(typeof source === 'string' ? Buffer.from(source, 'latin1') : source)];
  return bodies.map((body) => hex(Buffer.from(body.replace(/[^A-Za-z0-9+/=]/g, ''), 'base64'))).sort();
}

function referenceSecret(bytes: Source | undefined, passphrase: string | undefined): string {
  if (bytes === undefined) return '';
  const data = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : Buffer.from(bytes);
  return hex(Buffer.concat([data, Buffer.from(`\0${passphrase ?? ''}`, 'utf8')]));
}

function referenceIdentity(input: IdentityInput): string {
  const { params } = input;
  const keySource = input.privateKey ?? (input.pkcs12 === undefined ? input.certificate : undefined);
  return hex(
    JSON.stringify([
      3,
      input.certificate !== undefined ? referenceFingerprints(input.certificate) : [],
      referenceSecret(keySource, input.privateKeyPassphrase),
      (input.intermediates ?? []).map(referenceFingerprints),
      referenceSecret(input.pkcs12, input.pkcs12Password),
      params.trustAnchorArn,
      params.profileArn,
      params.roleArn,
      params.region,
      params.durationSeconds,
      params.roleSessionName ?? '',
      input.endpoint ?? '',
      input.tls,
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
      { pkcs12: randomBytes(700).toString('base64'), pkcs12Password: 'pässword' },
      { privateKey: pki.ecLeaf.keyPem, privateKeyPassphrase: 'secret' },
      { privateKey: Buffer.from(pki.rsaLeaf.keyPem), intermediates: [pki.intermediate.certPem, pki.root.certDer] },
      { tls: 'no-verify' },
    ];
    let compared = 0;
    for (const certificate of certificates) {
      for (const variant of variants) {
        const input: IdentityInput = {
          certificate,
          privateKey: undefined,
          privateKeyPassphrase: undefined,
          intermediates: undefined,
          pkcs12: undefined,
          pkcs12Password: undefined,
          params,
          endpoint: undefined,
          tls: 'verify',
          ...variant,
        };
        assert.equal(sessionIdentity(input), referenceIdentity(input));
        compared += 1;
      }
      if (certificate !== undefined)
        assert.deepEqual(certificateFingerprints(certificate), referenceFingerprints(certificate));
    }
    assert.equal(compared, certificates.length * variants.length);
  });

  it('the same certificate as PEM text, PEM bytes or DER has one fingerprint: the DER SHA-256', () => {
    const der = hex(pki.rsaLeaf.certDer);
    for (const source of [pki.rsaLeaf.certPem, Buffer.from(pki.rsaLeaf.certPem), pki.rsaLeaf.certDer]) {
      assert.deepEqual(certificateFingerprints(source), [der]);
    }
  });

  it('a bundle counts by every certificate in it, in any order', () => {
    const a = `${pki.intermediate.certPem}${pki.rsaLeaf.certPem}`;
    const b = `${pki.intermediate.certPem}${pki.ecLeaf.certPem}`;
    assert.notDeepEqual(certificateFingerprints(a), certificateFingerprints(b), 'same first block, other leaf');
    assert.deepEqual(
      certificateFingerprints(a),
      certificateFingerprints(`${pki.rsaLeaf.certPem}${pki.intermediate.certPem}`),
    );
  });
});
