/** The path from the leaf up through the intermediates we were given, in any order. */
import { IamraError } from '../errors.js';
import type { ParsedCertificate } from './certificate.js';

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

function forgedIssuer(child: ParsedCertificate, issuer: ParsedCertificate): IamraError {
  return new IamraError(
    'CHAIN_BROKEN',
    `certificate "${child.subject}" names "${issuer.subject}" as its issuer, but the given "${issuer.subject}" (serial ${issuer.serialHex}) did not sign it; give the intermediate that really issued it`,
  );
}

/**
 * Walks from the leaf to the top: each step takes the given certificate that issued the
 * previous one. Self-signed roots are not sent (the trust anchor holds them), so they end
 * the path and are dropped like unrelated certificates.
 */
export function buildChain<T extends ParsedCertificate>(leaf: T, candidates: T[]): { chain: T[]; dropped: T[] } {
  const unique = new Map<string, T>();
  for (const candidate of candidates) {
    if (candidate.fingerprintSha256 !== leaf.fingerprintSha256) unique.set(candidate.fingerprintSha256, candidate);
  }
  const pool = [...unique.values()];
  const chain: T[] = [];
  let current: T = leaf;
  let top = false;
  for (;;) {
    const issuer = pool.find((candidate) => !chain.includes(candidate) && issues(candidate, current));
    if (!issuer) break;
    if (isSelfSigned(issuer)) {
      top = true;
      break;
    }
    chain.push(issuer);
    current = issuer;
  }
  if (!top && !isSelfSigned(current)) {
    // Same name as the expected issuer but another key signed it: a stale or wrong intermediate.
    const namesake = pool.find((candidate) => !chain.includes(candidate) && candidate.subject === current.issuer);
    if (namesake) throw forgedIssuer(current, namesake);
  }
  if (chain.length === 0 && !top && pool.length > 0) {
    throw new IamraError(
      'CHAIN_BROKEN',
      `none of the ${pool.length} other given certificate(s) issued the leaf "${leaf.subject}" (its issuer is "${leaf.issuer}"); give the intermediates that lead from this certificate to the trust anchor`,
    );
  }
  const dropped = pool.filter((candidate) => !chain.includes(candidate));
  return { chain, dropped };
}
