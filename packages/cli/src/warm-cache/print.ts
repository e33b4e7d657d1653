/** The bins' first step: print cached credentials and say so, or leave everything to the full CLI. */
import { createStdoutWriter } from '../sync-stdout.js';
import { MISS, warmCredentialProcess } from './warm-credential-process.js';

export async function printFromWarmCache(argv: string[], env: NodeJS.ProcessEnv): Promise<boolean> {
  const output = await warmCredentialProcess(argv, env);
  if (output === MISS) return false;
  createStdoutWriter().write(output);
  return true;
}
