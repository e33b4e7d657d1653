/** Inputs aws_signing_helper reads in a way iamra's own flags spell differently. */
import type { Source } from '@iamra/core/light';

/**
 * A PKCS#12 file in DER (SEQUENCE { INTEGER 3, ... }, RFC 7292 section 4): the Go helper takes
 * one as --certificate when no --private-key is given. A certificate starts SEQUENCE { SEQUENCE.
 */
export function isPkcs12Der(source: Source): boolean {
  if (typeof source === 'string' || source[0] !== 0x30) return false;
  const lengthByte = source[1] ?? 0;
  const versionAt = lengthByte < 0x80 ? 2 : 2 + (lengthByte & 0x7f);
  return source[versionAt] === 0x02 && source[versionAt + 1] === 0x01 && source[versionAt + 2] === 0x03;
}

/** An endpoint without a scheme is HTTPS, as the Go helper's AWS SDK reads it. */
export function withDefaultScheme(endpoint: string): string {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(endpoint.trim()) ? endpoint : `https://${endpoint.trim()}`;
}
