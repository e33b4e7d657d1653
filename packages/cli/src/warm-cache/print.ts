/** The bins' first step: print cached credentials and say so, or leave everything to the full CLI. */
import { writeSync } from 'node:fs';
import { MISS, warmCredentialProcess } from './warm-credential-process.js';

/** Straight to fd 1: process.stdout would build a stream (a few ms) for one short line. */
function writeStdout(text: string): void {
  const bytes = Buffer.from(text, 'utf8');
  let written = 0;
  try {
    while (written < bytes.length) written += writeSync(1, bytes, written);
  } catch {
    // A full non-blocking pipe (EAGAIN) or a closed one: the stream handles both as the full CLI does.
    process.stdout.write(bytes.subarray(written));
  }
}

export async function printFromWarmCache(argv: string[], env: NodeJS.ProcessEnv): Promise<boolean> {
  const output = await warmCredentialProcess(argv, env);
  if (output === MISS) return false;
  writeStdout(output);
  return true;
}
