/**
 * The intermediates we send, and the leaf's path through them.
 *
 * X-Amz-X509-Chain carries every certificate given besides the leaf, once each, in the order
 * given: what aws_signing_helper sends for its --intermediates bundle. The service builds its own
 * path from them to the trust anchor and ignores the rest, so a certificate off our path (a
 * root, a cross-certificate, an unrelated CA) is never a reason to refuse a request the service
 * could accept. The path found here serves the pre-flight checks and --debug only.
 */
import type { ParsedCertificate } from './certificate.js';

export interface ChainPlan<T> {
  /** Sent: every certificate given besides the leaf, duplicates once, in the order given. */
  chain: T[];
  /** The part of `chain` leading up from the leaf, the leaf's issuer first (self-signed roots excluded). */
  path: T[];
  /** The part of `chain` not on that path. */
  offPath: T[];
}

/** Issuer by name (and key identifiers), and its key really signed the child. */
function issues(issuer: ParsedCertificate, child: ParsedCertificate): boolean {
  if (issuer.fingerprintSha256 === child.fingerprintSha256) return false;
  if (!child.x509.checkIssued(issuer.x509)) return false;
  try {
    return child.x509.verify(issuer.x509.publicKey);
  } catch {
    return false;
  }
}

function isSelfSigned(certificate: ParsedCertificate): boolean {
  return certificate.subject === certificate.issuer;
}

/**
 * Walks from the leaf up: each step takes a given certificate that issued the previous one,
 * preferring one that is not self-signed (a cross-certificate leads further than a root that
 * the trust anchor holds anyway). A self-signed root ends the path and is not part of it.
 */
function pathFrom<T extends ParsedCertificate>(leaf: T, pool: T[]): T[] {
  const path: T[] = [];
  let current: T = leaf;
  for (;;) {
    const issuers = pool.filter((candidate) => !path.includes(candidate) && issues(candidate, current));
    const next = issuers.find((candidate) => !isSelfSigned(candidate));
    if (!next) return path;
    path.push(next);
    current = next;
  }
}

export function planChain<T extends ParsedCertificate>(leaf: T, candidates: T[]): ChainPlan<T> {
  const unique = new Map<string, T>();
  for (const candidate of candidates) {
    if (candidate.fingerprintSha256 !== leaf.fingerprintSha256 && !unique.has(candidate.fingerprintSha256)) {
      unique.set(candidate.fingerprintSha256, candidate);
    }
  }
  const chain = [...unique.values()];
  const path = pathFrom(leaf, chain);
  return { chain, path, offPath: chain.filter((candidate) => !path.includes(candidate)) };
}
