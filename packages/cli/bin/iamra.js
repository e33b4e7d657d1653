#!/usr/bin/env node
// Thin launcher so `npx iamra` works from the repository after `npm run build`. A warm
// credential-process is answered before the full CLI (and node:crypto) loads.
import { printFromWarmCache } from '../dist/warm-cache/print.js';

if (!(await printFromWarmCache(process.argv.slice(2), process.env))) {
  const [{ main }, { runBin }] = await Promise.all([import('../dist/index.js'), import('../dist/run-bin.js')]);
  await runBin(main);
}
