/**
 * Private files on Windows, where a file's mode means nothing and a new file inherits its
 * directory's ACL (on a self-hosted runner, often readable by every local user). Each private
 * directory and each new, still empty file gets an ACL that only the current user can use:
 * inheritance removed, full control granted to the user's SID (not a name: an agent running as
 * NETWORK SERVICE has a name icacls would resolve to another account). The SID comes from
 * `whoami /user`; both programs come from System32 by absolute path (never through PATH) and run
 * without a shell. Any failure refuses the write (FILE_ACL_FAILED): no key lands unprotected.
 */
import { win32 } from 'node:path';
import { IamraError } from '../errors.js';
import type { FileProtection } from '../files/types.js';
import type { RunCommand } from './host.js';

const SID = /^S-1-\d+(-\d+)+$/;

function system32(env: NodeJS.ProcessEnv, program: string): string {
  return win32.join(env.SystemRoot || env.SYSTEMROOT || 'C:\\Windows', 'System32', program);
}

function aclError(path: string, what: string, cause: unknown): IamraError {
  const status = (cause as { status?: unknown; code?: unknown } | undefined) ?? {};
  const detail = typeof status.status === 'number' ? `exit ${status.status}` : String(status.code ?? 'failed');
  return new IamraError(
    'FILE_ACL_FAILED',
    `could not restrict ${path} to the current user (${what}: ${detail}); nothing secret was written there (check that icacls.exe and whoami.exe run for this account)`,
    { cause },
  );
}

/** The current user's SID, from whoami's CSV line: "domain\user","S-1-5-21-…". */
export function parseWhoamiSid(output: string): string | undefined {
  const sid = /"([^"]*)"\s*$/.exec(output.trim())?.[1];
  return sid !== undefined && SID.test(sid) ? sid : undefined;
}

export function windowsAcl(run: RunCommand, env: NodeJS.ProcessEnv): FileProtection {
  let sid: string | undefined;
  const userSid = (path: string): string => {
    if (sid !== undefined) return sid;
    let output: string;
    try {
      output = run(system32(env, 'whoami.exe'), ['/user', '/fo', 'csv', '/nh']);
    } catch (error) {
      throw aclError(path, 'whoami /user', error);
    }
    sid = parseWhoamiSid(output);
    if (sid === undefined) throw aclError(path, 'whoami /user', { code: 'no SID in its answer' });
    return sid;
  };
  const restrict = (path: string, rights: string): void => {
    const grant = `*${userSid(path)}:${rights}`;
    try {
      run(system32(env, 'icacls.exe'), [path, '/inheritance:r', '/grant:r', grant, '/q']);
    } catch (error) {
      throw aclError(path, 'icacls', error);
    }
  };
  return {
    restrictFile: (path) => restrict(path, 'F'),
    // (OI)(CI): files and directories created inside inherit it (the CLI's cache entries, later).
    restrictDirectory: (path) => restrict(path, '(OI)(CI)F'),
  };
}

/** The protection private files need on `platform`: an ACL on Windows, none (mode bits) elsewhere. */
export function fileProtectionFor(
  platform: NodeJS.Platform,
  run: RunCommand,
  env: NodeJS.ProcessEnv,
): FileProtection | undefined {
  return platform === 'win32' ? windowsAcl(run, env) : undefined;
}
