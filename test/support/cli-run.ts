/** Runs the CLI's main in-process with captured streams and a clean environment. */
import { Readable } from 'node:stream';

export interface CliResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

type Main = (
  argv: string[],
  io: {
    stdout: { write(t: string): unknown };
    stderr: { write(t: string): unknown };
    stdin?: NodeJS.ReadableStream;
    env: NodeJS.ProcessEnv;
  },
) => Promise<number>;

export async function runCli(
  main: Main,
  argv: string[],
  env: Record<string, string> = {},
  stdin?: string | Buffer,
): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const exitCode = await main(argv, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    ...(stdin !== undefined ? { stdin: Readable.from([Buffer.from(stdin)]) } : {}),
    env: { PATH: process.env.PATH ?? '', ...env },
  });
  return { exitCode, stdout, stderr };
}
