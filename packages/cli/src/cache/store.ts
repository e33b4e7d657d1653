/**
 * The credential cache. Entries hold secrets, so every read checks that the file is ours and
 * private; anything else (corrupt, foreign-owned, too open, a symlink) is ignored and replaced.
 * Writes are atomic (private temp file + rename), and a lock file makes concurrent callers
 * share one CreateSession. Every call is synchronous: the files are tiny, a cache hit is the
 * whole of a warm credential_process and the write most of a cold one's own work, each
 * thread-pool round trip would add to it, and node:fs/promises alone loads a dozen modules
 * (readline among them) that a cold credential_process would otherwise compile at start-up.
 */
import {
  chmodSync,
  closeSync,
  constants as fsConstants,
  fstatSync,
  lstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import {
  cacheEntryFileName,
  cacheEntryJson,
  isCacheEntry,
  isIamraError,
  type SessionCredentials,
  writePrivateFile,
} from '@iamra/core/light';

export interface CacheDeps {
  now: () => Date;
  sleep: (ms: number) => Promise<void>;
  /** The current uid (undefined on Windows, where permission bits mean nothing). */
  uid: number | undefined;
  debug: (line: string) => void;
  pid: number;
  isProcessAlive: (pid: number) => boolean;
}

export interface CacheOptions {
  dir: string;
  refreshSeconds: number;
  lockTimeoutMs: number;
}

const PRIVATE_FILE = 0o600;
const PRIVATE_DIR = 0o700;
/** Longer than a CreateSession with its retries normally takes; a lock older than this is stale. */
export const DEFAULT_LOCK_TIMEOUT_MS = 30_000;

export class CredentialCache {
  constructor(
    private readonly options: CacheOptions,
    private readonly deps: CacheDeps,
  ) {}

  private path(key: string, suffix?: string): string {
    return join(this.options.dir, suffix === undefined ? cacheEntryFileName(key) : `${key}${suffix}`);
  }

  /** Creates the directory 0700, or refuses to use one that someone else owns. */
  async prepare(): Promise<boolean> {
    let stat: ReturnType<typeof lstatSync>;
    try {
      mkdirSync(this.options.dir, { recursive: true, mode: PRIVATE_DIR });
      stat = lstatSync(this.options.dir);
    } catch (error) {
      // A read-only home must not stop credentials: run uncached, say why on --debug.
      this.deps.debug(`cache: cannot create ${this.options.dir} (${errnoOf(error)}); cache disabled`);
      return false;
    }
    if (!stat.isDirectory()) {
      this.deps.debug(`cache: ${this.options.dir} is not a directory; cache disabled`);
      return false;
    }
    if (this.deps.uid !== undefined && stat.uid !== this.deps.uid) {
      this.deps.debug(`cache: ${this.options.dir} belongs to another user; cache disabled`);
      return false;
    }
    if (this.deps.uid !== undefined && (stat.mode & 0o077) !== 0) {
      chmodSync(this.options.dir, PRIVATE_DIR);
      this.deps.debug('cache: directory was open to others; made it 0700');
    }
    return true;
  }

  /**
   * Fresh credentials for `key`, or undefined (and the bad file removed) if unusable. An entry
   * that outlives `durationSeconds` from now cannot have come from a request for that duration
   * (entries are capped at request time + duration): it is refused, whatever wrote it.
   */
  async read(key: string, durationSeconds: number): Promise<SessionCredentials | undefined> {
    const path = this.path(key);
    let fd: number;
    try {
      fd = openSync(path, fsConstants.O_RDONLY | (fsConstants.O_NOFOLLOW ?? 0) | (fsConstants.O_NONBLOCK ?? 0));
    } catch (error) {
      // ELOOP is a symlink planted in place of an entry: never followed, replaced on write.
      this.deps.debug(
        errnoOf(error) === 'ENOENT' ? 'cache: miss' : `cache: entry unusable (${errnoOf(error)}); ignored`,
      );
      return undefined;
    }
    try {
      const stat = fstatSync(fd);
      if (!stat.isFile()) {
        this.deps.debug('cache: entry is not a regular file; ignored');
        return undefined;
      }
      if (this.deps.uid !== undefined && stat.uid !== this.deps.uid) {
        this.deps.debug('cache: entry owned by another user; ignored');
        return await this.discard(path);
      }
      if (this.deps.uid !== undefined && (stat.mode & 0o077) !== 0) {
        this.deps.debug('cache: entry readable by others; ignored');
        return await this.discard(path);
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(readFileSync(fd, 'utf8'));
      } catch {
        parsed = undefined;
      }
      if (!isCacheEntry(parsed)) {
        this.deps.debug('cache: entry corrupt; ignored');
        return await this.discard(path);
      }
      const expiration = new Date(parsed.credentials.expiration);
      const left = expiration.getTime() - this.deps.now().getTime();
      if (left > durationSeconds * 1000) {
        this.deps.debug('cache: entry outlives the requested duration; ignored');
        return await this.discard(path);
      }
      if (left <= this.options.refreshSeconds * 1000) {
        this.deps.debug(`cache: entry expires in ${Math.round(left / 1000)} s; refreshing`);
        return undefined;
      }
      this.deps.debug(`cache: hit, expires in ${Math.round(left / 1000)} s`);
      return { ...parsed.credentials, expiration };
    } finally {
      closeSync(fd);
    }
  }

  private async discard(path: string): Promise<undefined> {
    removeIfThere(path);
    return undefined;
  }

  /** Stores the entry; a full disk or a vanished directory only costs the next call a CreateSession. */
  async write(key: string, credentials: SessionCredentials): Promise<void> {
    try {
      // Temp file (O_EXCL | O_NOFOLLOW, 0600) in the checked directory, then rename: a link
      // planted at the entry's name is replaced, never written through.
      writePrivateFile(this.path(key), cacheEntryJson(credentials));
      this.deps.debug('cache: stored');
    } catch (error) {
      this.deps.debug(`cache: could not store the entry (${isIamraError(error) ? error.code : errnoOf(error)})`);
    }
  }

  /**
   * Takes the lock for `key`; waits while another live process holds it, breaks it when its
   * holder died or it is older than the timeout. Returns the release function.
   */
  async lock(key: string): Promise<() => Promise<void>> {
    const path = this.path(key, '.lock');
    const started = this.deps.now().getTime();
    for (let attempt = 0; ; attempt += 1) {
      try {
        writeFileSync(path, `${this.deps.pid} ${this.deps.now().toISOString()}`, { mode: PRIVATE_FILE, flag: 'wx' });
        return async () => removeIfThere(path);
      } catch (error) {
        if (errnoOf(error) !== 'EEXIST') {
          this.deps.debug(`cache: cannot create the lock (${errnoOf(error)}); going ahead without it`);
          return async () => {};
        }
      }
      const stale = this.staleHolder(path);
      if (stale !== undefined) {
        // Remove only the lock judged stale, not one a faster waiter took meanwhile.
        if (readOrUndefined(path) === stale) {
          this.deps.debug(`cache: breaking a stale lock (${stale})`);
          removeIfThere(path);
        }
        continue;
      }
      if (this.deps.now().getTime() - started > this.options.lockTimeoutMs) {
        this.deps.debug('cache: lock wait timed out; going ahead without it');
        return async () => {};
      }
      if (attempt === 0) this.deps.debug('cache: another iamra is fetching these credentials; waiting');
      await this.deps.sleep(Math.min(200, 20 * 2 ** Math.min(attempt, 4)));
    }
  }

  /** The lock's content if its holder died or it is older than the timeout, else undefined. */
  private staleHolder(path: string): string | undefined {
    try {
      const text = readFileSync(path, 'utf8');
      const stat = statSync(path);
      const pid = Number(text.split(' ')[0]);
      if (Number.isInteger(pid) && pid > 0 && !this.deps.isProcessAlive(pid)) return text;
      return this.deps.now().getTime() - stat.mtimeMs > this.options.lockTimeoutMs ? text : undefined;
    } catch {
      return undefined;
    }
  }
}

function errnoOf(error: unknown): string {
  return (error as NodeJS.ErrnoException | undefined)?.code ?? 'error';
}

function readOrUndefined(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** fs.rm({ force }) without its module: gone already is fine, any other failure is ignored too. */
function removeIfThere(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // ENOENT: nothing to remove; anything else: the next writer replaces it by rename.
  }
}

export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
