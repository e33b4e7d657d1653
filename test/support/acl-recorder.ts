/**
 * A command runner for Windows ACL tests on Linux: answers `whoami /user` like Windows does and
 * records every icacls call with what the file held at that moment (nothing may be in it yet).
 */
import { existsSync, statSync } from 'node:fs';
import type { RunCommand } from '@iamra/core';

export const TEST_SID = 'S-1-5-21-3623811015-3361044348-30300820-1013';
export const SYSTEM32 = 'C:\\Windows\\System32';

export interface AclCall {
  file: string;
  args: string[];
  /** Size of the target when icacls ran (undefined: no such path). */
  sizeThen: number | undefined;
  isDirectory: boolean;
}

export interface AclRecorder {
  run: RunCommand;
  calls: AclCall[];
}

/** `fail` makes icacls exit with that status (whoami still answers). */
export function aclRecorder(options: { fail?: number; whoami?: string } = {}): AclRecorder {
  const calls: AclCall[] = [];
  const run: RunCommand = (file, args) => {
    if (file.endsWith('whoami.exe')) {
      calls.push({ file, args: [...args], sizeThen: undefined, isDirectory: false });
      return options.whoami ?? `"desktop-1\\runneradmin","${TEST_SID}"\r\n`;
    }
    const target = args[0] ?? '';
    const there = existsSync(target);
    calls.push({
      file,
      args: [...args],
      sizeThen: there ? statSync(target).size : undefined,
      isDirectory: there && statSync(target).isDirectory(),
    });
    if (options.fail !== undefined) throw Object.assign(new Error('icacls failed'), { status: options.fail });
    return 'Successfully processed 1 files; Failed processing 0 files\r\n';
  };
  return { run, calls };
}

export function icaclsCalls(recorder: AclRecorder): AclCall[] {
  return recorder.calls.filter((call) => call.file.endsWith('icacls.exe'));
}
