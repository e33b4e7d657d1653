#!/usr/bin/env node
// Bundles the compiled adapters into single files with ncc: the GitHub Action's committed
// dist/ (main, post, and the CLI its credential_process profiles run) and the Azure DevOps
// task folder (main, post, CLI). Runs after `tsc -b`.
//   node scripts/bundle.mjs                 build into the repository
//   node scripts/bundle.mjs --out DIR       build into DIR instead (the freshness test compares)
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const ncc = require('@vercel/ncc');
const { minify } = require('terser');

const TASK_DIR = 'tasks/RolesAnywhereCredentialsV1';
export const BUNDLES = [
  { input: 'packages/github-action/dist/main-entry.js', output: 'dist/main/index.js' },
  { input: 'packages/github-action/dist/post-entry.js', output: 'dist/post/index.js' },
  { input: 'packages/cli/dist/bundle-entry.js', output: 'dist/cli/index.js' },
  { input: 'packages/azure-task/dist/main-entry.js', output: `${TASK_DIR}/main/index.js` },
  { input: 'packages/azure-task/dist/post-entry.js', output: `${TASK_DIR}/post/index.js` },
  { input: 'packages/cli/dist/bundle-entry.js', output: `${TASK_DIR}/cli/index.js` },
];

async function bundle({ input, output }, outRoot) {
  const { code, assets } = await ncc(join(root, input), {
    minify: true,
    sourceMap: false,
    quiet: true,
    target: 'es2022',
    // Keep builds reproducible: the committed dist/ is compared with a fresh build in npm test.
    cache: false,
  });
  const outPath = join(outRoot, output);
  // Each bundle owns its directory: chunk files of one must never overwrite another's.
  rmSync(dirname(outPath), { recursive: true, force: true });
  mkdirSync(dirname(outPath), { recursive: true });
  writeFileSync(outPath, code);
  for (const [name, asset] of Object.entries(assets ?? {})) {
    if (name === 'package.json') continue;
    const assetPath = join(dirname(outPath), name);
    mkdirSync(dirname(assetPath), { recursive: true });
    // ncc minifies the entry but not the chunks of dynamic imports (node-forge for PKCS#12).
    const source = name.endsWith('.js') ? (await minify(asset.source.toString(), { module: true })).code : asset.source;
    writeFileSync(assetPath, source);
  }
  // ncc emits ESM; the folder is self-contained (the task ships without our package.json).
  writeFileSync(join(dirname(outPath), 'package.json'), '{ "type": "module" }\n');
  return code.length;
}

const outFlag = process.argv.indexOf('--out');
const outRoot = outFlag > 0 ? resolve(process.argv[outFlag + 1] ?? '') : root;
for (const entry of BUNDLES) {
  if (!existsSync(join(root, entry.input))) {
    throw new Error(`bundle: ${entry.input} does not exist (run tsc -b first)`);
  }
  const size = await bundle(entry, outRoot);
  console.log(`bundle: ${entry.output} ${(size / 1024).toFixed(0)} kB`);
}
