/**
 * What an adapter needs to know about the machine it runs on, read once at its entry and passed
 * down, so Windows behaviour (quoting, ACLs) is decided by a value tests can set on Linux.
 */
import { execFileSync } from 'node:child_process';

/** Runs a program without a shell; returns its stdout; throws when it cannot start or exits non-zero. */
export type RunCommand = (file: string, args: readonly string[]) => string;

export interface Host {
  platform: NodeJS.Platform;
  runCommand: RunCommand;
}

export const runCommandSync: RunCommand = (file, args) =>
  execFileSync(file, args, { encoding: 'utf8', windowsHide: true, timeout: 30_000, stdio: ['ignore', 'pipe', 'pipe'] });

/** The running machine: for entry files only; everything below takes a Host. */
export function currentHost(): Host {
  return { platform: process.platform, runCommand: runCommandSync };
}
