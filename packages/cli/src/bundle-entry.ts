/**
 * The credential helper the GitHub Action and the Azure task bundle. A credential_process call
 * with a valid cache entry is answered before anything else loads; every other call loads the
 * helper CLI (its own chunk, through the dynamic import) and runs it.
 */
import { printFromWarmCache } from './warm-cache/print.js';

const warm = await printFromWarmCache(process.argv.slice(2), process.env);
if (!warm.printed) {
  const { runHelperCli } = await import('./helper-cli.js');
  await runHelperCli(warm.config);
}
