/**
 * STS AssumeRole (query protocol, 2011-06-15) signed with the previous hop's credentials:
 * one hop of a role chain, with the CreateSession retry policy.
 */
import type { RoleHop } from '../chain/hop.js';
import { uriEncode } from '../signer/canonical.js';
import { signHmac } from '../signer/sigv4-hmac.js';
import { type ClientDeps, capExpiration, DEFAULT_RETRY, defaultClientDeps } from './create-session.js';
import type { SessionCredentials } from './credentials.js';
import { callWithRetries, type RetryOptions } from './retry.js';
import { checkSessionAccount } from './session-account.js';
import { type AssumeRoleResult, isRetryableStsError, parseAssumeRoleResponse, stsError } from './sts-response.js';

export interface AssumeRoleOptions {
  hop: RoleHop;
  /** 1-based position in the chain, for messages. */
  index: number;
  /** The credentials that sign the call: CreateSession's, or the previous hop's. */
  caller: SessionCredentials;
  /** Base URL of STS. */
  endpoint: string;
  /** The signing region (the session's). */
  region: string;
  timeoutMs?: number;
  deadlineMs?: number;
  retry?: Partial<RetryOptions>;
}

/** The last part of `arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION`: carried along the chain. */
export function sessionNameOf(credentials: SessionCredentials): string | undefined {
  const name = credentials.assumedRoleArn.split('/').slice(2).join('/');
  return /^[\w+=,.@-]{2,64}$/.test(name) ? name : undefined;
}

export function assumeRoleForm(hop: RoleHop, sessionName: string): [string, string][] {
  const form: [string, string][] = [
    ['Action', 'AssumeRole'],
    ['Version', '2011-06-15'],
    ['RoleArn', hop.roleArn],
    ['RoleSessionName', sessionName],
    ['DurationSeconds', String(hop.durationSeconds)],
  ];
  if (hop.externalId) form.push(['ExternalId', hop.externalId]);
  if (hop.policy) form.push(['Policy', hop.policy]);
  for (const [i, arn] of hop.policyArns.entries()) form.push([`PolicyArns.member.${i + 1}.arn`, arn]);
  for (const [i, tag] of hop.tags.entries()) {
    form.push([`Tags.member.${i + 1}.Key`, tag.key], [`Tags.member.${i + 1}.Value`, tag.value]);
  }
  for (const [i, key] of hop.transitiveTagKeys.entries()) form.push([`TransitiveTagKeys.member.${i + 1}`, key]);
  return form;
}

export async function assumeRole(
  options: AssumeRoleOptions,
  overrides: Partial<ClientDeps> = {},
): Promise<AssumeRoleResult & { attempts: number }> {
  const deps: ClientDeps = { ...defaultClientDeps(), ...overrides };
  const { hop, caller } = options;
  const sessionName = hop.roleSessionName ?? sessionNameOf(caller) ?? 'iamra';
  const body = assumeRoleForm(hop, sessionName)
    .map(([name, value]) => `${uriEncode(name)}=${uriEncode(value)}`)
    .join('&');
  const url = `${options.endpoint.replace(/\/+$/, '')}/`;
  let requestedAt = deps.now();
  const { result, attempts } = await callWithRetries(
    {
      name: 'AssumeRole',
      retry: { ...DEFAULT_RETRY, ...options.retry },
      timeoutMs: options.timeoutMs ?? 10_000,
      deadlineMs: options.deadlineMs ?? 60_000,
      send: (timeoutMs) => {
        requestedAt = deps.now();
        const signed = signHmac({
          method: 'POST',
          url,
          headers: { 'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8' },
          body,
          credentials: caller,
          region: options.region,
          service: 'sts',
          date: deps.now(),
        });
        deps.debug?.(`AssumeRole hop ${options.index} canonical request:\n${signed.canonicalRequest}`);
        return deps.transport({
          method: 'POST',
          url,
          headers: signed.headers,
          body,
          timeoutMs,
          ...(deps.signal ? { signal: deps.signal } : {}),
        });
      },
      parse: (response) => {
        const parsed = parseAssumeRoleResponse(response.body, hop.roleArn);
        const capped = capExpiration(parsed.credentials, requestedAt, hop.durationSeconds, deps.debug);
        // STS must answer for the role asked for: another account is never handed on.
        checkSessionAccount(capped, hop, 'AssumeRole');
        return { ...parsed, credentials: capped };
      },
      error: (response) => stsError(response, hop.roleArn, options.index),
      retryable: isRetryableStsError,
    },
    deps,
  );
  // Source identity is set once (by Roles Anywhere) and persists along the chain.
  const credentials = {
    ...result.credentials,
    sourceIdentity: result.credentials.sourceIdentity || caller.sourceIdentity,
  };
  return { credentials, packedPolicySize: result.packedPolicySize, attempts };
}
