/**
 * The object aws_signing_helper's `read-certificate-data` prints, byte for byte: key type,
 * base64 DER, decimal serial and the algorithms `sign-string` offers, in its field order and
 * without a trailing newline (Go's json.Marshal, then fmt.Print).
 */
import { mlDsaParameterSet } from '@iamra/core';

export interface GoCertificateData {
  /** v1.8.0 names an ML-DSA key by its parameter set, and offers that one algorithm. */
  keyType: 'RSA' | 'EC' | 'ML-DSA-44' | 'ML-DSA-65' | 'ML-DSA-87' | '';
  certificateData: string;
  serialNumber: string;
  supportedAlgorithms: string[];
}

/** `publicKeyType`: Node's key type (rsa, ec, ml-dsa-65) or an ML-DSA parameter set (ML-DSA-65). */
export function goCertificateData(der: Buffer, publicKeyType: string | undefined, serialDecimal: string): string {
  const mlDsa = mlDsaParameterSet(publicKeyType?.toLowerCase());
  const keyType = mlDsa ?? (publicKeyType === 'rsa' ? 'RSA' : publicKeyType === 'ec' ? 'EC' : '');
  const data: GoCertificateData = {
    keyType,
    certificateData: der.toString('base64'),
    serialNumber: serialDecimal,
    supportedAlgorithms: mlDsa ? [mlDsa] : ['SHA256', 'SHA384', 'SHA512'].map((digest) => `${keyType}${digest}`),
  };
  return JSON.stringify(data);
}
