/**
 * The GitHub runner protocol, written out: inputs from INPUT_*, workflow commands on stdout,
 * file commands for env, outputs, state, PATH and the summary. @actions/core@3 does the same
 * but a minimal step bundling it runs in 66–75 ms against 34–37 ms with this (it loads undici
 * through @actions/http-client), and this step runs in every job. test/action/runner-protocol-differential.test.ts proves this
 * byte-identical to @actions/core and names each place where it differs on purpose.
 */
import { randomUUID } from 'node:crypto';
import { EOL } from 'node:os';
import { delimiter as PATH_SEPARATOR } from 'node:path';
import { IamraError, neutralizeForLog } from '@iamra/core';
import { appendFileCommand, type FileCommandVariable, heredoc } from './file-command.js';
import { formatCommand, type WorkflowCommand } from './workflow-command.js';

export interface RunnerEnv {
  env: NodeJS.ProcessEnv;
  stdout: { write(text: string): unknown };
  /** The heredoc delimiters' randomness (crypto.randomUUID, as @actions/core); tests inject a sequence. */
  randomUUID?: () => string;
}

export class Runner {
  private readonly randomUUID: () => string;

  constructor(private readonly io: RunnerEnv) {
    this.randomUUID = io.randomUUID ?? randomUUID;
  }

  /** getInput: INPUT_ + the name upper-cased with spaces as `_` (hyphens kept), trimmed. */
  input(name: string, options: { required?: boolean } = {}): string {
    const value = (this.io.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim();
    // Checked after trimming: an input of only whitespace is as missing as an absent one.
    if (options.required && !value) throw new IamraError('CONFIG_INVALID', `input ${name} is required`);
    return value;
  }

  command(name: WorkflowCommand, message: string, properties: Record<string, string> = {}): void {
    this.io.stdout.write(formatCommand(name, message, properties));
  }

  /** An empty value is skipped: the runner only warns that it cannot mask it. */
  mask(value: string): void {
    if (value) this.command('add-mask', value);
  }

  /** A log line: whatever it quotes, the runner acts on none of it (see neutralizeForLog). */
  info(message: string): void {
    this.io.stdout.write(`${neutralizeForLog(message, Number.POSITIVE_INFINITY)}${EOL}`);
  }

  warning(message: string, title = 'iamra'): void {
    this.command('warning', neutralizeForLog(message, Number.POSITIVE_INFINITY), { title });
  }

  error(message: string, title = 'iamra'): void {
    this.command('error', neutralizeForLog(message, Number.POSITIVE_INFINITY), { title });
  }

  private keyValue(variable: FileCommandVariable, name: string, value: string): void {
    appendFileCommand(this.io.env, variable, heredoc(variable, name, value, this.randomUUID()));
  }

  /** Prepends a directory to PATH for later steps (GITHUB_PATH) and for this one. */
  addPath(directory: string): void {
    // Every runner since 2.273 sets GITHUB_PATH; without it there is no later step to serve.
    if (this.io.env.GITHUB_PATH) appendFileCommand(this.io.env, 'GITHUB_PATH', `${directory}${EOL}`);
    const path = this.io.env.PATH;
    this.io.env.PATH = path ? `${directory}${PATH_SEPARATOR}${path}` : directory;
  }

  /** Set for later steps and for this one; refused as a whole (nothing set) when it cannot be written. */
  exportVariable(name: string, value: string): void {
    this.keyValue('GITHUB_ENV', name, value);
    this.io.env[name] = value;
  }

  setOutput(name: string, value: string): void {
    this.keyValue('GITHUB_OUTPUT', name, value);
  }

  saveState(name: string, value: string): void {
    this.keyValue('GITHUB_STATE', name, value);
  }

  state(name: string): string {
    return this.io.env[`STATE_${name}`] ?? '';
  }

  /** Runners without job summaries (GHES before 3.6) set no GITHUB_STEP_SUMMARY: then there is none. */
  appendSummary(markdown: string): void {
    if (this.io.env.GITHUB_STEP_SUMMARY) appendFileCommand(this.io.env, 'GITHUB_STEP_SUMMARY', markdown);
  }
}
