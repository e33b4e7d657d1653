/**
 * SigV4 with an access key (HMAC-SHA256), for calls made with session credentials: STS
 * AssumeRole along a role chain. The canonical request is the one CreateSession uses.
 */
import { createHmac } from 'node:crypto';
import { amzDate, canonicalRequest, sha256Hex } from './canonical.js';

export interface HmacCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface HmacSignInput {
  method: string;
  /** Full URL; its query string is signed. */
  url: string;
  headers: Record<string, string>;
  body: string;
  credentials: HmacCredentials;
  region: string;
  service: string;
  date: Date;
}

export interface HmacSignedRequest {
  headers: Record<string, string>;
  /** For --debug: neither holds a secret (the session token is not in them). */
  canonicalRequest: string;
  stringToSign: string;
}

function hmac(key: Buffer | string, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

export function signingKey(secret: string, day: string, region: string, service: string): Buffer {
  return hmac(hmac(hmac(hmac(`AWS4${secret}`, day), region), service), 'aws4_request');
}

export function signHmac(input: HmacSignInput): HmacSignedRequest {
  const url = new URL(input.url);
  const date = amzDate(input.date);
  const headers: Record<string, string> = { ...input.headers, Host: url.host, 'X-Amz-Date': date };
  if (input.credentials.sessionToken) headers['X-Amz-Security-Token'] = input.credentials.sessionToken;
  const query: Record<string, string> = {};
  for (const [name, value] of url.searchParams) query[name] = value;
  const canonical = canonicalRequest({
    method: input.method,
    path: url.pathname || '/',
    query,
    headers,
    body: input.body,
  });
  const scope = `${date.slice(0, 8)}/${input.region}/${input.service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', date, scope, sha256Hex(canonical.text)].join('\n');
  const key = signingKey(input.credentials.secretAccessKey, date.slice(0, 8), input.region, input.service);
  const signature = hmac(key, stringToSign).toString('hex');
  headers.Authorization =
    `AWS4-HMAC-SHA256 Credential=${input.credentials.accessKeyId}/${scope}, ` +
    `SignedHeaders=${canonical.signedHeaders}, Signature=${signature}`;
  const token = input.credentials.sessionToken;
  const debugCanonical = token ? canonical.text.split(token).join('<session token>') : canonical.text;
  return { headers, canonicalRequest: debugCanonical, stringToSign };
}
