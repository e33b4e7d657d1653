/** A key's TPMT_PUBLIC: its type, what it may do, and its public key as Node reads it. */
import { createPublicKey, type KeyObject } from 'node:crypto';
import { IamraError } from '../errors.js';
import { TPM_ALG, TPM_ECC_CURVE } from './constants.js';
import { TpmReader } from './wire.js';

const ECDAA = 0x001a;

const CURVES: Record<number, { name: 'P-256' | 'P-384' | 'P-521'; bytes: number }> = {
  [TPM_ECC_CURVE.NIST_P256]: { name: 'P-256', bytes: 32 },
  [TPM_ECC_CURVE.NIST_P384]: { name: 'P-384', bytes: 48 },
  [TPM_ECC_CURVE.NIST_P521]: { name: 'P-521', bytes: 66 },
};

export interface TpmPublic {
  type: 'rsa' | 'ec';
  attributes: number;
  /** The key's own signing scheme (TPM_ALG_NULL when the caller picks one). */
  scheme: number;
  publicKey: KeyObject;
  /** EC: the curve's size in bytes (the digest length the TPM signs). */
  curveBytes: number;
}

function invalid(what: string): IamraError {
  return new IamraError('TPM_KEY_INVALID', `the TPM key's public part is not usable (${what}); make the key again`);
}

function skipSymmetric(reader: TpmReader): void {
  if (reader.u16() !== TPM_ALG.NULL) {
    reader.u16(); // keyBits
    reader.u16(); // mode
  }
}

function readScheme(reader: TpmReader): number {
  const scheme = reader.u16();
  if (scheme !== TPM_ALG.NULL) {
    reader.u16(); // hashAlg
    if (scheme === ECDAA) reader.u16(); // count
  }
  return scheme;
}

const base64url = (bytes: Buffer) => bytes.toString('base64url');

function leftPad(bytes: Buffer, size: number): Buffer {
  return bytes.length >= size ? bytes : Buffer.concat([Buffer.alloc(size - bytes.length), bytes]);
}

function rsaPublic(reader: TpmReader, attributes: number): TpmPublic {
  skipSymmetric(reader);
  const scheme = readScheme(reader);
  reader.u16(); // keyBits: the modulus says it
  const exponent = reader.u32() || 65537; // 0 means the default exponent
  const modulus = reader.sized();
  const e = Buffer.alloc(4);
  e.writeUInt32BE(exponent);
  const jwk = { kty: 'RSA', n: base64url(modulus), e: base64url(e.subarray(e.findIndex((byte) => byte !== 0))) };
  return { type: 'rsa', attributes, scheme, publicKey: createPublicKey({ key: jwk, format: 'jwk' }), curveBytes: 0 };
}

function eccPublic(reader: TpmReader, attributes: number): TpmPublic {
  skipSymmetric(reader);
  const scheme = readScheme(reader);
  const curve = CURVES[reader.u16()];
  if (!curve) throw invalid('an EC curve other than NIST P-256, P-384 or P-521');
  readScheme(reader); // kdf
  const x = leftPad(reader.sized(), curve.bytes);
  const y = leftPad(reader.sized(), curve.bytes);
  const jwk = { kty: 'EC', crv: curve.name, x: base64url(x), y: base64url(y) };
  return {
    type: 'ec',
    attributes,
    scheme,
    publicKey: createPublicKey({ key: jwk, format: 'jwk' }),
    curveBytes: curve.bytes,
  };
}

/** Reads a TPMT_PUBLIC (the body of a TPM2B_PUBLIC). */
export function parsePublicArea(area: Buffer): TpmPublic {
  const reader = new TpmReader(area, () => invalid('truncated'));
  const type = reader.u16();
  reader.u16(); // nameAlg
  const attributes = reader.u32();
  reader.sized(); // authPolicy
  let parsed: TpmPublic;
  try {
    if (type === TPM_ALG.RSA) parsed = rsaPublic(reader, attributes);
    else if (type === TPM_ALG.ECC) parsed = eccPublic(reader, attributes);
    else throw invalid('neither an RSA nor an EC key');
  } catch (error) {
    if (error instanceof IamraError) throw error;
    throw invalid('the public key does not decode');
  }
  if (!reader.done) throw invalid('trailing bytes');
  return parsed;
}
