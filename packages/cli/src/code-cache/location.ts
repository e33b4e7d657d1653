/**
 * Where a bin keeps V8's code cache of its bundle (see @iamra/core/code-cache): in the credential
 * cache directory of a `credential-process` call, which the call itself creates and checks.
 * Other commands, and --no-cache, get none.
 */
import { defaultCacheDir } from '../cache/directory.js';

const COMMAND = 'credential-process';

/** The directory a credential-process call caches in, read from argv and env as its flags are; else undefined. */
export function codeCacheDir(argv: string[], env: NodeJS.ProcessEnv): string | undefined {
  if (argv[0] !== COMMAND) return undefined;
  let dir: string | undefined;
  for (let i = 1; i < argv.length; i += 1) {
    const arg = argv[i] ?? '';
    if (arg === '--no-cache' || arg === '--no-cache=true') return undefined;
    if (dir !== undefined) continue;
    if (arg === '--cache-dir') dir = argv[i + 1];
    else if (arg.startsWith('--cache-dir=')) dir = arg.slice('--cache-dir='.length);
  }
  return dir || env.IAMRA_CACHE_DIR || defaultCacheDir(env);
}
