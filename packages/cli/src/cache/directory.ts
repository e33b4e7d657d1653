/** Where cached credentials live: a per-user directory only its owner can enter. */
import { homedir } from 'node:os';
import { join } from 'node:path';

export function defaultCacheDir(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): string {
  if (platform === 'win32') {
    return join(env.LOCALAPPDATA || join(homedir(), 'AppData', 'Local'), 'iamra', 'cache');
  }
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'iamra');
}
