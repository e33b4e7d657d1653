/** The path from the leaf up through the intermediates we were given, in any order. */
import { IamraError } from '../errors.js';
import type { ParsedCertificate } from './certificate.js';

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
 * Walks from the leaf to the top: each step takes the given certificate that issued the
 * previous one. Self-signed roots are not sent (the trust anchor holds them), so they end
 * the path and are dropped like unrelated certificates.
 */
export function buildChain<T extends ParsedCertificate>(leaf: T, candidates: T[]): { chain: T[]; dropped: T[] } {
  const pool = candidates.filter((candidate) => candidate.fingerprintSha256 !== leaf.fingerprintSha256);
  const chain: T[] = [];
  let current: T = leaf;
  for (;;) {
    const issuer = pool.find((candidate) => !chain.includes(candidate) && issues(candidate, current));
    if (!issuer || isSelfSigned(issuer)) break;
    chain.push(issuer);
    current = issuer;
  }
  const unique = new Map(pool.map((candidate) => [candidate.fingerprintSha256, candidate]));
  const dropped = [...unique.values()].filter((candidate) => !chain.includes(candidate));
  // Intermediates were given but none leads anywhere from the leaf: the user's chain is wrong.
  const expectedIssuerGiven = pool.some((candidate) => !isSelfSigned(candidate) || candidate.subject === leaf.issuer);
  if (chain.length === 0 && expectedIssuerGiven && !pool.some((candidate) => issues(candidate, leaf))) {
    throw new IamraError(
      'CHAIN_BROKEN',
      `none of the given intermediate certificates issued the leaf "${leaf.subject}" (its issuer is "${leaf.issuer}"); give the chain that leads from this certificate to the trust anchor`,
    );
  }
  return { chain, dropped };
}
