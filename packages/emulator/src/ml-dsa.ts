/**
 * ML-DSA as the service verifies it for AWS4-X509-MLDSA (aws_signing_helper v1.8.0): pure ML-DSA
 * over the string to sign, empty context. Node verifies it only when its OpenSSL does (Node 24);
 * the emulator asks the runtime once and says plainly when it cannot check such a request.
 */
import { generateKeyPairSync, type X509Certificate } from 'node:crypto';
import { denied } from './service-error.js';

export const ML_DSA_ALGORITHM = 'AWS4-X509-MLDSA';

const ML_DSA_KEY_TYPES = new Set(['ml-dsa-44', 'ml-dsa-65', 'ml-dsa-87']);

let verifies: boolean | undefined;

/** Whether this Node's crypto handles ML-DSA keys at all. */
export function mlDsaVerifies(): boolean {
  if (verifies === undefined) {
    try {
      generateKeyPairSync('ml-dsa-44' as 'ed25519');
      verifies = true;
    } catch {
      verifies = false;
    }
  }
  return verifies;
}

export function isMlDsaKeyType(type: string | undefined): boolean {
  return ML_DSA_KEY_TYPES.has(type ?? '');
}

/** A certificate's key type, or undefined when this Node cannot decode the key (ML-DSA before Node 24). */
export function publicKeyType(certificate: X509Certificate): string | undefined {
  try {
    return certificate.publicKey.asymmetricKeyType;
  } catch {
    return undefined;
  }
}

/** The emulator's own limit, said to the client rather than dressed up as a bad signature. */
export function cannotVerifyMlDsa(): Error {
  return denied(
    `Invalid signature: this emulator runs on Node ${process.versions.node}, which cannot verify ML-DSA; run the emulator on Node 24`,
  );
}
