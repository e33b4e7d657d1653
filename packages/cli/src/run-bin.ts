/** Process wiring for the bins: signals abort long-running commands; the exit code is returned. */
import type { CliIo } from './io.js';

export async function runBin(main: (argv: string[], io: CliIo) => Promise<number>): Promise<void> {
  const controller = new AbortController();
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => controller.abort());
  // Getters: process.stdin and co. build a stream on first touch, which only `-` inputs need
  // for stdin (a cold credential_process would otherwise open one for nothing).
  const io: CliIo = {
    get stdout() {
      return process.stdout;
    },
    get stderr() {
      return process.stderr;
    },
    get stdin() {
      return process.stdin;
    },
    env: process.env,
    signal: controller.signal,
  };
  process.exitCode = await main(process.argv.slice(2), io);
}
