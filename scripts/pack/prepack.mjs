#!/usr/bin/env node
// `npm pack` / `npm publish` of a workspace package runs this first (its `prepack`): it copies the
// repository's LICENSE in and refuses to pack a package whose build output is missing, so a
// tarball never ships without its code. It does not build: `npm run build` does that.
//   node ../../scripts/pack/prepack.mjs FILE...   (paths the package must hold, relative to it)
import { copyFileSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const missing = process.argv.slice(2).filter((file) => !existsSync(file));
if (missing.length > 0) {
  console.error(`prepack: ${missing.join(', ')} missing in ${process.cwd()}; run npm run build first`);
  process.exit(1);
}
copyFileSync(join(root, 'LICENSE'), 'LICENSE');
