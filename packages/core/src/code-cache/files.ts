/**
 * The code cache file, read and written as privately as the credential entries beside it: V8
 * runs what it deserializes, so only a regular file of ours that nobody else can write is read,
 * through no symbolic link, in a directory of ours that only we can enter; it is written
 * atomically (writePrivateFile) and never into a directory this process did not find private.
 */
import { closeSync, constants, fstatSync, lstatSync, openSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { ensurePrivateDirectory, writePrivateFile } from '../files/private-file.js';
import { isCodeCacheName } from './name.js';

const NOFOLLOW = constants.O_NOFOLLOW ?? 0;

/** undefined on Windows, where permission bits mean nothing. */
type Uid = number | undefined;

const privateTo = (stat: { uid: number; mode: number }, uid: Uid) =>
  uid === undefined || (stat.uid === uid && (stat.mode & 0o077) === 0);

/** A private directory of ours (not a link): the only kind the cache is read from or written to. */
export function isPrivateDirectory(dir: string, uid: Uid): boolean {
  try {
    const stat = lstatSync(dir);
    return stat.isDirectory() && privateTo(stat, uid);
  } catch {
    return false;
  }
}

/** The cache's bytes, or undefined when there is none or it is not safely ours. */
export function readCodeCache(path: string, uid: Uid): Buffer | undefined {
  if (!isPrivateDirectory(dirname(path), uid)) return undefined;
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | NOFOLLOW | (constants.O_NONBLOCK ?? 0));
  } catch {
    return undefined;
  }
  try {
    const stat = fstatSync(fd);
    return stat.isFile() && privateTo(stat, uid) ? readFileSync(fd) : undefined;
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

/**
 * Stores the cache and removes the caches of other builds (an upgrade leaves them unused); the
 * caches of other Node versions stay, for agents that run both. createIn: a directory of ours
 * under which `path`'s directory is created 0700 when missing. Failing costs only speed.
 */
export function writeCodeCache(path: string, data: Uint8Array, bundleHash: string, uid: Uid, createIn?: string): void {
  const dir = dirname(path);
  try {
    if (createIn !== undefined) ensurePrivateDirectory(createIn, dir);
    if (!isPrivateDirectory(dir, uid)) return;
    writePrivateFile(path, data);
    for (const name of readdirSync(dir)) {
      if (isCodeCacheName(name) && !name.startsWith(`code-${bundleHash}-`) && name !== basename(path)) {
        rmSync(join(dir, name), { force: true });
      }
    }
  } catch {
    // A full disk or a vanished directory: the next call compiles again.
  }
}
