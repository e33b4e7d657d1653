/**
 * File commands: the runner reads GITHUB_ENV, GITHUB_OUTPUT and GITHUB_STATE as `NAME<<DELIMITER`
 * heredocs, GITHUB_PATH as one directory a line, GITHUB_STEP_SUMMARY as Markdown.
 */
import { appendFileSync, existsSync } from 'node:fs';
import { EOL } from 'node:os';
import { IamraError } from '@iamra/core';

export type FileCommandVariable =
  | 'GITHUB_ENV'
  | 'GITHUB_OUTPUT'
  | 'GITHUB_STATE'
  | 'GITHUB_PATH'
  | 'GITHUB_STEP_SUMMARY';

const WHAT: Record<FileCommandVariable, string> = {
  GITHUB_ENV: 'variable',
  GITHUB_OUTPUT: 'output',
  GITHUB_STATE: 'state',
  GITHUB_PATH: 'path entry',
  GITHUB_STEP_SUMMARY: 'summary',
};

/** Appends to the file the runner created for this step; a missing variable or file means no runner reads it. */
export function appendFileCommand(env: NodeJS.ProcessEnv, variable: FileCommandVariable, text: string): void {
  const path = env[variable];
  if (!path) {
    throw new IamraError('RUNNER_FILE_MISSING', `${variable} is not set: run this as a GitHub Actions step`);
  }
  if (!existsSync(path)) {
    throw new IamraError(
      'RUNNER_FILE_MISSING',
      `${variable} names no existing file: run this as a GitHub Actions step`,
    );
  }
  appendFileSync(path, text, 'utf8');
}

/**
 * `name<<ghadelimiter_UUID`, the value, the delimiter: the runner ends the value at the first
 * line equal to the delimiter, so a name or value holding it could set other entries. The UUID
 * is random per write (unguessable in practice); holding it anyway is refused, not escaped.
 */
export function heredoc(variable: FileCommandVariable, name: string, value: string, uuid: string): string {
  const delimiter = `ghadelimiter_${uuid}`;
  const holder = name.includes(delimiter) ? 'a name' : value.includes(delimiter) ? `the value of ${name}` : undefined;
  if (holder) {
    throw new IamraError(
      'RUNNER_DELIMITER_IN_VALUE',
      `${holder} (${WHAT[variable]}) contains this write's heredoc delimiter, so it could set other entries; nothing was written`,
    );
  }
  return `${name}<<${delimiter}${EOL}${value}${EOL}${delimiter}${EOL}`;
}
