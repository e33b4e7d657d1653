/** SigV4 canonicalization as IAM Roles Anywhere applies it (see shared PROTOCOL.md). */
import { createHash } from 'node:crypto';

/** RFC 3986: unreserved characters stay, everything else is %XX (uppercase). */
export function uriEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

export function canonicalQuery(query: Record<string, string>): string {
  return Object.entries(query)
    .map(([name, value]) => [uriEncode(name), uriEncode(value)] as const)
    .sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
}

function normalizeValue(value: string): string {
  return value.trim().replace(/\s+/g, ' ');
}

export interface CanonicalHeaders {
  block: string;
  signedHeaders: string;
}

export function canonicalHeaders(headers: Record<string, string>): CanonicalHeaders {
  const entries = Object.entries(headers)
    .map(([name, value]) => [name.toLowerCase(), normalizeValue(value)] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return {
    block: entries.map(([name, value]) => `${name}:${value}\n`).join(''),
    signedHeaders: entries.map(([name]) => name).join(';'),
  };
}

export function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

export function canonicalRequest(input: {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  body: string;
}): { text: string; signedHeaders: string } {
  const { block, signedHeaders } = canonicalHeaders(input.headers);
  const text = [
    input.method,
    input.path,
    canonicalQuery(input.query),
    block,
    signedHeaders,
    sha256Hex(input.body),
  ].join('\n');
  return { text, signedHeaders };
}

/** `YYYYMMDD'T'HHMMSS'Z'` in UTC. */
export function amzDate(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}
