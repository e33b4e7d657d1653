/** Certificate facts the service checks, read with @peculiar/x509 (independent of @iamra/core). */
import 'reflect-metadata';
import type { X509Certificate as NodeCertificate } from 'node:crypto';
import {
  BasicConstraintsExtension,
  KeyUsageFlags,
  KeyUsagesExtension,
  X509Certificate as PeculiarCertificate,
} from '@peculiar/x509';
import { boundedMemo } from './memo.js';
import { publicKeyType } from './ml-dsa.js';

export interface CertificateFacts {
  version: number;
  isCA: boolean;
  /** basicConstraints pathLenConstraint: how many CAs may follow this one on a path (RFC 5280 4.2.1.9). */
  pathLength: number | undefined;
  digitalSignature: boolean;
  keyCertSign: boolean;
  /** The hash of the certificate's own signature, lowercase, e.g. sha-256, sha-1, md5. */
  signatureHash: string;
  keyAlgorithm: string;
}

/** Facts are a pure function of the DER; parsing with @peculiar/x509 is the slow part. */
const memoFacts = boundedMemo<CertificateFacts>(1024);

export function certificateFacts(certificate: NodeCertificate): CertificateFacts {
  return memoFacts(certificate.fingerprint256, () => readFacts(certificate));
}

function readFacts(certificate: NodeCertificate): CertificateFacts {
  const parsed = new PeculiarCertificate(certificate.raw);
  const basic = parsed.getExtension(BasicConstraintsExtension);
  const usage = parsed.getExtension(KeyUsagesExtension);
  const algorithm = parsed.signatureAlgorithm as { name?: string; hash?: { name?: string } };
  const hash = (algorithm.hash?.name ?? algorithm.name ?? 'unknown').toLowerCase();
  // @peculiar/x509 cannot name MD5-based signatures; the OID tells.
  const tbsOid = signatureOid(Buffer.from(certificate.raw));
  const signatureHash = tbsOid === '1.2.840.113549.1.1.4' ? 'md5' : hash;
  return {
    version: versionOf(Buffer.from(certificate.raw)),
    isCA: basic?.ca ?? false,
    pathLength: basic?.ca && typeof basic.pathLength === 'number' ? basic.pathLength : undefined,
    digitalSignature: usage ? (usage.usages & KeyUsageFlags.digitalSignature) !== 0 : true,
    keyCertSign: usage ? (usage.usages & KeyUsageFlags.keyCertSign) !== 0 : false,
    signatureHash,
    keyAlgorithm: publicKeyType(certificate) ?? 'unknown',
  };
}

/** X.509 version from the explicit [0] tag of the TBSCertificate (absent means v1). */
function versionOf(der: Buffer): number {
  const tbsStart = headerLength(der, 0);
  const firstField = tbsStart + headerLength(der, tbsStart);
  if (der[firstField] !== 0xa0) return 1;
  const inner = firstField + headerLength(der, firstField);
  return (der[inner + 2] ?? 0) + 1;
}

function headerLength(der: Buffer, offset: number): number {
  const first = der[offset + 1] ?? 0;
  return first & 0x80 ? 2 + (first & 0x7f) : 2;
}

function signatureOid(der: Buffer): string {
  // Certificate ::= SEQUENCE { tbs, signatureAlgorithm SEQUENCE { OID, ... }, signature }
  let offset = headerLength(der, 0);
  const tbsHeader = headerLength(der, offset);
  const first = der[offset + 1] ?? 0;
  let tbsLength = first;
  if (first & 0x80) {
    tbsLength = 0;
    for (let i = 0; i < (first & 0x7f); i += 1) tbsLength = tbsLength * 256 + (der[offset + 2 + i] ?? 0);
  }
  offset += tbsHeader + tbsLength;
  offset += headerLength(der, offset);
  const oidLength = der[offset + 1] ?? 0;
  const bytes = der.subarray(offset + 2, offset + 2 + oidLength);
  const parts = [Math.floor((bytes[0] ?? 0) / 40), (bytes[0] ?? 0) % 40];
  let value = 0;
  for (const byte of bytes.subarray(1)) {
    value = value * 128 + (byte & 0x7f);
    if (!(byte & 0x80)) {
      parts.push(value);
      value = 0;
    }
  }
  return parts.join('.');
}
