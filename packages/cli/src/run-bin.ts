/** Process wiring for the bins: signals abort long-running commands; the exit code is returned. */
import type { CliIo } from './io.js';

export async function runBin(main: (argv: string[], io: CliIo) => Promise<number>): Promise<void> {
  const controller = new AbortController();
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => controller.abort());
  process.exitCode = await main(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    signal: controller.signal,
  });
}
