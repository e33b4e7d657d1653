/**
 * The object aws_signing_helper's `read-certificate-data` prints, byte for byte: key type,
 * base64 DER, decimal serial and the algorithms `sign-string` offers, in its field order and
 * without a trailing newline (Go's json.Marshal, then fmt.Print).
 */
export interface GoCertificateData {
  keyType: 'RSA' | 'EC' | '';
  certificateData: string;
  serialNumber: string;
  supportedAlgorithms: string[];
}

export function goCertificateData(der: Buffer, publicKeyType: string | undefined, serialDecimal: string): string {
  const keyType = publicKeyType === 'rsa' ? 'RSA' : publicKeyType === 'ec' ? 'EC' : '';
  const data: GoCertificateData = {
    keyType,
    certificateData: der.toString('base64'),
    serialNumber: serialDecimal,
    supportedAlgorithms: ['SHA256', 'SHA384', 'SHA512'].map((digest) => `${keyType}${digest}`),
  };
  return JSON.stringify(data);
}
