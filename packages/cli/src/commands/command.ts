import type { CliIo } from '../io.js';

export interface Command {
  name: string;
  summary: string;
  help(): string;
  run(argv: string[], io: CliIo): Promise<number>;
}
