/**
 * The Roles Anywhere session an earlier step of the same job primed (profile mode with a role
 * chain, see profile-files.ts), so a job that writes one profile per account makes one
 * CreateSession, not one per step. Read as the CLI reads its cache: a regular file of ours,
 * 0600, not a link, a valid entry, and fresh enough to start a chain from.
 */
import { closeSync, constants, fstatSync, openSync, readFileSync } from 'node:fs';
import { isCacheEntry } from '../cache/entry.js';
import type { SessionCredentials } from '../client/credentials.js';

/** A start session with less left than this is not worth reusing: CreateSession again. */
export const MIN_REUSED_START_SECONDS = 600;

function parsed(fd: number): unknown {
  try {
    return JSON.parse(readFileSync(fd, 'utf8'));
  } catch {
    return undefined;
  }
}

export function readPrimedStart(
  path: string,
  now: Date,
  /** The session's requested duration: an entry promising more is not one we primed. */
  durationSeconds: number,
): SessionCredentials | undefined {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0));
  } catch {
    return undefined;
  }
  try {
    const stat = fstatSync(fd);
    const uid = typeof process.getuid === 'function' ? process.getuid() : undefined;
    if (!stat.isFile()) return undefined;
    if (uid !== undefined && (stat.uid !== uid || (stat.mode & 0o077) !== 0)) return undefined;
    const entry = parsed(fd);
    if (!isCacheEntry(entry)) return undefined;
    const expiration = new Date(entry.credentials.expiration);
    const left = expiration.getTime() - now.getTime();
    if (left <= MIN_REUSED_START_SECONDS * 1000 || left > durationSeconds * 1000) return undefined;
    return { ...entry.credentials, expiration };
  } finally {
    closeSync(fd);
  }
}
