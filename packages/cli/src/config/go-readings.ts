/** Inputs aws_signing_helper reads in a way iamra's own flags spell differently. */
import { IamraError, type Source } from '@iamra/core/light';
import { TPM_LINE } from './flags.js';

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

/** The Go helper signs with a TPM key file (TSS2 PEM); iamra says so instead of KEY_MALFORMED. */
export function refuseTpmKeyFile(source: Source | undefined): void {
  if (source === undefined) return;
  const text = typeof source === 'string' ? source : Buffer.from(source).toString('latin1');
  if (text.includes('-----BEGIN TSS2 PRIVATE KEY-----')) {
    throw new IamraError(
      'FEATURE_UNSUPPORTED',
      `--private-key: the file is a TPM key (TSS2 PRIVATE KEY), and ${TPM_LINE}`,
    );
  }
}
