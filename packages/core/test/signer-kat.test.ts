/**
 * Known answers computed by fixtures/generate-kat.py (Python + openssl, not our code). RSA
 * PKCS#1 v1.5 is deterministic: the whole Authorization header must match. ECDSA is randomized:
 * the canonical request and string to sign must match, and the signature must verify.
 */
import assert from 'node:assert/strict';
import { createPublicKey, verify, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadSigningMaterial, resolveSessionParameters, signCreateSession } from '@iamra/core';

const dir = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'kat');
interface Vector {
  name: string;
  leaf: string;
  key: string;
  chain: string[];
  arnsIn: 'query' | 'body';
  endpoint: string;
  roleSessionName: string | null;
  body: string;
  canonicalRequest: string;
  stringToSign: string;
  serialDecimal: string;
  authorization?: string;
}
const fixture = JSON.parse(readFileSync(join(dir, 'vectors.json'), 'utf8')) as {
  trustAnchorArn: string;
  profileArn: string;
  roleArn: string;
  vectors: Vector[];
};
const date = new Date('2026-01-02T03:04:05Z');
const read = (name: string) => readFileSync(join(dir, name), 'utf8');

describe('signer known-answer vectors', () => {
  for (const vector of fixture.vectors) {
    it(vector.name, async () => {
      const { material } = await loadSigningMaterial(
        { certificate: read(vector.leaf), privateKey: read(vector.key), intermediates: vector.chain.map(read) },
        { now: date },
      );
      assert.equal(material.leaf.serialDecimal, vector.serialDecimal);
      const params = resolveSessionParameters({
        trustAnchorArn: fixture.trustAnchorArn,
        profileArn: fixture.profileArn,
        roleArn: fixture.roleArn,
        ...(vector.roleSessionName ? { roleSessionName: vector.roleSessionName } : {}),
      });
      const signed = await signCreateSession({
        material,
        params,
        endpoint: vector.endpoint,
        arnsIn: vector.arnsIn,
        date,
      });
      assert.equal(signed.body, vector.body);
      assert.equal(signed.canonicalRequest, vector.canonicalRequest);
      assert.equal(signed.stringToSign, vector.stringToSign);
      if (vector.authorization) {
        assert.equal(signed.headers.Authorization, vector.authorization);
      } else {
        const match = /Signature=([0-9a-f]+)$/.exec(signed.headers.Authorization ?? '');
        assert.ok(match?.[1], 'no signature');
        const publicKey = createPublicKey(
          new X509Certificate(read(vector.leaf)).publicKey.export({ format: 'pem', type: 'spki' }),
        );
        assert.ok(verify('sha256', Buffer.from(vector.stringToSign), publicKey, Buffer.from(match[1], 'hex')));
        assert.ok(
          (signed.headers.Authorization ?? '').startsWith(
            `AWS4-X509-ECDSA-SHA256 Credential=${vector.serialDecimal}/20260102/us-east-1/rolesanywhere/aws4_request, SignedHeaders=`,
          ),
        );
      }
      const url = new URL(signed.url);
      assert.equal(url.pathname, '/sessions');
      assert.equal(signed.headers.Host, new URL(vector.endpoint).host);
      if (vector.chain.length) assert.equal(signed.headers['X-Amz-X509-Chain']?.split(',').length, vector.chain.length);
      else assert.equal(signed.headers['X-Amz-X509-Chain'], undefined);
    });
  }
});
