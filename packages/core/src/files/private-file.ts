/**
 * The one way iamra writes a private file (keys, passphrases, proxy URLs, profiles, cache
 * entries, secure files, summaries). A planted symlink is never followed:
 * - each directory is created 0700 one level at a time and checked with lstat: a symlink,
 *   a non-directory, or one owned by someone else is refused (PATH_UNSAFE);
 * - the content goes to a fresh temp file opened O_CREAT | O_EXCL | O_NOFOLLOW, mode 0600,
 *   in that checked directory, then is renamed over the target: rename replaces a link
 *   planted at the target itself and never writes through it; a reader sees old or new, never half.
 * On Windows, where modes mean nothing, a FileProtection (an ACL, host/windows-acl.ts) restricts
 * each directory created and each temp file while it is still empty, before any byte is written.
 * No node:crypto (temp names need only be unused: O_EXCL refuses anything already there), so
 * @iamra/core/light can carry it.
 */
import {
  chmodSync,
  closeSync,
  constants,
  fsyncSync,
  lstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { IamraError } from '../errors.js';
import type { FileProtection } from './types.js';

const NOFOLLOW = constants.O_NOFOLLOW ?? 0;
const CREATE_NEW = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | NOFOLLOW;

function currentUid(): number | undefined {
  return typeof process.getuid === 'function' ? process.getuid() : undefined;
}

function unsafe(path: string, why: string): IamraError {
  return new IamraError(
    'PATH_UNSAFE',
    `${path} ${why}; refusing to write a private file there (remove it, or use a directory only this user can write)`,
  );
}

/** Checks one directory: a real directory (not a link), ours, 0700. */
function checkDirectory(path: string): void {
  const stat = lstatSync(path);
  if (stat.isSymbolicLink()) throw unsafe(path, 'is a symbolic link');
  if (!stat.isDirectory()) throw unsafe(path, 'is not a directory');
  const uid = currentUid();
  if (uid !== undefined && stat.uid !== uid) throw unsafe(path, 'belongs to another user');
  if (uid !== undefined && (stat.mode & 0o077) !== 0) chmodSync(path, 0o700);
}

/**
 * Creates `dir` under `root` (which must already exist) one level at a time, 0700, checking
 * every level it creates or finds; `root` itself (RUNNER_TEMP, Agent.TempDirectory) is the
 * runner's and is only required to exist.
 */
export function ensurePrivateDirectory(root: string, dir: string, protection?: FileProtection): void {
  const base = resolve(root);
  const target = resolve(dir);
  const rest = relative(base, target);
  if (rest.startsWith('..') || resolve(base, rest) !== target) throw unsafe(target, `is outside ${base}`);
  let current = base;
  for (const part of rest.split(sep).filter(Boolean)) {
    current = join(current, part);
    let created = false;
    try {
      mkdirSync(current, { mode: 0o700 });
      created = true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    checkDirectory(current);
    if (created && protection) restrictNewDirectory(current, protection);
  }
}

function restrictNewDirectory(path: string, protection: FileProtection): void {
  try {
    protection.restrictDirectory(path);
  } catch (error) {
    rmSync(path, { recursive: true, force: true });
    throw error;
  }
}

function tempName(path: string): string {
  const suffix = `${process.pid}.${Date.now().toString(36)}.${Math.random().toString(36).slice(2, 10)}`;
  return join(dirname(path), `.${basename(path)}.${suffix}.tmp`);
}

/** Opens a new temp file next to `path`; a name already taken (even by a link) is skipped. */
function openTemp(path: string): { fd: number; temp: string } {
  for (let attempt = 0; ; attempt += 1) {
    const temp = tempName(path);
    try {
      return { fd: openSync(temp, CREATE_NEW, 0o600), temp };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 8) throw error;
    }
  }
}

/** Writes `content` to `path` privately (see the module comment); the directory must be ours. */
export function writePrivateFile(path: string, content: string | Uint8Array, protection?: FileProtection): void {
  checkDirectory(dirname(resolve(path)));
  const { fd, temp } = openTemp(path);
  try {
    protection?.restrictFile(temp);
    const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
    let written = 0;
    while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written);
    fsyncSync(fd);
    closeSync(fd);
    renameSync(temp, path);
  } catch (error) {
    try {
      closeSync(fd);
    } catch {
      // already closed
    }
    rmSync(temp, { force: true });
    throw error;
  }
}

/** A private file's text, read without following a link; undefined when there is none. */
export function readPrivateFile(path: string): string | undefined {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | NOFOLLOW);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    if (code === 'ELOOP') throw unsafe(path, 'is a symbolic link');
    throw error;
  }
  try {
    return readFileSync(fd, 'utf8');
  } finally {
    closeSync(fd);
  }
}
