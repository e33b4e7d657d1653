/** The bins' first step: print cached credentials, or hand the full CLI what the attempt loaded. */
import type { HelperConfig } from '../config/load.js';
import { createStdoutWriter } from '../sync-stdout.js';
import { attemptWarmCredentialProcess } from './warm-credential-process.js';

/** Printed, or not: then the config the attempt loaded for the full path, if it got that far. */
export type WarmOutcome = { printed: true } | { printed: false; config: HelperConfig | undefined };

export async function printFromWarmCache(argv: string[], env: NodeJS.ProcessEnv): Promise<WarmOutcome> {
  const attempt = await attemptWarmCredentialProcess(argv, env);
  if (attempt.output === undefined) return { printed: false, config: attempt.config };
  createStdoutWriter().write(attempt.output);
  return { printed: true };
}
