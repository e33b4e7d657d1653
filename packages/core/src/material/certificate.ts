/** Certificates from PEM, DER or base64, described the way the rest of iamra needs them. */
import { X509Certificate } from 'node:crypto';
import { IamraError } from '../errors.js';
import { ML_DSA_OIDS, mlDsaAvailable } from '../keys/ml-dsa.js';
import { unsignedDecimal } from './der.js';
import { binaryOf, checkSize, hasPemMarker, pemBlocks, toPem } from './pem.js';
import type { CertificateInfo, Source } from './types.js';
import { readX509Fields } from './x509-fields.js';

const CERTIFICATE_LABELS = new Set(['CERTIFICATE', 'X509 CERTIFICATE', 'TRUSTED CERTIFICATE']);

/** "CN=a\nO=b" (Node's form, values already escaped RFC 4514 style) as "CN=a,O=b". */
function distinguishedName(text: string): string {
  return text.split('\n').filter(Boolean).join(',');
}

/** The CN value itself, without the escaping Node adds for "," "+" and friends. */
function commonNameOf(text: string): string | undefined {
  const line = text.split('\n').find((part) => part.startsWith('CN='));
  return line?.slice(3).replace(/\\(.)/g, '$1');
}

/** Hex without the 00 that DER puts before a high first byte (as openssl and Node print it). */
function serialHex(bytes: Buffer): string {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start += 1;
  return bytes.subarray(start).toString('hex');
}

/**
 * A certificate as parsed here: its description, Node's object, and whether this runtime can read
 * its public key (an ML-DSA certificate before Node 24 cannot: it is still sent, never matched).
 */
export type ParsedCertificate = CertificateInfo & { x509: X509Certificate; keyUnreadable: boolean };

export function describeCertificate(der: Buffer, what = 'certificate'): ParsedCertificate {
  let x509: X509Certificate;
  let fields: ReturnType<typeof readX509Fields>;
  let keyUnreadable = false;
  try {
    x509 = new X509Certificate(der);
    fields = readX509Fields(der);
    keyUnreadable = fields.publicKeyOid in ML_DSA_OIDS && !mlDsaAvailable();
    // Node decodes the public key lazily; a corrupt one must fail here, as malformed input.
    if (!keyUnreadable) void x509.publicKey;
  } catch (error) {
    if (error instanceof IamraError) throw error;
    throw new IamraError(
      'CERT_MALFORMED',
      `${what} is not a valid X.509 certificate (truncated or corrupted); export it again as PEM or DER`,
      { cause: error },
    );
  }
  return {
    x509,
    keyUnreadable,
    der: Buffer.from(x509.raw),
    pem: toPem('CERTIFICATE', Buffer.from(x509.raw)),
    serialHex: serialHex(fields.serial),
    serialDecimal: unsignedDecimal(fields.serial),
    subject: distinguishedName(x509.subject),
    issuer: distinguishedName(x509.issuer),
    commonName: commonNameOf(x509.subject),
    notBefore: new Date(x509.validFrom),
    notAfter: new Date(x509.validTo),
    isCA: fields.isCA,
    keyUsage: fields.keyUsage,
    signatureAlgorithm: fields.signatureAlgorithm,
    fingerprintSha256: x509.fingerprint256.replace(/:/g, '').toLowerCase(),
  };
}

/** Every certificate in a source (a PEM bundle may hold several and a key, which is skipped). */
export function parseCertificateList(source: Source, what = 'certificate'): ParsedCertificate[] {
  checkSize(source, what);
  if (hasPemMarker(source)) {
    const text = typeof source === 'string' ? source : Buffer.from(source).toString('utf8');
    const blocks = pemBlocks(text).filter((block) => CERTIFICATE_LABELS.has(block.label));
    if (blocks.length === 0) {
      throw new IamraError(
        'CERT_MALFORMED',
        `${what} holds no complete "BEGIN CERTIFICATE" PEM block; check that the file was not truncated`,
      );
    }
    return blocks.map((block) => describeCertificate(block.der, what));
  }
  const der = binaryOf(source);
  if (der.length === 0) {
    throw new IamraError('CERT_MALFORMED', `${what} is empty; give a PEM or DER certificate`);
  }
  if (der[0] !== 0x30) {
    throw new IamraError('CERT_MALFORMED', `${what} is neither PEM nor DER; give a PEM or DER certificate`);
  }
  return [describeCertificate(der, what)];
}

export function parseCertificates(source: Source): CertificateInfo[] {
  return parseCertificateList(source).map(({ x509: _x509, keyUnreadable: _unreadable, ...info }) => info);
}
