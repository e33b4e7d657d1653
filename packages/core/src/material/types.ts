import type { MlDsaParameterSet } from '../keys/ml-dsa.js';
import type { KeySigner } from '../keys/types.js';

/** PEM text, base64 of DER, or raw DER bytes. */
export type Source = string | Uint8Array;

export interface MaterialInput {
  /** The leaf; may be a bundle (leaf + intermediates) or a combined certificate + key PEM. */
  certificate?: Source;
  privateKey?: Source;
  /** Bundles in any order; every certificate is sent as given (see `SigningMaterial.chain`). */
  intermediates?: Source[];
  /** PKCS#12 / .pfx as DER bytes or base64. */
  pkcs12?: Source;
  privateKeyPassphrase?: string;
  pkcs12Password?: string;
  /** A key held elsewhere (a PKCS#11 token), used instead of `privateKey`. */
  signer?: KeySigner;
}

export interface CertificateInfo {
  der: Buffer;
  pem: string;
  /** Lowercase hex of the serial, without DER's leading 00 sign byte (as openssl prints it). */
  serialHex: string;
  serialDecimal: string;
  subject: string;
  issuer: string;
  commonName: string | undefined;
  notBefore: Date;
  notAfter: Date;
  isCA: boolean;
  keyUsage: { digitalSignature: boolean; keyCertSign: boolean; cRLSign: boolean } | undefined;
  signatureAlgorithm: { oid: string; name: string };
  fingerprintSha256: string;
}

/** AWS4-X509-MLDSA: aws_signing_helper v1.8.0's name for pure ML-DSA (any parameter set). */
export type SigningAlgorithm = 'AWS4-X509-RSA-SHA256' | 'AWS4-X509-ECDSA-SHA256' | 'AWS4-X509-MLDSA';

export interface SigningMaterial {
  /** Signs with the key; the key itself stays wherever it lives. */
  signer: KeySigner;
  keyType: 'rsa' | 'ec' | 'ml-dsa';
  /** RSA modulus bits, the curve's size, or ML-DSA's classical security strength (128, 192, 256). */
  keyBits: number;
  curve: 'P-256' | 'P-384' | 'P-521' | undefined;
  /** Set for ML-DSA keys only. */
  mlDsa?: MlDsaParameterSet;
  algorithm: SigningAlgorithm;
  leaf: CertificateInfo;
  /**
   * Sent in X-Amz-X509-Chain: every certificate given besides the leaf, once each, in the order
   * given, as aws_signing_helper sends them; the service picks its own path through them.
   */
  chain: CertificateInfo[];
  /** The part of `chain` leading up from the leaf, the leaf's issuer first (pre-flight checks it). */
  path: CertificateInfo[];
  /** The part of `chain` not on that path (a root, an unrelated certificate): sent all the same. */
  offPath: CertificateInfo[];
}

export interface Warning {
  code: 'CERT_EXPIRES_SOON' | 'RSA_KEY_SMALL' | 'CHAIN_LARGE';
  message: string;
}

export interface LoadOptions {
  now: Date;
  /** Warn when the leaf expires within this many days (default 30). */
  expiryWarningDays?: number;
}
