/**
 * Does the certificate chain to the trust anchor's CA? The path the service would build: from
 * the leaf through the given intermediates to a certificate of the trust anchor's bundle, each
 * link a matching issuer name and a verifying signature, each certificate inside its validity.
 */
import type { ParsedCertificate } from '@iamra/core';

export interface TrustPath {
  /** The leaf first, the anchor last when trusted. */
  path: ParsedCertificate[];
  trusted: boolean;
  /** Why not, in one line (untrusted text not yet neutralised). */
  problem: string | undefined;
  /** The path's next CA when its ML-DSA key is one this runtime cannot verify with (Node 20). */
  unverifiable?: ParsedCertificate;
}

const MAX_DEPTH = 10;

function issuerOf(certificate: ParsedCertificate, candidates: ParsedCertificate[]): ParsedCertificate | undefined {
  return candidates.find(
    (candidate) =>
      candidate.isCA &&
      !candidate.keyUnreadable &&
      certificate.x509.checkIssued(candidate.x509) &&
      certificate.x509.verify(candidate.x509.publicKey),
  );
}

function isInside(certificate: ParsedCertificate, now: Date): boolean {
  return certificate.notBefore <= now && now <= certificate.notAfter;
}

export function findTrustPath(
  leaf: ParsedCertificate,
  intermediates: ParsedCertificate[],
  anchors: ParsedCertificate[],
  now: Date,
): TrustPath {
  const path = [leaf];
  let current = leaf;
  for (let depth = 0; depth < MAX_DEPTH; depth += 1) {
    const outside = path.find((certificate) => !isInside(certificate, now));
    const anchor = issuerOf(current, anchors) ?? anchors.find((a) => a.fingerprintSha256 === current.fingerprintSha256);
    if (anchor) {
      if (anchor !== current) path.push(anchor);
      const expired = outside ?? (isInside(anchor, now) ? undefined : anchor);
      return expired
        ? {
            path,
            trusted: false,
            problem: `"${expired.subject}" is outside its validity (${expired.notBefore.toISOString()} to ${expired.notAfter.toISOString()})`,
          }
        : { path, trusted: true, problem: undefined };
    }
    const next = issuerOf(
      current,
      intermediates.filter((candidate) => !path.includes(candidate)),
    );
    if (!next) {
      const unverifiable = [...anchors, ...intermediates].find(
        (candidate) => candidate.keyUnreadable && candidate.subject === current.issuer,
      );
      return {
        path,
        trusted: false,
        ...(unverifiable ? { unverifiable } : {}),
        problem: `no certificate in the trust anchor's bundle or the intermediates issued "${current.subject}" (issuer "${current.issuer}"); give the missing intermediate, or the CA this trust anchor holds`,
      };
    }
    path.push(next);
    current = next;
  }
  return { path, trusted: false, problem: `no path within ${MAX_DEPTH} certificates` };
}
