/** What the emulated account holds: trust anchors, profiles with roles, CRLs. */
import { createHash, X509Certificate } from 'node:crypto';

export interface TrustAnchor {
  arn: string;
  name: string;
  enabled: boolean;
  /** The CA certificates this anchor trusts (a bundle). */
  certificates: X509Certificate[];
}

export interface Profile {
  arn: string;
  name: string;
  enabled: boolean;
  roleArns: string[];
  maxSessionDurationSeconds: number;
}

export interface RevocationList {
  issuer: string;
  /** Uppercase hex serials, as Node prints them. */
  revokedSerials: Set<string>;
}

/**
 * A role STS lets callers assume: its trust policy reduced to what role chaining needs.
 * A principal is a role ARN (`arn:aws:iam::ACCOUNT:role/NAME`), an account
 * (`arn:aws:iam::ACCOUNT:root`: any role of it) or `*`.
 */
export interface AssumableRole {
  arn: string;
  trustedPrincipals: string[];
  /** The sts:ExternalId condition, when the trust policy has one. */
  externalId: string | undefined;
  /** Whether the trust policy also allows sts:TagSession (needed to pass session tags). */
  allowTagSession: boolean;
  maxSessionDurationSeconds: number;
}

export interface EmulatorModel {
  accountId: string;
  region: string;
  partition: string;
  trustAnchors: TrustAnchor[];
  profiles: Profile[];
  crls: RevocationList[];
  /** Roles callers may assume with STS AssumeRole (role chaining). */
  roles: AssumableRole[];
}

/** A stable UUID from a seed, so ARNs survive restarts of the same configuration. */
export function stableUuid(seed: string): string {
  const hex = createHash('sha256').update(seed).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

export function splitPemCertificates(pem: string): X509Certificate[] {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  return blocks.map((block) => new X509Certificate(block));
}
