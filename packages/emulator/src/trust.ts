/** The certificate path from the leaf to an enabled trust anchor, checked as the service does. */
import { X509Certificate } from 'node:crypto';
import { boundedMemo } from './memo.js';
import type { EmulatorModel, TrustAnchor } from './model.js';
import { denied, invalid, UNTRUSTED } from './service-error.js';
import { certificateFacts } from './x509.js';

const WEAK_HASHES = new Set(['md5', 'sha-1', 'sha1']);

export function decodeCertificate(base64: string, what: string): X509Certificate {
  try {
    return new X509Certificate(Buffer.from(base64.trim(), 'base64'));
  } catch {
    throw invalid(`Invalid ${what}`);
  }
}

function checkValidity(certificate: X509Certificate, now: Date, role: string): void {
  if (now < new Date(certificate.validFrom) || now > new Date(certificate.validTo)) {
    throw denied(UNTRUSTED, `${role} ${certificate.subject.replace(/\n/g, ',')} is outside its validity period`);
  }
}

function checkLeaf(leaf: X509Certificate, now: Date): void {
  const facts = certificateFacts(leaf);
  if (facts.version !== 3) throw denied(UNTRUSTED, 'leaf is not X.509 v3');
  if (facts.isCA) throw denied(UNTRUSTED, 'leaf is a CA certificate');
  if (!facts.digitalSignature) throw denied(UNTRUSTED, 'leaf key usage lacks digitalSignature');
  if (WEAK_HASHES.has(facts.signatureHash)) throw denied(UNTRUSTED, `leaf signed with ${facts.signatureHash}`);
  checkValidity(leaf, now, 'leaf');
}

/** `casBelow`: intermediate CAs between this CA and the leaf on the path (RFC 5280 6.1.4 (l), (m)). */
function checkCa(ca: X509Certificate, now: Date, casBelow: number): void {
  const facts = certificateFacts(ca);
  if (!facts.isCA || !facts.keyCertSign) throw denied(UNTRUSTED, 'issuer is not a CA with keyCertSign');
  if (facts.pathLength !== undefined && casBelow > facts.pathLength) {
    throw denied(
      UNTRUSTED,
      `CA ${ca.subject.replace(/\n/g, ',')} allows ${facts.pathLength} CA(s) below it (pathlen), the path has ${casBelow}`,
    );
  }
  if (WEAK_HASHES.has(facts.signatureHash)) throw denied(UNTRUSTED, `CA signed with ${facts.signatureHash}`);
  checkValidity(ca, now, 'CA');
}

/** Whether issuer signed child depends on the two certificates' bytes only. */
const memoSignedBy = boundedMemo<boolean>(4096);

function signedBy(child: X509Certificate, issuer: X509Certificate): boolean {
  return memoSignedBy(`${child.fingerprint256}>${issuer.fingerprint256}`, () => {
    try {
      return child.checkIssued(issuer) && child.verify(issuer.publicKey);
    } catch {
      return false;
    }
  });
}

function checkRevocation(model: EmulatorModel, certificate: X509Certificate): void {
  const serial = certificate.serialNumber.toUpperCase().replace(/^(00)+(?=.)/, '');
  for (const crl of model.crls) {
    if (crl.revokedSerials.has(serial) && sameName(crl.issuer, certificate.issuer)) {
      throw denied(UNTRUSTED, `certificate serial ${serial} is revoked`);
    }
  }
}

function sameName(crlIssuer: string, nodeIssuer: string): boolean {
  const normalize = (name: string) =>
    name
      .split(/[\n,]/)
      .map((part) => part.trim())
      .filter(Boolean)
      .sort()
      .join(',');
  return normalize(crlIssuer) === normalize(nodeIssuer);
}

/** Walks leaf -> intermediates -> one of the anchor's CAs; throws AccessDenied on any failure. */
export function verifyTrustPath(
  model: EmulatorModel,
  anchor: TrustAnchor,
  leaf: X509Certificate,
  intermediates: X509Certificate[],
  now: Date,
): void {
  if (!anchor.enabled) throw denied(UNTRUSTED, 'trust anchor is disabled');
  checkLeaf(leaf, now);
  checkRevocation(model, leaf);
  let current = leaf;
  const remaining = [...intermediates];
  for (let depth = 0; depth <= intermediates.length; depth += 1) {
    const root = anchor.certificates.find((ca) => signedBy(current, ca));
    if (root) {
      checkCa(root, now, depth);
      return;
    }
    const index = remaining.findIndex((candidate) => signedBy(current, candidate));
    const next = remaining[index];
    if (!next) break;
    remaining.splice(index, 1);
    checkCa(next, now, depth);
    checkRevocation(model, next);
    current = next;
  }
  throw denied(UNTRUSTED, 'no path from the leaf to the trust anchor');
}
