/** Where cached credentials live: a per-user directory only its owner can enter. */
import { homedir } from 'node:os';
import { posix, win32 } from 'node:path';

export function defaultCacheDir(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): string {
  if (platform === 'win32') {
    return win32.join(env.LOCALAPPDATA || win32.join(homedir(), 'AppData', 'Local'), 'iamra', 'cache');
  }
  return posix.join(env.XDG_CACHE_HOME || posix.join(homedir(), '.cache'), 'iamra');
}
