#!/usr/bin/env node
// Bundles the compiled adapters into single files with ncc: the GitHub Action's committed
// dist/ (main, post, and the CLI its credential_process profiles run), the Azure DevOps
// task folder (main, post, CLI) and the @iamra/cli package's bin. Runs after `tsc -b`.
//   node scripts/bundle.mjs                 build into the repository
//   node scripts/bundle.mjs --out DIR       build into DIR instead (the freshness test compares)
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { bundledPackageDirs, noticesText } from './third-party-notices.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const ncc = require('@vercel/ncc');
const { minify } = require('terser');

const TASK_DIR = 'tasks/RolesAnywhereCredentialsV1';
// notices: the folder that ships together, where THIRD-PARTY-NOTICES.txt lists what its bundles contain.
const ACTION_NOTICES = { dir: 'dist', what: 'the GitHub Action bundles (dist/)' };
const TASK_NOTICES = { dir: TASK_DIR, what: 'the Azure DevOps task bundles (main/, post/, cli/)' };
/**
 * The CLI bundles and the task's main step are entered through a loader (index.js) that runs
 * the bundle (named here) with V8's code cache (@iamra/core/code-cache). A loader names a cache
 * by the bundle's hash (its code and chunks), written here in place of its placeholder.
 */
const PLACEHOLDER = "'iamra-bundle-hash'";
const CLI_LOADER = { input: 'packages/cli/dist/loader-entry.js', bundle: 'cli.js' };
const TASK_LOADER = { input: 'packages/azure-task/dist/loader-entry.js', bundle: 'task.js' };

export const BUNDLES = [
  { input: 'packages/github-action/dist/main-entry.js', output: 'dist/main/index.js', notices: ACTION_NOTICES },
  { input: 'packages/github-action/dist/post-entry.js', output: 'dist/post/index.js', notices: ACTION_NOTICES },
  {
    input: 'packages/cli/dist/bundle-entry.js',
    output: 'dist/cli/index.js',
    notices: ACTION_NOTICES,
    shim: 'iamra',
    loader: CLI_LOADER,
  },
  {
    input: 'packages/azure-task/dist/main-entry.js',
    output: `${TASK_DIR}/main/index.js`,
    notices: TASK_NOTICES,
    loader: TASK_LOADER,
  },
  { input: 'packages/azure-task/dist/post-entry.js', output: `${TASK_DIR}/post/index.js`, notices: TASK_NOTICES },
  {
    input: 'packages/cli/dist/bundle-entry.js',
    output: `${TASK_DIR}/cli/index.js`,
    notices: TASK_NOTICES,
    loader: CLI_LOADER,
  },
  // The npm package's bin: every command, the emulator in a chunk loaded only by `iamra emulator`.
  { input: 'packages/cli/dist/bin-entry.js', output: 'packages/cli/bundle/index.js', loader: CLI_LOADER },
];

/**
 * ncc emits ESM for an ESM entry, and Node 20 starts an ESM entry ~4 ms slower than a CommonJS
 * one (measured: empty .mjs 25.8 ms vs .cjs 21.8 ms), on every step and credential_process
 * call. So each bundle is entered through a one-line CommonJS file that requires the compiled
 * ESM entry: webpack turns the whole graph (top-level await included) into CommonJS. The file
 * sits at a fixed path next to the entry, so module ids and the bundle stay reproducible.
 */
function commonJsEntry(input) {
  const wrapper = join(root, input.replace(/\.js$/, '.bundle.cjs'));
  writeFileSync(wrapper, `require(${JSON.stringify(`./${basename(input)}`)});\n`);
  return wrapper;
}

async function writeLoader(loader, dir, code, assets) {
  const hash = createHash('sha256').update(code);
  for (const name of Object.keys(assets).sort()) hash.update(`\0${name}\0`).update(assets[name].source);
  // Substituted before ncc, so the minifier sees the real value and never folds the placeholder.
  const compiled = readFileSync(join(root, loader.input), 'utf8');
  const [before, ...after] = compiled.split(PLACEHOLDER);
  if (after.length !== 1) throw new Error(`bundle: ${loader.input} must hold ${PLACEHOLDER} once`);
  const input = loader.input.replace(/\.js$/, '.built.js');
  writeFileSync(join(root, input), `${before}'${hash.digest('hex').slice(0, 32)}'${after[0]}`);
  const built = await ncc(commonJsEntry(input), { minify: true, quiet: true, target: 'es2022', cache: false });
  writeFileSync(join(dir, 'index.js'), built.code);
}

/**
 * An executable `iamra` next to the bundle: the Action puts its directory on PATH for later steps.
 * Windows finds `iamra.cmd` there instead (cmd.exe and PowerShell look up PATHEXT). Profiles never
 * run either: their credential_process starts node on index.js directly, because the AWS CLI
 * starts programs without PATHEXT and a .cmd goes through cmd.exe's own parsing of the arguments.
 */
function writeShim(dir, name) {
  const path = join(dir, name);
  writeFileSync(path, "#!/usr/bin/env node\nrequire('./index.js');\n");
  chmodSync(path, 0o755);
  writeFileSync(`${path}.cmd`, '@node "%~dp0index.js" %*\r\n');
}

async function bundle({ input, output, shim, loader }, outRoot) {
  const { code, assets, stats } = await ncc(commonJsEntry(input), {
    minify: true,
    sourceMap: false,
    quiet: true,
    target: 'es2022',
    // Keep builds reproducible: the committed dist/ is compared with a fresh build in npm test.
    cache: false,
    // The PKCS#11 binding is native (built for one platform and Node-API): never in a committed
    // bundle. It is required at run time, only when a pkcs11: URI is given, from where iamra runs.
    externals: ['pkcs11js'],
  });
  const outPath = join(outRoot, output);
  // Each bundle owns its directory: chunk files of one must never overwrite another's.
  rmSync(dirname(outPath), { recursive: true, force: true });
  mkdirSync(dirname(outPath), { recursive: true });
  writeFileSync(loader ? join(dirname(outPath), loader.bundle) : outPath, code);
  for (const [name, asset] of Object.entries(assets ?? {})) {
    if (name === 'package.json') continue;
    const assetPath = join(dirname(outPath), name);
    mkdirSync(dirname(assetPath), { recursive: true });
    // ncc minifies the entry but not the chunks of dynamic imports (node-forge for PKCS#12).
    const source = name.endsWith('.js') ? (await minify(asset.source.toString())).code : asset.source;
    writeFileSync(assetPath, source);
  }
  // CommonJS, said explicitly: the folder is self-contained (the task ships without our
  // package.json, and the repository's own says "module").
  writeFileSync(join(dirname(outPath), 'package.json'), '{ "type": "commonjs" }\n');
  if (loader) await writeLoader(loader, dirname(outPath), code, assets ?? {});
  if (shim) writeShim(dirname(outPath), shim);
  return { size: code.length, packages: bundledPackageDirs(stats) };
}

const outFlag = process.argv.indexOf('--out');
const outRoot = outFlag > 0 ? resolve(process.argv[outFlag + 1] ?? '') : root;
const notices = new Map();
for (const entry of BUNDLES) {
  if (!existsSync(join(root, entry.input))) {
    throw new Error(`bundle: ${entry.input} does not exist (run tsc -b first)`);
  }
  const { size, packages } = await bundle(entry, outRoot);
  console.log(`bundle: ${entry.output} ${(size / 1024).toFixed(0)} kB`);
  if (!entry.notices) continue;
  const group = notices.get(entry.notices) ?? new Set();
  for (const dir of packages) group.add(dir);
  notices.set(entry.notices, group);
}
for (const [{ dir, what }, packages] of notices) {
  writeFileSync(join(outRoot, dir, 'THIRD-PARTY-NOTICES.txt'), noticesText(packages, root, what));
  console.log(`bundle: ${dir}/THIRD-PARTY-NOTICES.txt (${packages.size} packages)`);
}
