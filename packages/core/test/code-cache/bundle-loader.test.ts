/**
 * The bundled CLI's code cache: V8's compiled code of the bundle, kept beside the credential
 * entries. It must never change what runs: a cache is read only from a private file of ours in
 * a private directory of ours, only by the build that made it, and anything V8 refuses is
 * simply compiled again and replaced.
 */
import assert from 'node:assert/strict';
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { type BundleCache, codeCacheName, loadBundle } from '@iamra/core/code-cache';
import { testDir } from '../../../../test/support/pki.js';

/** undefined on Windows, where the loader checks no owner. */
const currentUid = (): number | undefined => (typeof process.getuid === 'function' ? process.getuid() : undefined);

const posix = process.platform !== 'win32';
const HASH = 'abc123';

/** A bundle as ncc lays it out: cli.js, which requires a chunk beside it and node:path. */
function fakeBundle(): string {
  const dir = testDir();
  const main =
    "const chunk = require('./7.index.cjs.js');\nmodule.exports = chunk.twice(require('node:path').basename('/x/21'));\n";
  writeFileSync(join(dir, 'cli.js'), main);
  writeFileSync(join(dir, '7.index.cjs.js'), 'exports.twice = (text) => Number(text) * 2;\n');
  return dir;
}

function privateDir(): string {
  const dir = join(testDir(), 'cache');
  mkdirSync(dir, { mode: 0o700 });
  return dir;
}

const cacheFiles = (dir: string) => readdirSync(dir).filter((name) => name.startsWith('code-'));

describe('code cache of a bundle (V8, through node:vm)', () => {
  /** Loads the fake bundle; returns what it computed and what V8 took. */
  function run(bundle: string, cache: BundleCache) {
    const loaded = loadBundle(bundle, 'cli.js', cache);
    return { result: loaded.exports, used: Object.fromEntries(loaded.used), save: loaded.save };
  }

  it('stores a cache per script after a run (0600) and the next run takes it, with the same results', () => {
    const bundle = fakeBundle();
    const dir = privateDir();
    const cache = { dir, bundleHash: HASH, uid: currentUid() };
    const first = run(bundle, cache);
    assert.equal(first.result, 42);
    assert.deepEqual(first.used, { 'cli.js': false, '7.index.cjs.js': false });
    first.save();
    const names = cacheFiles(dir).sort();
    assert.deepEqual(names, [codeCacheName(HASH, '7.index.cjs.js'), codeCacheName(HASH, 'cli.js')].sort());
    if (posix) for (const name of names) assert.equal(statSync(join(dir, name)).mode & 0o777, 0o600);
    const second = run(bundle, cache);
    assert.equal(second.result, 42);
    assert.deepEqual(second.used, { 'cli.js': true, '7.index.cjs.js': true });
  });

  it('compiles as usual without a directory, and writes nothing', () => {
    const bundle = fakeBundle();
    const loaded = run(bundle, { dir: undefined, bundleHash: HASH, uid: currentUid() });
    assert.equal(loaded.result, 42);
    loaded.save();
    assert.deepEqual(cacheFiles(bundle), []);
  });

  it('never reads another build’s cache, and removes it when it stores its own', () => {
    const bundle = fakeBundle();
    const dir = privateDir();
    const uid = currentUid();
    run(bundle, { dir, bundleHash: HASH, uid }).save();
    const otherNode = codeCacheName(HASH, 'cli.js', 'v99.0.0');
    writeFileSync(join(dir, otherNode), 'kept', { mode: 0o600 });
    const rebuilt = run(bundle, { dir, bundleHash: 'def456', uid });
    assert.deepEqual(rebuilt.used, { 'cli.js': false, '7.index.cjs.js': false });
    rebuilt.save();
    const names = cacheFiles(dir);
    assert.ok(names.every((name) => name.startsWith('code-def456-')));
    assert.equal(names.length, 2);
    assert.equal(existsSync(join(dir, otherNode)), false, 'an old build’s files go, whatever Node made them');
  });

  it('compiles again, and replaces the file, when V8 refuses it (garbage, another source)', () => {
    const bundle = fakeBundle();
    const dir = privateDir();
    const cache = { dir, bundleHash: HASH, uid: currentUid() };
    writeFileSync(join(dir, codeCacheName(HASH, 'cli.js')), Buffer.alloc(4096, 7), { mode: 0o600 });
    const refused = run(bundle, cache);
    assert.equal(refused.result, 42);
    assert.equal(refused.used['cli.js'], false);
    refused.save();
    assert.equal(run(bundle, cache).used['cli.js'], true);
  });

  (posix ? it : it.skip)('reads no file others can write or that is a link, and replaces it without following', () => {
    const bundle = fakeBundle();
    const source = privateDir();
    const cache = { dir: source, bundleHash: HASH, uid: currentUid() };
    run(bundle, cache).save();
    const good = readFileSync(join(source, codeCacheName(HASH, 'cli.js')));

    const open = privateDir();
    writeFileSync(join(open, codeCacheName(HASH, 'cli.js')), good, { mode: 0o600 });
    chmodSync(join(open, codeCacheName(HASH, 'cli.js')), 0o622);
    const openRun = run(bundle, { ...cache, dir: open });
    assert.equal(openRun.used['cli.js'], false, 'group/other-writable: not read');
    openRun.save();
    assert.equal(statSync(join(open, codeCacheName(HASH, 'cli.js'))).mode & 0o777, 0o600);

    const linked = privateDir();
    const target = join(testDir(), 'target.v8');
    writeFileSync(target, good, { mode: 0o600 });
    symlinkSync(target, join(linked, codeCacheName(HASH, 'cli.js')));
    const linkRun = run(bundle, { ...cache, dir: linked });
    assert.equal(linkRun.used['cli.js'], false, 'a link: not followed');
    linkRun.save();
    assert.ok(lstatSync(join(linked, codeCacheName(HASH, 'cli.js'))).isFile(), 'the link is replaced');
    assert.deepEqual(readFileSync(target), good, 'its target untouched');
  });

  (posix ? it : it.skip)('uses no directory others can enter or that belongs to someone else', () => {
    const bundle = fakeBundle();
    const shared = privateDir();
    chmodSync(shared, 0o755);
    const sharedRun = run(bundle, { dir: shared, bundleHash: HASH, uid: currentUid() });
    sharedRun.save();
    assert.deepEqual(cacheFiles(shared), []);
    const theirs = privateDir();
    const theirsRun = run(bundle, { dir: theirs, bundleHash: HASH, uid: (currentUid() ?? 0) + 1 });
    theirsRun.save();
    assert.deepEqual(cacheFiles(theirs), []);
  });
});
