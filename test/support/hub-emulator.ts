/**
 * The many-accounts setup the chaining suites share: an emulator whose Roles Anywhere profile
 * lists one hub role, and roles in other accounts whose trust policies name the hub (unless a
 * role says otherwise), and the CLI flags that reach it through the hub.
 */
import { type RunningEmulator, startEmulator } from '@iamra/emulator';
import { emulatorFlags } from './emulator-process.js';

export const HUB_ROLE = 'arn:aws:iam::123456789012:role/hub';

export function deployRole(account: string): string {
  return `arn:aws:iam::${account}:role/deploy`;
}

export interface ChainedRole {
  arn: string;
  /** Default: the hub role. */
  trustedPrincipals?: string[];
  externalId?: string;
  allowTagSession?: boolean;
}

export function startHubEmulator(caPem: string, roles: ChainedRole[], lifetimeMs: number): Promise<RunningEmulator> {
  return startEmulator({
    cas: [caPem],
    roleArns: [HUB_ROLE],
    roles: roles.map((role) => ({ trustedPrincipals: [HUB_ROLE], ...role })),
    lifetimeMs,
  });
}

/** The ARNs and both endpoints of the emulator (its profile's only role is the hub). */
export function hubFlags(emulator: RunningEmulator): string[] {
  return [...emulatorFlags(emulator), '--sts-endpoint', emulator.stsEndpoint];
}
