/**
 * A warm credential-process must not load node:crypto: it is about a quarter of the call. tsx
 * itself loads crypto, so this checks built code in a fresh node: the package's modules (after
 * an incremental build) and the committed bundle, each beside a control that does load it.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { type RunningEmulator, startEmulator } from '@iamra/emulator';
import { runCli } from '../../../test/support/cli-run.js';
import { emulatorFlags } from '../../../test/support/emulator-process.js';
import { repoRoot } from '../../../test/support/peers.js';
import { leafFlags, makePki, testDir } from '../../../test/support/pki.js';
import { main } from '../src/index.js';

/** Imports argv[1] with argv[2..] as the bin's arguments; reports stdout and the crypto modules loaded. */
const PROBE = `
import { writeSync } from 'node:fs';
const [target, ...args] = process.argv.slice(1);
process.argv = [process.argv[0], target, ...args];
const imported = await import(target);
if (imported.warmCredentialProcess) writeSync(1, await imported.warmCredentialProcess(args, process.env));
writeSync(2, JSON.stringify(process.moduleLoadList.filter((name) => /crypto/i.test(name))));
`;

/** Asynchronous: the emulator answering a miss runs in this process. */
async function probe(target: string, args: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, ['--input-type=module', '-e', PROBE, target, ...args], {
    env: { PATH: process.env.PATH ?? '', ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
  assert.equal(status, 0, stderr);
  return { stdout, cryptoModules: JSON.parse(stderr) as string[] };
}

describe('warm credential-process module graph', function () {
  this.timeout(120_000);
  const pki = makePki({ subjectPrefix: 'graph' });
  let emulator: RunningEmulator;
  let env: Record<string, string>;
  let args: string[];
  let expected: string;

  before(async () => {
    const tsc = join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc');
    const build = spawnSync(process.execPath, [tsc, '-b', join(repoRoot, 'packages', 'cli')], { encoding: 'utf8' });
    assert.equal(build.status, 0, build.stdout);
    emulator = await startEmulator({ cas: [pki.root.certPem] });
    const cacheDir = join(testDir(), 'cache');
    env = { IAMRA_CACHE_DIR: cacheDir };
    args = ['credential-process', ...leafFlags(pki.ecLeaf, pki.intermediate), ...emulatorFlags(emulator)];
    const primed = await runCli(main, args, env);
    assert.equal(primed.exitCode, 0, primed.stderr);
    assert.equal(readdirSync(cacheDir).length, 1);
    expected = primed.stdout;
  });
  after(() => emulator?.stop());

  it('the built warm-cache modules serve the entry without node:crypto; the core barrel would load it', async () => {
    const warm = join(repoRoot, 'packages', 'cli', 'dist', 'warm-cache', 'warm-credential-process.js');
    const hit = await probe(warm, args, env);
    assert.equal(hit.stdout, expected);
    assert.deepEqual(hit.cryptoModules, []);
    const control = await probe(join(repoRoot, 'packages', 'core', 'dist', 'index.js'), [], env);
    assert.ok(control.cryptoModules.includes('NativeModule crypto'), 'the probe sees crypto when it loads');
  });

  const bundle = join(repoRoot, 'dist', 'cli', 'index.js');
  (existsSync(bundle) ? it : it.skip)('the committed CLI bundle serves the entry without node:crypto', async () => {
    const hit = await probe(bundle, args, env);
    assert.equal(hit.stdout, expected);
    assert.deepEqual(hit.cryptoModules, []);
    // A miss runs the full CLI, which signs a CreateSession: crypto, as the probe must notice.
    const miss = await probe(bundle, [...args, '--no-cache'], env);
    assert.match(miss.stdout, /^\{"Version":1,/);
    assert.ok(miss.cryptoModules.includes('NativeModule crypto'));
  });

  (existsSync(bundle) ? it : it.skip)(
    'the bundle keeps its code cache beside the entries: made once, then used',
    async () => {
      const dir = join(testDir(), 'code-cache');
      const fresh = { IAMRA_CACHE_DIR: dir };
      const codeFiles = () => (existsSync(dir) ? readdirSync(dir).filter((name) => name.startsWith('code-')) : []);
      const uncached = await probe(bundle, [...args, '--no-cache'], fresh);
      assert.match(uncached.stdout, /^\{"Version":1,/);
      assert.deepEqual(codeFiles(), [], '--no-cache writes no code cache');
      const cold = await probe(bundle, args, fresh);
      const made = codeFiles();
      assert.ok(
        made.some((name) => name.endsWith('-cli.js.v8')),
        `code cache files: ${made.join(', ')}`,
      );
      const stamps = () => made.map((name) => statSync(join(dir, name)).mtimeMs);
      const stamped = stamps();
      const warm = await probe(bundle, args, fresh);
      assert.equal(warm.stdout, cold.stdout, 'served from the entry the cold call stored');
      assert.deepEqual(warm.cryptoModules, []);
      assert.deepEqual(stamps(), stamped, 'V8 took the cache: nothing was written again');
    },
  );
});
