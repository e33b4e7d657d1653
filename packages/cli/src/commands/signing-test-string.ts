/**
 * What aws_signing_helper's `sign-string` signs: not stdin but a fixed test string bound to the
 * key, "AWS Roles Anywhere Credential Helper Signing Test" || "1" || SHA256("IAM RA" || public
 * key), where the public key is RSA's PKCS#1 DER or EC's uncompressed point (0x04 || X || Y).
 * For an ML-DSA key v1.8.0 binds nothing: the string is the prefix and version alone.
 */
import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import { IamraError, mlDsaParameterSet } from '@iamra/core';

const PREFIX = 'AWS Roles Anywhere Credential Helper Signing Test';
const TEST_VERSION = '1';

function publicKeyBytes(key: KeyObject): Buffer {
  const publicKey = key.type === 'public' ? key : createPublicKey(key);
  if (publicKey.asymmetricKeyType === 'rsa') return publicKey.export({ type: 'pkcs1', format: 'der' });
  if (publicKey.asymmetricKeyType === 'ec') {
    const { x, y } = publicKey.export({ format: 'jwk' });
    return Buffer.concat([Buffer.from([4]), Buffer.from(x ?? '', 'base64url'), Buffer.from(y ?? '', 'base64url')]);
  }
  throw new IamraError('KEY_UNSUPPORTED', 'sign-string signs with RSA, EC and ML-DSA keys only; give one of those');
}

export function signingTestString(key: KeyObject): Buffer {
  if (mlDsaParameterSet(key.asymmetricKeyType)) return Buffer.from(`${PREFIX}${TEST_VERSION}`);
  const suffix = createHash('sha256')
    .update(Buffer.concat([Buffer.from('IAM RA'), publicKeyBytes(key)]))
    .digest();
  return Buffer.concat([Buffer.from(`${PREFIX}${TEST_VERSION}`), suffix]);
}
