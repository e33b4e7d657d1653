#!/usr/bin/env node
// The repository's launcher for tests: runs the compiled ESM tree (dist/, from `tsc -b`) so tests
// need no bundle rebuild; the installed bin is bin/iamra.cjs (the bundle). A warm
// credential-process is answered before the full CLI (and node:crypto) loads.
import { printFromWarmCache } from '../dist/warm-cache/print.js';

if (!(await printFromWarmCache(process.argv.slice(2), process.env))) {
  const [{ main }, { runBin }] = await Promise.all([import('../dist/index.js'), import('../dist/run-bin.js')]);
  await runBin(main);
}
