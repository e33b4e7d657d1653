/** What TPM2_Sign is asked for and what it returns, in the forms Roles Anywhere takes. */
import { createHash } from 'node:crypto';
import { IamraError } from '../errors.js';
import type { SignatureDigest } from '../keys/types.js';
import { rawEcdsaToDer } from '../pkcs11/ecdsa-der.js';
import { TPM_ALG } from './constants.js';
import type { TpmPublic } from './public-area.js';
import type { TpmReader } from './wire.js';

const HASH_ALG: Record<SignatureDigest, number> = {
  SHA256: TPM_ALG.SHA256,
  SHA384: TPM_ALG.SHA384,
  SHA512: TPM_ALG.SHA512,
};
const HASH_BY_SIZE: Record<number, number> = { 32: TPM_ALG.SHA256, 48: TPM_ALG.SHA384, 64: TPM_ALG.SHA512 };

export interface SignRequest {
  digest: Buffer;
  scheme: number;
  hash: number;
}

function fitTo(bytes: Buffer, size: number): Buffer {
  if (bytes.length >= size) return bytes.subarray(0, size);
  return Buffer.concat([Buffer.alloc(size - bytes.length), bytes]);
}

/**
 * RSA: RSASSA-PKCS1-v1_5 over the requested digest. EC: ECDSA over the digest fitted to the
 * curve's size (ECDSA uses the hash's leftmost bits; a shorter hash is the same number padded),
 * with the hash the TPM expects for that size, as aws_signing_helper asks it.
 */
export function signRequest(key: TpmPublic, data: Uint8Array, digest: SignatureDigest): SignRequest {
  const hashed = createHash(digest).update(data).digest();
  if (key.type === 'rsa') return { digest: hashed, scheme: TPM_ALG.RSASSA, hash: HASH_ALG[digest] };
  const size = Math.min(key.curveBytes, 64);
  const hash = HASH_BY_SIZE[size];
  if (hash === undefined) throw new IamraError('TPM_KEY_UNUSABLE', 'the TPM key is on an unsupported curve');
  return { digest: fitTo(hashed, size), scheme: TPM_ALG.ECDSA, hash };
}

/** A TPMT_SIGNATURE as PKCS#1 v1.5 bytes (RSA) or DER SEQUENCE{r,s} (ECDSA). */
export function readSignature(key: TpmPublic, reader: TpmReader): Buffer {
  const algorithm = reader.u16();
  reader.u16(); // hash
  if (algorithm === TPM_ALG.RSASSA) return reader.sized();
  if (algorithm !== TPM_ALG.ECDSA) {
    throw new IamraError('TPM_FAILED', 'the TPM answered with a signature scheme iamra did not ask for');
  }
  const r = reader.sized();
  const s = reader.sized();
  const size = Math.max(key.curveBytes, r.length, s.length);
  return rawEcdsaToDer(Buffer.concat([fitTo(r, size), fitTo(s, size)]));
}
