import type { CliIo } from '../io.js';

export interface Command {
  name: string;
  summary: string;
  help(): string;
  run(argv: string[], io: CliIo): Promise<number>;
}

/** What the dispatcher knows before loading a command: enough for `iamra --help`. */
export interface CommandEntry {
  name: string;
  summary: string;
  /** Imported on use only: a warm credential_process must not load serve's HTTP server. */
  load(): Promise<Command>;
}
