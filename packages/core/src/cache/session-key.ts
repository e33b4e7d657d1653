/**
 * The cache key: a SHA-256 of everything that makes one session differ from another. The
 * certificate counts by its DER fingerprint, so the same certificate as PEM, DER, from a file,
 * env or stdin shares one entry; nothing secret goes in (the key file name is this hash).
 * The pure SHA-256 keeps node:crypto out of the warm-cache path; the keys are the same bytes.
 * Core owns it because the CI adapters prime the cache their profiles read (same key, same file).
 */
import { sha256Hex } from '../digest/sha256.js';
import type { Source } from '../material/types.js';
import type { SessionParameters } from '../parameters.js';

const CERTIFICATE_PEM = /-----BEGIN (?:X509 |TRUSTED )?CERTIFICATE-----([\s\S]*?)-----END/;

/** SHA-256 of the first certificate's DER (no full parse: this runs on every warm call). */
export function certificateFingerprint(source: Source): string {
  const text = typeof source === 'string' ? source : Buffer.from(source).toString('latin1');
  const body = CERTIFICATE_PEM.exec(text)?.[1];
  if (body === undefined) return sha256Hex(typeof source === 'string' ? Buffer.from(source, 'latin1') : source);
  return sha256Hex(Buffer.from(body.replace(/[^A-Za-z0-9+/=]/g, ''), 'base64'));
}

export interface IdentityInput {
  certificate: Source | undefined;
  /** A PKCS#12 counts by its bytes: its certificate is only reachable with the password. */
  pkcs12: Source | undefined;
  params: SessionParameters;
  endpoint: string | undefined;
}

export function sessionIdentity(input: IdentityInput): string {
  const { params } = input;
  return sha256Hex(
    JSON.stringify([
      input.certificate !== undefined ? certificateFingerprint(input.certificate) : '',
      input.pkcs12 !== undefined ? sha256Hex(input.pkcs12) : '',
      params.trustAnchorArn,
      params.profileArn,
      params.roleArn,
      params.region,
      params.durationSeconds,
      params.roleSessionName ?? '',
      input.endpoint ?? '',
    ]),
  );
}
