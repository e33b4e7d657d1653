/**
 * ML-DSA (FIPS 204) keys, which aws_signing_helper v1.8.0 signs with as AWS4-X509-MLDSA: pure
 * ML-DSA over the string to sign, empty context, no pre-hash. Node signs with them only when its
 * OpenSSL does (Node 24 bundles 3.5; Node 20 has 3.0): we ask the runtime, never its version.
 */
import { generateKeyPairSync } from 'node:crypto';
import { IamraError } from '../errors.js';
import { children, decodeOid, readNode } from '../material/der.js';

export type MlDsaParameterSet = 'ML-DSA-44' | 'ML-DSA-65' | 'ML-DSA-87';

/** RFC 9881 / NIST CSOR: the same OID names the key (SPKI, PKCS#8) and the signature. */
export const ML_DSA_OIDS: Readonly<Record<string, MlDsaParameterSet>> = {
  '2.16.840.1.101.3.4.3.17': 'ML-DSA-44',
  '2.16.840.1.101.3.4.3.18': 'ML-DSA-65',
  '2.16.840.1.101.3.4.3.19': 'ML-DSA-87',
};

/** Node's asymmetricKeyType for each parameter set. */
const NODE_KEY_TYPES: Readonly<Record<string, MlDsaParameterSet>> = {
  'ml-dsa-44': 'ML-DSA-44',
  'ml-dsa-65': 'ML-DSA-65',
  'ml-dsa-87': 'ML-DSA-87',
};

export function mlDsaParameterSet(nodeKeyType: string | undefined): MlDsaParameterSet | undefined {
  return NODE_KEY_TYPES[nodeKeyType ?? ''];
}

let available: boolean | undefined;

/** Whether this runtime's node:crypto makes ML-DSA keys (asked once; a key pair costs well under a millisecond). */
export function mlDsaAvailable(): boolean {
  if (available === undefined) {
    try {
      generateKeyPairSync('ml-dsa-44' as 'ed25519');
      available = true;
    } catch {
      available = false;
    }
  }
  return available;
}

/** The one line for an ML-DSA key or certificate on a runtime that cannot use it. */
export function mlDsaUnsupported(what: string, cause?: unknown): IamraError {
  return new IamraError(
    'KEY_UNSUPPORTED',
    `${what} is ML-DSA, and ML-DSA keys need Node 24 or later (this is Node ${process.versions.node}, whose OpenSSL cannot sign with them); run iamra with Node 24, or use an RSA or EC key`,
    cause === undefined ? {} : { cause },
  );
}

/** The AlgorithmIdentifier OID that opens a PKCS#8 PrivateKeyInfo or a SubjectPublicKeyInfo, if readable. */
function leadingAlgorithmOid(der: Buffer): string | undefined {
  try {
    const parts = children(readNode(der));
    const algorithm = parts.find((part) => part.tag === 0x30);
    const oid = algorithm ? children(algorithm)[0] : undefined;
    return oid?.tag === 0x06 ? decodeOid(oid.value) : undefined;
  } catch {
    return undefined;
  }
}

/** The parameter set of an unencrypted PKCS#8 key in DER, when it is ML-DSA. */
export function mlDsaOfPkcs8(der: Buffer): MlDsaParameterSet | undefined {
  return ML_DSA_OIDS[leadingAlgorithmOid(der) ?? ''];
}
