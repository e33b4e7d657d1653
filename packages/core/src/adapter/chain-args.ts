/**
 * The credential-process flags that repeat a role chain and its account guard, so a profile's
 * own refreshes run the whole chain again. Each hop's flags follow its --assume-role-arn.
 */
import type { RoleChain } from '../chain/chain.js';

/** `writeFile(name, content)` stores a hop's session policy in the profile's private directory. */
export function chainArgs(
  chain: RoleChain | undefined,
  allowedAccountIds: readonly string[],
  writeFile: (name: string, content: string) => string,
): string[] {
  const args: string[] = [];
  for (const [i, hop] of (chain?.hops ?? []).entries()) {
    args.push('--assume-role-arn', hop.roleArn);
    if (hop.roleSessionName) args.push('--assume-role-session-name', hop.roleSessionName);
    if (hop.externalId) args.push('--assume-role-external-id', hop.externalId);
    args.push('--assume-role-duration-seconds', String(hop.durationSeconds));
    // A policy can be long: a file keeps the command line short on every platform.
    if (hop.policy) args.push('--inline-session-policy-file', writeFile(`session-policy-${i + 1}.json`, hop.policy));
    if (hop.policyArns.length) args.push('--managed-session-policies', hop.policyArns.join(','));
    for (const tag of hop.tags) args.push('--assume-role-tag', `${tag.key}=${tag.value}`);
    for (const key of hop.transitiveTagKeys) args.push('--assume-role-transitive-tag-key', key);
  }
  if (chain?.stsEndpoint) args.push('--sts-endpoint', chain.stsEndpoint);
  if (allowedAccountIds.length) args.push('--allowed-account-ids', allowedAccountIds.join(','));
  return args;
}
