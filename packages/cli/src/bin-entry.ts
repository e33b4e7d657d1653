/**
 * The `iamra` bin as npm installs it: the whole CLI (the emulator included) in one bundle. A
 * credential_process call with a valid cache entry is answered before anything else loads.
 */
import { printFromWarmCache } from './warm-cache/print.js';

const warm = await printFromWarmCache(process.argv.slice(2), process.env);
if (!warm.printed) {
  const [{ main }, { runBin }] = await Promise.all([import('./index.js'), import('./run-bin.js')]);
  await runBin(main, warm.config);
}
