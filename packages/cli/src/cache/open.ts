/** The credential cache as every caller opens it: the config's settings, this process, this user. */
import { defaultCacheDir } from './directory.js';
import { CredentialCache, DEFAULT_LOCK_TIMEOUT_MS, isProcessAlive } from './store.js';

export interface CacheSettings {
  dir: string | undefined;
  refreshSeconds: number;
}

export interface OpenCacheDeps {
  now: () => Date;
  sleep: (ms: number) => Promise<void>;
  env: NodeJS.ProcessEnv;
  debug: (line: string) => void;
  /** Injectable so tests can play another user; see currentUid. */
  uid: number | undefined;
}

export { currentUid } from './uid.js';

export function openCredentialCache(settings: CacheSettings, deps: OpenCacheDeps): CredentialCache {
  return new CredentialCache(
    {
      dir: settings.dir ?? defaultCacheDir(deps.env),
      refreshSeconds: settings.refreshSeconds,
      lockTimeoutMs: DEFAULT_LOCK_TIMEOUT_MS,
    },
    {
      now: deps.now,
      sleep: deps.sleep,
      uid: deps.uid,
      debug: deps.debug,
      pid: process.pid,
      isProcessAlive,
    },
  );
}
