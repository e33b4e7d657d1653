/** A minimal STS: GetCallerIdentity in the query protocol, verifying SigV4 with issued credentials. */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IssuedStore } from './issued.js';
import { type ReceivedRequest, rebuildCanonicalRequest } from './x509-sigv4.js';

export interface StsAnswer {
  status: number;
  body: string;
}

const AUTH =
  /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request,\s*SignedHeaders=([a-z0-9;-]+),\s*Signature=([0-9a-f]{64})$/;

function xmlError(status: number, code: string, message: string, requestId: string): StsAnswer {
  return {
    status,
    body:
      `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type>` +
      `<Code>${code}</Code><Message>${message}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
  };
}

function hmac(key: Buffer | string, data: string): Buffer {
  return createHmac('sha256', key).update(data).digest();
}

function header(request: ReceivedRequest, name: string): string {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(',') : (value ?? '');
}

/** STS refuses a request signed more than 5 minutes from its clock ("Signature expired"), as SigV4 services do. */
const MAX_SKEW_MS = 5 * 60_000;
const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

function checkRequestTime(amzDate: string, scopeDate: string, now: Date, requestId: string): StsAnswer | undefined {
  const parts = AMZ_DATE.exec(amzDate);
  if (!parts || amzDate.slice(0, 8) !== scopeDate) {
    return xmlError(
      403,
      'IncompleteSignature',
      'Date must be in ISO-8601 basic format and match the credential scope.',
      requestId,
    );
  }
  const [, y, mo, d, h, mi, se] = parts.map(Number) as number[];
  const signedAt = Date.UTC(y ?? 0, (mo ?? 1) - 1, d ?? 1, h ?? 0, mi ?? 0, se ?? 0);
  if (Math.abs(now.getTime() - signedAt) > MAX_SKEW_MS) {
    return xmlError(
      403,
      'SignatureDoesNotMatch',
      `Signature expired: ${amzDate} is now earlier than ${now.toISOString()} - 5 min, or later than + 5 min.`,
      requestId,
    );
  }
  return undefined;
}

export function handleSts(request: ReceivedRequest, issued: IssuedStore, now: Date, requestId: string): StsAnswer {
  const form = new URLSearchParams(request.method === 'GET' ? request.rawQuery : request.body.toString('utf8'));
  const action = form.get('Action');
  const match = AUTH.exec(header(request, 'authorization').trim());
  if (!match) return xmlError(403, 'MissingAuthenticationToken', 'Request is missing Authentication Token', requestId);
  const [, accessKeyId = '', date = '', region = '', service = '', signed = '', signature = ''] = match;
  const credentials = issued.get(accessKeyId);
  if (!credentials) {
    return xmlError(403, 'InvalidClientTokenId', 'The security token included in the request is invalid.', requestId);
  }
  if (header(request, 'x-amz-security-token') !== credentials.sessionToken) {
    return xmlError(403, 'InvalidClientTokenId', 'The security token included in the request is invalid.', requestId);
  }
  if (now > credentials.expiration) {
    return xmlError(400, 'ExpiredToken', 'The security token included in the request is expired', requestId);
  }
  const amzDate = header(request, 'x-amz-date');
  const skew = checkRequestTime(amzDate, date, now, requestId);
  if (skew) return skew;
  // The signature covers the body actually received; a declared hash must be that body's.
  const bodyHash = createHash('sha256').update(request.body).digest('hex');
  const payloadHash = header(request, 'x-amz-content-sha256');
  if (payloadHash && payloadHash !== bodyHash) {
    return xmlError(
      400,
      'XAmzContentSHA256Mismatch',
      "The provided 'x-amz-content-sha256' header does not match what was computed.",
      requestId,
    );
  }
  const signedHeaders = signed.split(';');
  const canonicalText = rebuildCanonicalRequest(request, signedHeaders);
  const scope = `${date}/${region}/${service}/aws4_request`;
  const stringToSign = `AWS4-HMAC-SHA256\n${amzDate}\n${scope}\n${createHash('sha256').update(canonicalText).digest('hex')}`;
  const key = hmac(hmac(hmac(hmac(`AWS4${credentials.secretAccessKey}`, date), region), service), 'aws4_request');
  const expected = hmac(key, stringToSign);
  const given = Buffer.from(signature, 'hex');
  if (service !== 'sts' || given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return xmlError(
      403,
      'SignatureDoesNotMatch',
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.',
      requestId,
    );
  }
  if (action !== 'GetCallerIdentity') {
    return xmlError(400, 'InvalidAction', `Could not find operation ${action ?? ''} for version 2011-06-15`, requestId);
  }
  const userId = credentials.assumedRoleId;
  return {
    status: 200,
    body:
      `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>` +
      `<Arn>${credentials.assumedRoleArn}</Arn><UserId>${userId}</UserId><Account>${credentials.accountId}</Account>` +
      `</GetCallerIdentityResult><ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></GetCallerIdentityResponse>`,
  };
}
