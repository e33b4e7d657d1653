#!/usr/bin/env node
// Builds the Azure DevOps extension (.vsix) from vss-extension.json and the built task folder.
// Run `npm run build` first; the task folder must hold main/, post/ and cli/ bundles.
//   node scripts/package-vsix.mjs                   package the version in package.json
//   node scripts/package-vsix.mjs --version 1.2.0   set that version everywhere, then package
//   node scripts/package-vsix.mjs --out DIR         write the .vsix into DIR (default out/)
// The repository's package.json version is the release version: the extension's and the task's
// versions are kept in step with it here (the Marketplace refuses a task whose version did not
// move, and an agent caches tasks by version, so a stale task.json ships stale code).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const taskDir = join(root, 'tasks', 'RolesAnywhereCredentialsV1');
const paths = {
  package: join(root, 'package.json'),
  task: join(taskDir, 'task.json'),
  extension: join(root, 'vss-extension.json'),
};

function flag(name) {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? process.argv[at + 1] : undefined;
}

function fail(message) {
  console.error(`package: ${message}`);
  process.exit(2);
}

const readJson = (path) => JSON.parse(readFileSync(path, 'utf8'));
const writeJson = (path, value) => writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`);

/** Sets (or checks and aligns) the three versions; returns the one they now share. */
function keepVersionsInStep(requested) {
  const pkg = readJson(paths.package);
  const version = requested ?? pkg.version;
  const match = /^(\d+)\.(\d+)\.(\d+)$/.exec(version ?? '');
  if (!match) fail(`version '${version}' is not MAJOR.MINOR.PATCH`);
  const [major, minor, patch] = match.slice(1).map(Number);
  // The task's major is part of its name in pipelines (RolesAnywhereCredentials@1): never moved here.
  if (`V${major}` !== /V\d+$/.exec(taskDir)?.[0]) {
    fail(`version ${version} does not belong to ${taskDir}: a new major needs a new task folder`);
  }
  if (pkg.version !== version) writeJson(paths.package, { ...pkg, version });
  const task = readJson(paths.task);
  if (task.version.Major !== major || task.version.Minor !== minor || task.version.Patch !== patch) {
    writeJson(paths.task, { ...task, version: { Major: major, Minor: minor, Patch: patch } });
    console.log(`package: task.json version set to ${version}`);
  }
  const extension = readJson(paths.extension);
  if (extension.version !== version) {
    writeJson(paths.extension, { ...extension, version });
    console.log(`package: vss-extension.json version set to ${version}`);
  }
  return version;
}

for (const file of [
  'main/index.js',
  'main/task.js',
  'post/index.js',
  'cli/index.js',
  'cli/cli.js',
  'THIRD-PARTY-NOTICES.txt',
]) {
  if (!existsSync(join(taskDir, file))) fail(`${file} is missing in the task folder; run npm run build first`);
}
// A code cache the task's tests left beside main/task.js is this machine's, never the package's.
rmSync(join(taskDir, 'main', '.code-cache'), { recursive: true, force: true });
const version = keepVersionsInStep(flag('version'));
const outDir = resolve(flag('out') ?? join(root, 'out'));
mkdirSync(outDir, { recursive: true });
const tfx = join(root, 'node_modules', '.bin', process.platform === 'win32' ? 'tfx.cmd' : 'tfx');
execFileSync(
  tfx,
  ['extension', 'create', '--manifest-globs', 'vss-extension.json', '--output-path', outDir, '--no-prompt'],
  { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] },
);
const vsix = readdirSync(outDir).find((file) => file.endsWith(`-${version}.vsix`));
if (!vsix) fail(`tfx wrote no .vsix for version ${version} into ${outDir}`);
console.log(`package: ${join(outDir, vsix)} ${(statSync(join(outDir, vsix)).size / 1024).toFixed(0)} kB`);
