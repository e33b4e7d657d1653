/** A role chain: the hops to assume after CreateSession, and where STS is. */
import type { SessionParameters } from '../parameters.js';
import type { RoleHop } from './hop.js';

export interface RoleChain {
  hops: RoleHop[];
  /** An explicit or configured STS endpoint (see configuredStsEndpoint); else the regional one. */
  stsEndpoint?: string;
  /** Use sts-fips.{region} when no endpoint is configured. */
  fips?: boolean;
}

export function hasHops(chain: RoleChain | undefined): chain is RoleChain {
  return (chain?.hops.length ?? 0) > 0;
}

/** The account the final credentials are for, known from the ARNs before any request. */
export function expectedAccount(params: Pick<SessionParameters, 'accountId'>, chain: RoleChain | undefined): string {
  return chain?.hops.at(-1)?.accountId ?? params.accountId;
}
