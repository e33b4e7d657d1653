/**
 * A small STS in the query protocol: GetCallerIdentity and AssumeRole, verifying the caller's
 * SigV4 (HMAC) signature against credentials this emulator issued.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IssuedCredentials, IssuedStore } from './issued.js';
import type { EmulatorModel } from './model.js';
import { assumeRole } from './sts-assume-role.js';
import { element, type StsAnswer, StsError, xmlError, xmlResult } from './sts-xml.js';
import { type ReceivedRequest, rebuildCanonicalRequest } from './x509-sigv4.js';

export type { StsAnswer };

export interface StsContext {
  issued: IssuedStore;
  model: EmulatorModel;
  now: Date;
  random: (size: number) => Buffer;
  requestId: string;
}

const AUTH =
  /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request,\s*SignedHeaders=([a-z0-9;-]+),\s*Signature=([0-9a-f]{64})$/;
const INVALID_TOKEN = 'The security token included in the request is invalid.';
/** STS refuses a request signed more than 5 minutes from its clock ("Signature expired"), as SigV4 services do. */
const MAX_SKEW_MS = 5 * 60_000;
const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

function checkRequestTime(amzDate: string, scopeDate: string, now: Date): void {
  const parts = AMZ_DATE.exec(amzDate);
  if (!parts || amzDate.slice(0, 8) !== scopeDate) {
    throw new StsError(
      403,
      'IncompleteSignature',
      'Date must be in ISO-8601 basic format and match the credential scope.',
    );
  }
  const [, y, mo, d, h, mi, se] = parts.map(Number) as number[];
  const signedAt = Date.UTC(y ?? 0, (mo ?? 1) - 1, d ?? 1, h ?? 0, mi ?? 0, se ?? 0);
  if (Math.abs(now.getTime() - signedAt) > MAX_SKEW_MS) {
    throw new StsError(
      403,
      'SignatureDoesNotMatch',
      `Signature expired: ${amzDate} is now earlier than ${now.toISOString()} - 5 min, or later than + 5 min.`,
    );
  }
}

function hmac(key: Buffer | string, data: string): Buffer {
  return createHmac('sha256', key).update(data).digest();
}

function header(request: ReceivedRequest, name: string): string {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(',') : (value ?? '');
}

/** The issued credentials that signed this request, or the error STS gives. */
function verifyCaller(request: ReceivedRequest, issued: IssuedStore, now: Date): IssuedCredentials {
  const match = AUTH.exec(header(request, 'authorization').trim());
  if (!match) throw new StsError(403, 'MissingAuthenticationToken', 'Request is missing Authentication Token');
  const [, accessKeyId = '', date = '', region = '', service = '', signed = '', signature = ''] = match;
  const credentials = issued.get(accessKeyId);
  if (!credentials || header(request, 'x-amz-security-token') !== credentials.sessionToken) {
    throw new StsError(403, 'InvalidClientTokenId', INVALID_TOKEN);
  }
  if (now > credentials.expiration) {
    throw new StsError(400, 'ExpiredToken', 'The security token included in the request is expired');
  }
  const amzDate = header(request, 'x-amz-date');
  checkRequestTime(amzDate, date, now);
  // The signature covers the body actually received; a declared hash must be that body's.
  const bodyHash = createHash('sha256').update(request.body).digest('hex');
  const payloadHash = header(request, 'x-amz-content-sha256');
  if (payloadHash && payloadHash !== bodyHash) {
    throw new StsError(
      400,
      'XAmzContentSHA256Mismatch',
      "The provided 'x-amz-content-sha256' header does not match what was computed.",
    );
  }
  const signedHeaders = signed.split(';');
  const canonicalText = rebuildCanonicalRequest(request, signedHeaders);
  const scope = `${date}/${region}/${service}/aws4_request`;
  const stringToSign = `AWS4-HMAC-SHA256\n${amzDate}\n${scope}\n${createHash('sha256').update(canonicalText).digest('hex')}`;
  const key = hmac(hmac(hmac(hmac(`AWS4${credentials.secretAccessKey}`, date), region), service), 'aws4_request');
  const expected = hmac(key, stringToSign);
  const given = Buffer.from(signature, 'hex');
  const unsigned = !signedHeaders.includes('host');
  if (service !== 'sts' || unsigned || given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new StsError(
      403,
      'SignatureDoesNotMatch',
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.',
    );
  }
  return credentials;
}

function callerIdentity(credentials: IssuedCredentials, requestId: string): StsAnswer {
  const fields =
    element('Arn', credentials.assumedRoleArn) +
    element('UserId', credentials.assumedRoleId) +
    element('Account', credentials.accountId);
  return xmlResult('GetCallerIdentity', fields, requestId);
}

export function handleSts(request: ReceivedRequest, context: StsContext): StsAnswer {
  try {
    const form = new URLSearchParams(request.method === 'GET' ? request.rawQuery : request.body.toString('utf8'));
    const action = form.get('Action');
    const caller = verifyCaller(request, context.issued, context.now);
    if (action === 'GetCallerIdentity') return callerIdentity(caller, context.requestId);
    if (action === 'AssumeRole') return assumeRole(form, caller, context);
    throw new StsError(
      400,
      'InvalidAction',
      `Could not find operation ${(action ?? '').slice(0, 64)} for version 2011-06-15`,
    );
  } catch (error) {
    if (!(error instanceof StsError)) throw error;
    return xmlError(error.status, error.code, error.message, context.requestId);
  }
}

/** What a session was issued with, for tests: never a secret. */
export function describeSession(credentials: IssuedCredentials): Record<string, unknown> {
  return {
    accessKeyId: credentials.accessKeyId,
    assumedRoleArn: credentials.assumedRoleArn,
    accountId: credentials.accountId,
    roleArn: credentials.roleArn,
    sourceIdentity: credentials.sourceIdentity,
    chained: credentials.chained,
    expiration: credentials.expiration.toISOString(),
    sessionPolicy: credentials.sessionPolicy ?? null,
    policyArns: credentials.policyArns ?? [],
    tags: credentials.tags ?? [],
    transitiveTagKeys: credentials.transitiveTagKeys ?? [],
  };
}
