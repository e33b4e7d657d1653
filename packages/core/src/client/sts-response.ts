/** STS query-protocol answers: AssumeRole's credentials, and ErrorResponse into one IamraError. */
import { type ErrorCode, IamraError } from '../errors.js';
import { neutralizeForLog } from '../text/untrusted.js';
import type { SessionCredentials } from './credentials.js';
import { isThrottling } from './service-error.js';
import type { HttpResponse } from './transport.js';
import { childText, onlyChild, parseXml, type XmlElement, XmlError } from './xml.js';

export interface AssumeRoleResult {
  credentials: Omit<SessionCredentials, 'subjectArn'>;
  packedPolicySize: number | undefined;
}

function invalid(detail: string, cause?: unknown): IamraError {
  return new IamraError(
    'RESPONSE_INVALID',
    `the AssumeRole response ${detail}; check that the STS endpoint is AWS STS`,
    cause === undefined ? {} : { cause },
  );
}

function parse(body: string): XmlElement {
  try {
    return parseXml(body);
  } catch (error) {
    throw invalid(`is not well-formed XML (${error instanceof XmlError ? error.message : 'unreadable'})`, error);
  }
}

export function parseAssumeRoleResponse(body: string, roleArn: string): AssumeRoleResult {
  try {
    const root = parse(body);
    if (root.name !== 'AssumeRoleResponse') throw invalid(`has root element ${root.name.slice(0, 40)}`);
    const result = onlyChild(root, 'AssumeRoleResult');
    const credentials = onlyChild(result, 'Credentials');
    const user = onlyChild(result, 'AssumedRoleUser');
    const required = (parent: XmlElement | undefined, name: string): string => {
      const value = childText(parent, name);
      if (!value) throw invalid(`has no ${name}`);
      return value;
    };
    const expiration = new Date(required(credentials, 'Expiration'));
    if (Number.isNaN(expiration.getTime())) throw invalid('has an Expiration that is not a date');
    const assumedRoleArn = required(user, 'Arn');
    const size = childText(result, 'PackedPolicySize');
    return {
      credentials: {
        accessKeyId: required(credentials, 'AccessKeyId'),
        secretAccessKey: required(credentials, 'SecretAccessKey'),
        sessionToken: required(credentials, 'SessionToken'),
        expiration,
        assumedRoleArn,
        assumedRoleId: childText(user, 'AssumedRoleId') ?? '',
        roleArn,
        sourceIdentity: childText(result, 'SourceIdentity') ?? '',
        accountId: assumedRoleArn.split(':')[4] ?? '',
      },
      packedPolicySize: size && /^\d+$/.test(size) ? Number(size) : undefined,
    };
  } catch (error) {
    if (error instanceof XmlError) throw invalid(`is ambiguous (${error.message})`, error);
    throw error;
  }
}

/** STS text is the service's (or a spoofed endpoint's): neutralised and capped before it is quoted. */
function untrusted(text: string | undefined, limit = 256): string | undefined {
  return text?.trim() ? neutralizeForLog(text.trim(), limit) : undefined;
}

function errorFields(body: string): { code?: string; message?: string; requestId?: string } {
  try {
    const root = parseXml(body);
    const error = onlyChild(root, 'Error');
    const code = childText(error, 'Code');
    const message = childText(error, 'Message');
    const requestId = childText(root, 'RequestId');
    return { ...(code ? { code } : {}), ...(message ? { message } : {}), ...(requestId ? { requestId } : {}) };
  } catch {
    return {};
  }
}

const INVALID_CODES = new Set([
  'ValidationError',
  'MalformedPolicyDocument',
  'PackedPolicyTooLarge',
  'InvalidParameterValue',
  'InvalidParameterCombination',
  'MissingParameter',
  'RegionDisabledException',
  'InvalidAction',
]);

function classify(status: number, serviceCode: string): { code: ErrorCode; hint: string } {
  if (isThrottling(status, serviceCode)) {
    return { code: 'THROTTLED', hint: 'STS is rate limiting this account; retry later' };
  }
  if (status >= 500) return { code: 'SERVICE_UNAVAILABLE', hint: 'STS failed; retry later' };
  if (serviceCode === 'ExpiredToken') {
    return { code: 'ASSUME_ROLE_DENIED', hint: 'the previous session expired before this hop; rerun the chain' };
  }
  if (serviceCode === 'InvalidClientTokenId' || serviceCode === 'SignatureDoesNotMatch') {
    return {
      code: 'ASSUME_ROLE_DENIED',
      hint: "STS did not accept the previous hop's credentials: check the STS endpoint and region (the partition must match)",
    };
  }
  if (INVALID_CODES.has(serviceCode) || status === 400) {
    return {
      code: 'ASSUME_ROLE_INVALID',
      hint: 'check the session policy (JSON, at most 2048 characters), managed policy ARNs, tags, external ID and duration (900..3600 s when chaining)',
    };
  }
  return {
    code: 'ASSUME_ROLE_DENIED',
    hint: "check that the role's trust policy allows the previous role (sts:AssumeRole, and sts:TagSession for session tags), the external ID condition, and the previous role's permission to assume it",
  };
}

export function stsError(response: HttpResponse, roleArn: string, hop: number): IamraError {
  const fields = errorFields(response.body);
  const serviceCode = untrusted(fields.code, 64)?.replace(/[^\w.-]/g, '') || `HTTP${response.status}`;
  const message = untrusted(fields.message) ?? `HTTP ${response.status}`;
  const requestId = untrusted(response.headers['x-amzn-requestid'] ?? fields.requestId, 64);
  const { code, hint } = classify(response.status, serviceCode);
  return new IamraError(code, `AssumeRole of ${roleArn} (hop ${hop}) failed: ${serviceCode}: ${message}; ${hint}`, {
    serviceCode,
    statusCode: response.status,
    ...(requestId ? { requestId } : {}),
  });
}

export function isRetryableStsError(response: HttpResponse, error: IamraError): boolean {
  return error.code === 'THROTTLED' || error.code === 'SERVICE_UNAVAILABLE' || response.status >= 500;
}
