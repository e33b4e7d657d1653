/** Turns a CreateSession error response into one IamraError with a fix in its message. */
import { type ErrorCode, IamraError } from '../errors.js';
import { neutralizeForLog } from '../text/untrusted.js';
import type { HttpResponse } from './transport.js';

const HINTS: Record<string, string> = {
  'Untrusted Signing Certificate':
    "check that the certificate chains to the trust anchor's CA (send the intermediates) and that the trust anchor is enabled",
  'Invalid signature': 'check that the private key belongs to the certificate and that the clock is correct',
};

function parseBody(body: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(body);
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** The service's (or a spoofed endpoint's) text: neutralised and capped before it is quoted. */
function text(value: unknown, maxLength = 256): string | undefined {
  return typeof value === 'string' && value.trim() ? neutralizeForLog(value.trim(), maxLength) : undefined;
}

export function isThrottling(status: number, serviceCode: string): boolean {
  return status === 429 || /Throttl|TooManyRequests|RequestLimitExceeded|SlowDown/i.test(serviceCode);
}

export function isRetryableStatus(status: number, serviceCode: string): boolean {
  return isThrottling(status, serviceCode) || status >= 500;
}

export function serviceError(response: HttpResponse): IamraError {
  const body = parseBody(response.body);
  const header = response.headers['x-amzn-errortype']?.split(':')[0];
  const serviceCode =
    text(header, 64) ??
    text(typeof body.__type === 'string' ? body.__type.split('#').pop() : undefined, 64) ??
    text(body.code, 64) ??
    `HTTP${response.status}`;
  const serviceMessage = text(body.message) ?? text(body.Message) ?? `HTTP ${response.status}`;
  const requestId = response.headers['x-amzn-requestid'] ?? response.headers['x-amz-request-id'];
  let code: ErrorCode;
  let hint: string;
  if (isThrottling(response.status, serviceCode)) {
    code = 'THROTTLED';
    hint = 'CreateSession is rate limited per account; retry later, or reuse credentials (iamra caches them)';
  } else if (response.status >= 500) {
    code = 'SERVICE_UNAVAILABLE';
    hint = 'the service failed; retry later';
  } else if (response.status === 403 || response.status === 401) {
    code = 'CREATE_SESSION_DENIED';
    hint =
      (Object.hasOwn(HINTS, serviceMessage) ? HINTS[serviceMessage] : undefined) ??
      'check the trust anchor, profile and role, and that the role trusts rolesanywhere.amazonaws.com';
  } else if (response.status === 404) {
    code = 'RESOURCE_NOT_FOUND';
    hint = 'check the trust anchor, profile and role ARNs and the region';
  } else {
    code = 'CREATE_SESSION_INVALID';
    hint = 'check the request parameters (duration within the profile maximum, session name)';
  }
  return new IamraError(code, `CreateSession failed: ${serviceCode}: ${serviceMessage}; ${hint}`, {
    serviceCode,
    statusCode: response.status,
    ...(requestId ? { requestId } : {}),
  });
}
