#!/usr/bin/env node
/**
 * `npm test` runs this first (pretest): it installs, idempotently, every real peer the suites
 * need, where test/support/peers.ts looks for them. A peer that is already there costs one quick
 * probe; a missing one is installed; one that cannot be installed
 * fails the run with one line: which peer, why, and the command that installs it.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { debianPackages, goPrograms, goTools, node24, python } from './catalog.mjs';
import { fail, probe, run } from './run.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const tools = join(root, '.tools');
const bin = join(tools, 'bin');
const stamps = join(tools, 'stamps');
const quiet = process.argv.includes('--quiet');
const say = (line) => quiet || process.stdout.write(`peers: ${line}\n`);

function stamped(name, value) {
  const file = join(stamps, name);
  return existsSync(file) && readFileSync(file, 'utf8') === value;
}
function stamp(name, value) {
  mkdirSync(stamps, { recursive: true });
  writeFileSync(join(stamps, name), value);
}

function ensureDebian() {
  const missing = debianPackages.filter((p) => !probe(p.probe[0], p.probe[1], p.expect));
  if (missing.length === 0) return;
  const pkgs = missing.map((p) => p.pkg);
  const command = `apt-get update && apt-get install -y ${pkgs.join(' ')}`;
  if (process.getuid?.() !== 0) {
    fail(missing.map((p) => p.name).join(', '), 'not installed and this is not root', `sudo sh -c '${command}'`);
  }
  say(`installing ${pkgs.join(', ')} (apt-get)`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  run('apt-get', ['update', '-qq'], { env, what: 'apt-get update', fix: command });
  run('apt-get', ['install', '-y', '-qq', ...pkgs], { env, what: `apt-get install ${pkgs.join(' ')}`, fix: command });
  for (const p of missing) {
    if (!probe(p.probe[0], p.probe[1], p.expect)) fail(p.name, 'still missing after apt-get install', command);
  }
}

function ensurePython() {
  const py = join(root, '.venv', 'bin', 'python');
  if (existsSync(py) && probe(py, ['-c', python.imports], /^/)) return py;
  say(`installing ${python.name}`);
  const fix = `python3 -m venv .venv && .venv/bin/pip install ${python.packages.join(' ')}`;
  if (!existsSync(py)) run('python3', ['-m', 'venv', join(root, '.venv')], { what: 'python3 -m venv', fix });
  run(py, ['-m', 'pip', 'install', '-q', '--disable-pip-version-check', ...python.packages], {
    what: 'pip install',
    fix,
  });
  return py;
}

function ensureNode24() {
  const dir = join(tools, 'node24');
  const node = join(dir, 'node_modules', 'node', 'bin', 'node');
  if (existsSync(node) && probe(node, ['--version'], new RegExp(`^${node24.major.replace('.', '\\.')}`))) return node;
  say(`installing ${node24.name} (npm ${node24.spec})`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), '{"private":true}\n');
  run('npm', ['install', '--no-audit', '--no-fund', '--silent', node24.spec], {
    cwd: dir,
    what: `npm install ${node24.spec}`,
    fix: `cd .tools/node24 && npm install ${node24.spec}`,
  });
  return node;
}

/** Builds a Go tool of the catalog into .tools/bin unless it is there and current; its path. */
export function ensureGoTool(tool) {
  mkdirSync(bin, { recursive: true });
  const path = join(bin, tool.bin);
  if (existsSync(path) && stamped(tool.bin, tool.module)) return path;
  say(`building ${tool.name} (go install ${tool.module})`);
  const env = { ...process.env, GOBIN: bin, ...(tool.cgo ? { CGO_ENABLED: '1' } : {}) };
  run('go', ['install', tool.module], {
    env,
    what: `go install ${tool.module}`,
    fix: `GOBIN=$PWD/.tools/bin go install ${tool.module}`,
  });
  stamp(tool.bin, tool.module);
  return path;
}

function sourceDigest(dir) {
  const hash = createHash('sha256');
  for (const file of readdirSync(dir).sort()) hash.update(file).update(readFileSync(join(dir, file)));
  return hash.digest('hex');
}

function ensureGoProgram(program) {
  const path = join(bin, program.bin);
  const dir = join(root, program.dir);
  const digest = sourceDigest(dir);
  if (existsSync(path) && stamped(program.bin, digest)) return path;
  say(`building ${program.name} (go build in ${program.dir})`);
  run('go', ['build', '-o', path, '.'], {
    cwd: dir,
    what: `go build ${program.dir}`,
    fix: `cd ${program.dir} && go build -o ../../../.tools/bin/${program.bin} .`,
  });
  stamp(program.bin, digest);
  return path;
}

// Imported (the bench builds the Go helper through ensureGoTool), it installs nothing by itself.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const started = Date.now();
  mkdirSync(bin, { recursive: true });
  ensureDebian();
  ensurePython();
  ensureNode24();
  for (const tool of goTools) ensureGoTool(tool);
  for (const program of goPrograms) ensureGoProgram(program);
  const count = debianPackages.length + 2 + goTools.length + goPrograms.length;
  say(`all ${count} peers ready (${Date.now() - started} ms)`);
}
