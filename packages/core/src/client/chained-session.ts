/**
 * CreateSession, then each role of the chain in order, each AssumeRole signed with the
 * credentials of the hop before. Refreshing means running this again: a chained session cannot
 * outlive the one it came from, so there is nothing to refresh on its own.
 */
import { hasHops, type RoleChain } from '../chain/chain.js';
import { stsEndpoint } from '../chain/sts-endpoint.js';
import type { SessionParameters } from '../parameters.js';
import { assumeRole } from './assume-role.js';
import { type ClientDeps, type CreateSessionOptions, createSession } from './create-session.js';
import type { SessionCredentials } from './credentials.js';
import { checkAllowedAccount } from './session-account.js';

export interface HopOutcome {
  roleArn: string;
  accountId: string;
  attempts: number;
  /** STS's PackedPolicySize: how full the session's policies and tags are (percent). */
  packedPolicySize: number | undefined;
}

export interface ChainedSessionOptions extends CreateSessionOptions {
  chain?: RoleChain;
  /** The final account must be one of these (empty: any). */
  allowedAccountIds?: readonly string[];
  /** A fresh Roles Anywhere session to start the chain from instead of a new CreateSession. */
  start?: SessionCredentials;
}

export interface ChainedSession {
  credentials: SessionCredentials;
  /** CreateSession's own credentials (the chain's first link): equal to credentials without hops. */
  start: SessionCredentials;
  /** CreateSession's attempts: 0 when the chain started from options.start. */
  attempts: number;
  hops: HopOutcome[];
}

export async function runRoleChain(
  start: SessionCredentials,
  chain: RoleChain,
  session: Pick<SessionParameters, 'partition' | 'region'>,
  options: Pick<CreateSessionOptions, 'timeoutMs' | 'deadlineMs' | 'retry'>,
  deps: Partial<ClientDeps>,
): Promise<{ credentials: SessionCredentials; hops: HopOutcome[] }> {
  const endpoint = stsEndpoint(session, chain.stsEndpoint, chain.fips ?? false);
  let current = start;
  const hops: HopOutcome[] = [];
  for (const [i, hop] of chain.hops.entries()) {
    const result = await assumeRole(
      {
        hop,
        index: i + 1,
        caller: current,
        endpoint,
        region: session.region,
        ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
        ...(options.deadlineMs ? { deadlineMs: options.deadlineMs } : {}),
        ...(options.retry ? { retry: options.retry } : {}),
      },
      deps,
    );
    current = { ...result.credentials, subjectArn: start.subjectArn };
    hops.push({
      roleArn: hop.roleArn,
      accountId: current.accountId,
      attempts: result.attempts,
      packedPolicySize: result.packedPolicySize,
    });
    deps.debug?.(`AssumeRole hop ${i + 1} ok: account ${current.accountId} after ${result.attempts} attempt(s)`);
  }
  return { credentials: current, hops };
}

export async function obtainChainedSession(
  options: ChainedSessionOptions,
  deps: Partial<ClientDeps> = {},
): Promise<ChainedSession> {
  const { credentials, attempts } =
    options.start && hasHops(options.chain)
      ? { credentials: options.start, attempts: 0 }
      : await createSession(options, deps);
  let final = credentials;
  let hops: HopOutcome[] = [];
  if (hasHops(options.chain)) {
    ({ credentials: final, hops } = await runRoleChain(credentials, options.chain, options.params, options, deps));
  }
  checkAllowedAccount(final.accountId, options.allowedAccountIds ?? []);
  return { credentials: final, start: credentials, attempts, hops };
}
