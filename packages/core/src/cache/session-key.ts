/**
 * The cache key: a SHA-256 of everything that makes one session, or the right to it, differ
 * from another. An entry is served without loading the key or calling the service, so the key
 * holds whatever the full path would check before it answered:
 * - every certificate in the certificate source (by DER fingerprint, order-free), not only the
 *   first: which one is the leaf depends on the key, and two bundles that share an intermediate
 *   are different identities;
 * - the private key's bytes with its passphrase (or the PKCS#12's with its password): a file that
 *   is not the key, or a wrong passphrase, misses and runs the full path, which refuses it;
 * - the intermediates, the ARNs, region, duration, session name, endpoint;
 * - how the service was trusted: --no-verify-ssl and the CA bundles (NODE_EXTRA_CA_CERTS, the
 *   same file when a profile's launcher moved it to IAMRA_EXTRA_CA_CERTS, and AWS_CA_BUNDLE), so
 *   credentials fetched without verification are never served to a verifying call.
 * The same certificate as PEM, DER, from a file, env or stdin still shares one entry. Nothing
 * secret is recoverable from the name: secrets enter only through SHA-256 of key bytes.
 * The pure SHA-256 keeps node:crypto out of the warm-cache path. Core owns it because the CI
 * adapters prime the cache their profiles read (same key, same file).
 */
import { statSync } from 'node:fs';
import type { RoleChain } from '../chain/chain.js';
import { sha256Hex } from '../digest/sha256.js';
import { DEFERRED_CA_VARIABLE } from '../formats/launcher.js';
import type { Source } from '../material/types.js';
import type { SessionParameters } from '../parameters.js';

const CERTIFICATE_PEM = /-----BEGIN (?:X509 |TRUSTED )?CERTIFICATE-----([\s\S]*?)-----END/g;

/** Bumped whenever what the key covers changes: old entries then simply miss. */
const KEY_VERSION = 3;

function bytesOf(source: Source): Uint8Array {
  return typeof source === 'string' ? Buffer.from(source, 'utf8') : source;
}

/**
 * SHA-256 of each certificate's DER in a source (no full parse: this runs on every warm call),
 * sorted; the source's own bytes when it holds no PEM certificate (DER, or not a certificate).
 */
export function certificateFingerprints(source: Source): string[] {
  const text = typeof source === 'string' ? source : Buffer.from(source).toString('latin1');
  const bodies = [...text.matchAll(CERTIFICATE_PEM)].map((match) => match[1] ?? '');
  if (bodies.length === 0) {
    return [sha256Hex(typeof source === 'string' ? Buffer.from(source, 'latin1') : source)];
  }
  return bodies.map((body) => sha256Hex(Buffer.from(body.replace(/[^A-Za-z0-9+/=]/g, ''), 'base64'))).sort();
}

/** Key bytes with their passphrase: a different key, or the same key with a wrong passphrase, misses. */
function secretDigest(bytes: Source | undefined, passphrase: string | undefined): string {
  if (bytes === undefined) return '';
  return sha256Hex(Buffer.concat([Buffer.from(bytesOf(bytes)), Buffer.from(`\0${passphrase ?? ''}`, 'utf8')]));
}

export interface TlsIdentityInput {
  /** false for --no-verify-ssl. */
  rejectUnauthorized: boolean;
  env: NodeJS.ProcessEnv;
  /** The --tls-file's bytes (an agent's CA, client certificate, SkipCertValidation), if any. */
  settings?: Source | undefined;
}

/** Path, size and mtime: a replaced bundle is a new identity, without hashing ~200 kB per call. */
function caBundleIdentity(bundle: string | undefined): string {
  if (!bundle) return '';
  try {
    const stat = statSync(bundle);
    return `${bundle}:${stat.size}:${stat.mtimeMs}`;
  } catch {
    return `${bundle}:absent`;
  }
}

/** How the service's TLS certificate was trusted: verification on or off, which CA bundle, which settings. */
export function tlsIdentity(input: TlsIdentityInput): string {
  return JSON.stringify([
    input.rejectUnauthorized ? 'verify' : 'no-verify',
    // Moved or not, NODE_EXTRA_CA_CERTS is the same trust: a step primes what its profile reads.
    caBundleIdentity(input.env.NODE_EXTRA_CA_CERTS || input.env[DEFERRED_CA_VARIABLE]),
    caBundleIdentity(input.env.AWS_CA_BUNDLE),
    input.settings === undefined ? '' : sha256Hex(input.settings),
  ]);
}

export interface IdentityInput {
  certificate: Source | undefined;
  privateKey: Source | undefined;
  privateKeyPassphrase: string | undefined;
  intermediates: Source[] | undefined;
  /** A PKCS#12 counts by its bytes and password: its certificate is only reachable with the password. */
  pkcs12: Source | undefined;
  pkcs12Password: string | undefined;
  params: SessionParameters;
  endpoint: string | undefined;
  /** From tlsIdentity. */
  tls: string;
  /** Roles assumed after CreateSession: a different chain is a different session. */
  chain?: RoleChain | undefined;
  /** Part of the key so an entry is only ever served to a caller whose guard it passed. */
  allowedAccountIds?: readonly string[] | undefined;
}

/** Empty for no chain and no guard, so keys of plain sessions stay what they were. */
function chainPart(input: IdentityInput): unknown[] {
  const hops = input.chain?.hops ?? [];
  const allowed = [...(input.allowedAccountIds ?? [])].sort();
  if (hops.length === 0 && allowed.length === 0) return [];
  return [{ hops, sts: input.chain?.stsEndpoint ?? '', fips: input.chain?.fips ?? false, allowed }];
}

export function sessionIdentity(input: IdentityInput): string {
  const { params } = input;
  // A combined certificate+key PEM holds its key in the certificate source.
  const keySource = input.privateKey ?? (input.pkcs12 === undefined ? input.certificate : undefined);
  return sha256Hex(
    JSON.stringify([
      KEY_VERSION,
      input.certificate !== undefined ? certificateFingerprints(input.certificate) : [],
      secretDigest(keySource, input.privateKeyPassphrase),
      (input.intermediates ?? []).map(certificateFingerprints),
      secretDigest(input.pkcs12, input.pkcs12Password),
      params.trustAnchorArn,
      params.profileArn,
      params.roleArn,
      params.region,
      params.durationSeconds,
      params.roleSessionName ?? '',
      input.endpoint ?? '',
      input.tls,
      ...chainPart(input),
    ]),
  );
}
