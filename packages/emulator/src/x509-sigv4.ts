/**
 * Verifies the Roles Anywhere X.509 signature. Written from the published protocol on its own,
 * never sharing code with the signer it is meant to check.
 */
import { createHash, verify, type X509Certificate } from 'node:crypto';
import { ML_DSA_ALGORITHM } from './ml-dsa.js';
import { denied } from './service-error.js';

export interface ParsedAuthorization {
  algorithm: 'AWS4-X509-RSA-SHA256' | 'AWS4-X509-ECDSA-SHA256' | 'AWS4-X509-MLDSA';
  serial: string;
  date: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
}

const AUTHORIZATION =
  /^(AWS4-X509-RSA-SHA256|AWS4-X509-ECDSA-SHA256|AWS4-X509-MLDSA) Credential=([^/,\s]+)\/(\d{8})\/([^/,\s]+)\/([^/,\s]+)\/aws4_request,\s*SignedHeaders=([a-z0-9;-]+),\s*Signature=([0-9a-f]+)$/;

export function parseAuthorization(header: string | undefined): ParsedAuthorization {
  const match = header ? AUTHORIZATION.exec(header.trim()) : null;
  if (!match) throw denied('Authorization header is missing or malformed');
  const [, algorithm, serial, date, region, service, signed, signature] = match;
  return {
    algorithm: algorithm as ParsedAuthorization['algorithm'],
    serial: serial ?? '',
    date: date ?? '',
    region: region ?? '',
    service: service ?? '',
    signedHeaders: (signed ?? '').split(';'),
    signature: signature ?? '',
  };
}

function encode(text: string): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const ch = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-_.~]/.test(ch) ? ch : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

function queryString(rawQuery: string): string {
  if (!rawQuery) return '';
  const pairs = rawQuery.split('&').map((pair) => {
    const at = pair.indexOf('=');
    const name = decodeURIComponent((at < 0 ? pair : pair.slice(0, at)).replace(/\+/g, ' '));
    const value = at < 0 ? '' : decodeURIComponent(pair.slice(at + 1).replace(/\+/g, ' '));
    return `${encode(name)}=${encode(value)}`;
  });
  return pairs.sort().join('&');
}

export interface ReceivedRequest {
  method: string;
  path: string;
  rawQuery: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export function rebuildCanonicalRequest(request: ReceivedRequest, signedHeaders: string[]): string {
  const headerLines = [...signedHeaders].sort().map((name) => {
    const raw = request.headers[name];
    const value = Array.isArray(raw) ? raw.join(',') : (raw ?? '');
    return `${name}:${value.trim().split(/\s+/).join(' ')}\n`;
  });
  return [
    request.method,
    request.path,
    queryString(request.rawQuery),
    headerLines.join(''),
    [...signedHeaders].sort().join(';'),
    createHash('sha256').update(request.body).digest('hex'),
  ].join('\n');
}

export function verifyX509Signature(
  request: ReceivedRequest,
  auth: ParsedAuthorization,
  amzDate: string,
  leaf: X509Certificate,
): boolean {
  const canonical = rebuildCanonicalRequest(request, auth.signedHeaders);
  const scope = `${auth.date}/${auth.region}/${auth.service}/aws4_request`;
  const stringToSign = `${auth.algorithm}\n${amzDate}\n${scope}\n${createHash('sha256').update(canonical).digest('hex')}`;
  // ML-DSA is pure (no digest: null) with an empty context, as aws_signing_helper v1.8.0 signs.
  const digest = auth.algorithm === ML_DSA_ALGORITHM ? null : 'sha256';
  try {
    return verify(digest, Buffer.from(stringToSign), leaf.publicKey, Buffer.from(auth.signature, 'hex'));
  } catch {
    return false;
  }
}
