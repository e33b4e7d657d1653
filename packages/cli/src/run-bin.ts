/** Process wiring for the bins: signals abort long-running commands; the exit code is returned. */
import type { HelperConfig } from './config/load.js';
import type { CliIo } from './io.js';
import { createStdoutWriter } from './sync-stdout.js';

export async function runBin(
  main: (argv: string[], io: CliIo) => Promise<number>,
  credentialConfig?: HelperConfig,
): Promise<void> {
  const controller = new AbortController();
  let stoppedBy: number | undefined;
  for (const [signal, number] of [
    ['SIGINT', 2],
    ['SIGTERM', 15],
  ] as const) {
    process.on(signal, () => {
      // A second signal means now: the first already let the command release its lock.
      if (stoppedBy !== undefined) process.exit(128 + number);
      stoppedBy = number;
      controller.abort();
    });
  }
  // process.stdin and co. build a stream on first touch: stdin only for `-` inputs (a getter),
  // stdout not at all unless a write cannot complete (see sync-stdout.ts).
  const io: CliIo = {
    stdout: createStdoutWriter(),
    get stderr() {
      return process.stderr;
    },
    get stdin() {
      return process.stdin;
    },
    env: process.env,
    signal: controller.signal,
    ...(credentialConfig ? { credentialConfig } : {}),
  };
  const code = await main(process.argv.slice(2), io);
  // The shell's convention for a process ended by a signal; long-running commands end by one normally.
  process.exitCode = stoppedBy !== undefined && code !== 0 ? 128 + stoppedBy : code;
}
