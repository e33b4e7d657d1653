/**
 * How a credential_process profile starts the CLI. Node before 24 reads NODE_EXTRA_CA_CERTS at
 * start-up, before any of our code runs: with a system bundle there that costs ~80 ms on every
 * call, a warm one answered from the cache included. So on POSIX, when the variable is set, the
 * profile starts Node through sh with the variable moved to IAMRA_EXTRA_CA_CERTS, and the CLI
 * trusts those CAs itself, only when it makes a request. Moved at run time, never copied into
 * the profile: the value is whatever the AWS call's environment holds then.
 */

/** Where the launcher moves NODE_EXTRA_CA_CERTS; the CLI's transport reads it (see the CLI's deferred-ca.ts). */
export const DEFERRED_CA_VARIABLE = 'IAMRA_EXTRA_CA_CERTS';

const MOVE_CA_AND_EXEC = `${DEFERRED_CA_VARIABLE}="$NODE_EXTRA_CA_CERTS"; export ${DEFERRED_CA_VARIABLE}; unset NODE_EXTRA_CA_CERTS; exec "$0" "$@"`;

export interface LaunchContext {
  platform: NodeJS.Platform;
  /** The environment the profile is written in (a job's environment stays the same). */
  env: NodeJS.ProcessEnv;
  /** process.versions.node of the Node the profile runs; undefined when unknown (started as is). */
  nodeVersion: string | undefined;
}

/** True where starting Node with NODE_EXTRA_CA_CERTS set costs a certificate parse of its own. */
export function loadsExtraCaAtStartup(nodeVersion: string): boolean {
  return Number(nodeVersion.replace(/^v/, '').split('.')[0]) < 24;
}

/** The argv a profile runs for `argv` (node, CLI, arguments): itself, or through sh as above. */
export function credentialProcessArgv(argv: string[], context: LaunchContext): string[] {
  const deferred =
    context.platform !== 'win32' &&
    Boolean(context.env.NODE_EXTRA_CA_CERTS) &&
    context.nodeVersion !== undefined &&
    loadsExtraCaAtStartup(context.nodeVersion);
  return deferred ? ['/bin/sh', '-c', MOVE_CA_AND_EXEC, ...argv] : argv;
}
