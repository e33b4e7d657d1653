#!/usr/bin/env node
// Builds the Azure DevOps extension (.vsix) from vss-extension.json and the built task folder.
// Run `npm run build` first; the task folder must hold main/, post/ and cli/ bundles.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const taskDir = join(root, 'tasks', 'RolesAnywhereCredentialsV1');
for (const bundle of ['main/index.js', 'post/index.js', 'cli/index.js']) {
  if (!existsSync(join(taskDir, bundle))) {
    console.error(`package: ${bundle} is missing in the task folder; run npm run build first`);
    process.exit(2);
  }
}
const outDir = join(root, 'out');
mkdirSync(outDir, { recursive: true });
const tfx = join(root, 'node_modules', '.bin', process.platform === 'win32' ? 'tfx.cmd' : 'tfx');
execFileSync(
  tfx,
  ['extension', 'create', '--manifest-globs', 'vss-extension.json', '--output-path', outDir, '--no-prompt'],
  {
    cwd: root,
    stdio: ['ignore', 'inherit', 'inherit'],
  },
);
for (const name of readdirSync(outDir).filter((file) => file.endsWith('.vsix'))) {
  console.log(`package: out/${name} ${(statSync(join(outDir, name)).size / 1024).toFixed(0)} kB`);
}
