/**
 * The task's main entry file (main/index.js): runs the task bundle (task.js beside it, built in
 * the same step) with V8's code cache (@iamra/core/code-cache), kept in `.code-cache/` beside
 * it: a private directory in the task's own folder, which only the agent's user can write, as
 * it can the bundle itself. A self-hosted agent keeps the folder from job to job; a hosted
 * agent's first run compiles as before and stores the cache. The build writes the bundle's
 * hash in place of BUNDLE_HASH, so a cache is only ever read by the build it was made from.
 */
import { join } from 'node:path';
import { loadBundle } from '@iamra/core/code-cache';

const BUNDLE_HASH = 'iamra-bundle-hash';
const built = /^[0-9a-f]+$/.test(BUNDLE_HASH);
const bundle = loadBundle(__dirname, 'task.js', {
  dir: built ? join(__dirname, '.code-cache') : undefined,
  createIn: __dirname,
  bundleHash: BUNDLE_HASH,
  uid: typeof process.getuid === 'function' ? process.getuid() : undefined,
});
// The task exits 0 whatever its result (task.complete carries it); a crash stores nothing.
process.once('exit', (code) => {
  if (code === 0) bundle.save();
});
