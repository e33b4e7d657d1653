/**
 * The GitHub runner protocol, written out: inputs from INPUT_*, workflow commands on stdout,
 * file commands for env, outputs, state and the summary. @actions/core does the same but
 * costs ~40 ms of start-up in a bundle (measured: node -e 0 83 ms, its bundle 124 ms), and
 * this step runs in every job; the protocol is small and documented, so we speak it directly.
 */
import { randomBytes } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import { EOL } from 'node:os';
import { delimiter as PATH_SEPARATOR } from 'node:path';
import { neutralizeForLog } from '@iamra/core';

export interface RunnerEnv {
  env: NodeJS.ProcessEnv;
  stdout: { write(text: string): unknown };
}

function escapeData(value: string): string {
  return value.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(value: string): string {
  return escapeData(value).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export class Runner {
  constructor(private readonly io: RunnerEnv) {}

  input(name: string): string {
    return (this.io.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim();
  }

  /** Raw input with inner newlines kept (PEM text), only outer whitespace trimmed. */
  multilineInput(name: string): string {
    return this.input(name);
  }

  command(name: string, message: string, properties: Record<string, string> = {}): void {
    const props = Object.entries(properties)
      .map(([key, value]) => `${key}=${escapeProperty(value)}`)
      .join(',');
    this.io.stdout.write(`::${name}${props ? ` ${props}` : ''}::${escapeData(message)}${EOL}`);
  }

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

  private appendFileCommand(variable: string, text: string): void {
    const path = this.io.env[variable];
    if (!path) throw new Error(`${variable} is not set: this must run as a GitHub Actions step`);
    appendFileSync(path, text, 'utf8');
  }

  private fileCommand(variable: string, name: string, value: string): void {
    const delimiter = `ghadelimiter_${randomBytes(16).toString('hex')}`;
    this.appendFileCommand(variable, `${name}<<${delimiter}${EOL}${value}${EOL}${delimiter}${EOL}`);
  }

  /** Prepends a directory to PATH for later steps (GITHUB_PATH) and for this one. */
  addPath(directory: string): void {
    // Every runner since 2.273 sets GITHUB_PATH; without it there is no later step to serve.
    if (this.io.env.GITHUB_PATH) this.appendFileCommand('GITHUB_PATH', `${directory}${EOL}`);
    this.io.env.PATH = `${directory}${PATH_SEPARATOR}${this.io.env.PATH ?? ''}`;
  }

  exportVariable(name: string, value: string): void {
    this.fileCommand('GITHUB_ENV', name, value);
    this.io.env[name] = value;
  }

  setOutput(name: string, value: string): void {
    this.fileCommand('GITHUB_OUTPUT', name, value);
  }

  saveState(name: string, value: string): void {
    this.fileCommand('GITHUB_STATE', name, value);
  }

  state(name: string): string {
    return this.io.env[`STATE_${name}`] ?? '';
  }

  appendSummary(markdown: string): void {
    const path = this.io.env.GITHUB_STEP_SUMMARY;
    if (path) appendFileSync(path, markdown, 'utf8');
  }
}
