/**
 * The container endpoint's Authorization token: read from a file the operator gives (a
 * Kubernetes Secret, say), or, when that file does not exist yet, generated into it (0600,
 * exclusive create: never through a planted link) for the client to read. A changed file is
 * read again, so a rotated token takes effect without a restart. The token is never printed.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { IamraError } from '@iamra/core';

export interface ContainerToken {
  matches(header: string | undefined): boolean;
  /** true when serve wrote the file (it then removes it on exit). */
  generated: boolean;
}

function readToken(path: string): string {
  let token: string;
  try {
    token = readFileSync(path, 'utf8').trim();
  } catch (error) {
    throw new IamraError('FILE_UNREADABLE', `cannot read --container-token-file ${path}; check the path`, {
      cause: error,
    });
  }
  if (!/^[\x21-\x7e]{16,4096}$/.test(token)) {
    throw new IamraError(
      'CONFIG_INVALID',
      `--container-token-file ${path} must hold one token of 16 to 4096 printable characters`,
    );
  }
  return token;
}

function generate(path: string): boolean {
  try {
    // No trailing newline: clients send the file as it is, and a newline is not a legal header value.
    writeFileSync(path, randomBytes(32).toString('base64url'), { mode: 0o600, flag: 'wx' });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw new IamraError('FILE_UNREADABLE', `cannot create --container-token-file ${path}; check the directory`, {
      cause: error,
    });
  }
}

export function openContainerToken(path: string): ContainerToken {
  const generated = generate(path);
  let stamp = '';
  let token = '';
  const current = (): string => {
    try {
      const stat = statSync(path);
      const next = `${stat.ino}:${stat.mtimeMs}:${stat.size}`;
      if (next !== stamp) {
        token = readToken(path);
        stamp = next;
      }
    } catch (error) {
      // A file that disappeared or went bad after start: keep the last good token, fail closed if none.
      if (!token) throw error;
    }
    return token;
  };
  current();
  return {
    generated,
    matches(header) {
      if (header === undefined) return false;
      const expected = Buffer.from(current());
      const given = Buffer.from(header);
      return given.length === expected.length && timingSafeEqual(given, expected);
    },
  };
}
