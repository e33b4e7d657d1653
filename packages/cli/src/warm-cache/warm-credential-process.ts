/**
 * `credential-process` answered from a valid cache entry with almost nothing loaded: no
 * node:crypto, no key parsing, no stdin. It runs the full path's own flag parsing, config
 * loading, cache key and entry checks, so it never serves what the full path would refuse.
 * Anything it does not handle, and any error, is a miss: the full CLI then runs and reports.
 */
import { toCredentialProcessJson } from '@iamra/core/light';
import { first, type ParsedFlags, parseFlags } from '../args.js';
import { currentUid, openCredentialCache } from '../cache/open.js';
import { CREDENTIAL_FLAGS, refuseSecretFlags } from '../config/flags.js';
import { type HelperConfig, loadHelperConfig } from '../config/load.js';

export const MISS = 'miss';

export interface WarmDeps {
  now: () => Date;
  uid: number | undefined;
}

/**
 * A hit's exact stdout, or a miss with the config when it was loaded: the full path then uses
 * it instead of reading the files and hashing the cache key a second time.
 */
export type WarmAttempt = { output: string } | { output: undefined; config: HelperConfig | undefined };

const silent = { write: () => true };

/** Left to the full path: what it prints on --debug, stdin inputs, and PKCS#12. */
function needsFullPath(flags: ParsedFlags): boolean {
  return (
    flags.switches.has('debug') ||
    flags.switches.has('no-cache') ||
    flags.values.has('pkcs12') ||
    first(flags, 'certificate') === '-' ||
    first(flags, 'private-key') === '-'
  );
}

export async function attemptWarmCredentialProcess(
  argv: string[],
  env: NodeJS.ProcessEnv,
  deps: WarmDeps = { now: () => new Date(), uid: currentUid() },
): Promise<WarmAttempt> {
  const [command, ...rest] = argv;
  const miss = (config?: HelperConfig): WarmAttempt => ({ output: undefined, config });
  if (command !== 'credential-process' || rest.includes('--help') || rest.includes('-h')) return miss();
  let config: HelperConfig | undefined;
  try {
    refuseSecretFlags(rest);
    const flags = parseFlags(command, rest, CREDENTIAL_FLAGS);
    if (needsFullPath(flags)) return miss();
    // No stdin and silent streams: whatever would need them is the full path's to report.
    config = await loadHelperConfig(flags, { env, stdout: silent, stderr: silent });
    if (!config.cache.enabled) return miss(config);
    const cache = openCredentialCache(config.cache, {
      ...deps,
      env,
      debug: () => {},
      // Only a lock waits, and this path never takes one.
      sleep: async () => {},
    });
    if (!(await cache.prepare())) return miss(config);
    const credentials = await cache.read(config.identity, config.lifetimeSeconds);
    return credentials ? { output: `${toCredentialProcessJson(credentials)}\n` } : miss(config);
  } catch {
    return miss(config);
  }
}

/** The exact stdout of `iamra credential-process ARGS` on a cache hit, or MISS. */
export async function warmCredentialProcess(
  argv: string[],
  env: NodeJS.ProcessEnv,
  deps?: WarmDeps,
): Promise<string | typeof MISS> {
  return (await attemptWarmCredentialProcess(argv, env, deps)).output ?? MISS;
}
