/**
 * One sequence of runner-protocol calls, fed to both our Runner and @actions/core, and what each
 * left behind: stdout and the file-command files as bytes, return values, the environment.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { WorkflowCommand } from '../../../packages/github-action/src/runner/workflow-command.js';

export const FILE_VARIABLES = [
  'GITHUB_ENV',
  'GITHUB_OUTPUT',
  'GITHUB_STATE',
  'GITHUB_PATH',
  'GITHUB_STEP_SUMMARY',
] as const;
export type FileVariable = (typeof FILE_VARIABLES)[number];

/** Calls named after our Runner's methods; the @actions/core driver maps each to its function. */
export type Call =
  | { op: 'input'; name: string; required?: boolean }
  | { op: 'booleanInput'; name: string }
  | { op: 'state'; name: string }
  | { op: 'mask'; value: string }
  | { op: 'command'; command: WorkflowCommand; message: string; properties?: Record<string, string> }
  | { op: 'info'; message: string }
  | { op: 'warning' | 'error'; message: string; title?: string }
  | { op: 'exportVariable' | 'setOutput' | 'saveState'; name: string; value: string }
  | { op: 'addPath'; directory: string }
  | { op: 'summary'; markdown: string };

export interface Scenario {
  /** INPUT_*, STATE_*, PATH: the step's environment besides the file-command variables. */
  env: Record<string, string>;
  calls: Call[];
  /** What crypto.randomUUID returns, in order, on both sides (the heredoc delimiters). */
  uuids: string[];
  /** Variables whose final value is compared (exportVariable and addPath change them). */
  watch?: string[];
  /** File-command variables left unset, and ones set to a file that does not exist. */
  unset?: FileVariable[];
  uncreated?: FileVariable[];
}

/** A call's result: what it returned, or that it threw (the message kept for the named differences). */
export interface CallResult {
  value?: string | boolean;
  threw?: string;
}

export interface Outcome {
  /** Bytes as latin1 text: one character per byte, so string equality is byte equality. */
  stdout: string;
  files: Partial<Record<FileVariable, string>>;
  results: CallResult[];
  env: Record<string, string | null>;
  uuidsUsed: number;
}

/** The file-command variables of one side, pointing into `dir`, created empty as a runner does. */
export function prepareFiles(dir: string, scenario: Scenario): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of FILE_VARIABLES) {
    if (scenario.unset?.includes(name)) continue;
    env[name] = join(dir, name.toLowerCase());
    if (!scenario.uncreated?.includes(name)) writeFileSync(env[name], '');
  }
  return env;
}

export function readFiles(fileEnv: Record<string, string>): Partial<Record<FileVariable, string>> {
  const files: Partial<Record<FileVariable, string>> = {};
  for (const name of FILE_VARIABLES) {
    const path = fileEnv[name];
    if (path && existsSync(path)) files[name] = readFileSync(path).toString('latin1');
  }
  return files;
}

/** A sequence of delimiters handed out in order; running out is a failure of the test itself. */
export function uuidSequence(uuids: string[]): { next: () => string; used: () => number } {
  let used = 0;
  return {
    next: () => {
      const uuid = uuids[used];
      if (uuid === undefined) throw new Error(`the scenario needs more than ${uuids.length} uuids`);
      used += 1;
      return uuid;
    },
    used: () => used,
  };
}
