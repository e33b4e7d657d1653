/** A private key held in memory (from a file, a variable or PKCS#12), signing with node:crypto. */
import { createPublicKey, type KeyObject, sign, type X509Certificate } from 'node:crypto';
import { mlDsaParameterSet } from './ml-dsa.js';
import type { KeySigner, SignatureDigest } from './types.js';

export function fileSigner(privateKey: KeyObject, description = 'the private key'): KeySigner {
  // ML-DSA is pure: the message itself, no digest (null), with Node's default empty context.
  const pure = mlDsaParameterSet(privateKey.asymmetricKeyType) !== undefined;
  return {
    description,
    publicKey: createPublicKey(privateKey),
    // RSASSA-PKCS1-v1_5 and ECDSA (DER r,s) are Node's defaults for these key types.
    sign: (data: Uint8Array, digest: SignatureDigest = 'SHA256') => sign(pure ? null : digest, data, privateKey),
    // OpenSSL's own key/certificate match: no public-key export and compare on the hot path.
    matches: (certificate: X509Certificate) => certificate.checkPrivateKey(privateKey),
    close: () => {},
  };
}
