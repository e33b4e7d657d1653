/**
 * Loads an ncc bundle and the chunks it requires (`./NNN.index.cjs.js`, the CLI commands a cold
 * call needs) through the code cache, each under its own cache file; anything else it requires
 * (node: modules, pkcs11js) goes to Node as usual.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { readCodeCache, writeCodeCache } from './files.js';
import { codeCachePath } from './name.js';
import { runCodeCached } from './run-cached.js';

const CHUNK = /^\.\/(\d+\.index\.cjs\.js)$/;

export interface BundleCache {
  /** The private directory the code cache lives in; undefined: compile as usual. */
  dir: string | undefined;
  /** A directory of ours to create `dir` in (0700) when it is missing; else it must exist. */
  createIn?: string;
  /** The build's hash: a cache file belongs to one build. */
  bundleHash: string;
  uid: number | undefined;
}

export interface LoadedBundle {
  /** What the main file exported. */
  exports: unknown;
  /** Each file loaded so far, and whether V8 took its cache. */
  used: Map<string, boolean>;
  /** Stores the caches V8 had none of (or refused); run when the process succeeded. */
  save: () => void;
}

/** Runs `main` from `bundleDir`, and each chunk it requires when it requires it. */
export function loadBundle(bundleDir: string, main: string, cache: BundleCache): LoadedBundle {
  const used = new Map<string, boolean>();
  const saves: (() => void)[] = [];
  const nodeRequire = createRequire(join(bundleDir, main));
  const load = (name: string): unknown => {
    const file = join(bundleDir, name);
    const path = cache.dir === undefined ? undefined : codeCachePath(cache.dir, cache.bundleHash, name);
    const store =
      path === undefined
        ? undefined
        : {
            read: () => readCodeCache(path, cache.uid),
            write: (data: Buffer) => writeCodeCache(path, data, cache.bundleHash, cache.uid, cache.createIn),
          };
    const run = runCodeCached(file, readFileSync(file, 'utf8'), store, bundleRequire);
    used.set(name, run.used);
    saves.push(run.save);
    return run.exports;
  };
  const bundleRequire: NodeJS.Require = Object.assign((id: string) => {
    const chunk = CHUNK.exec(id)?.[1];
    return chunk === undefined ? nodeRequire(id) : load(chunk);
  }, nodeRequire);
  const exports = load(main);
  const save = () => {
    for (const saveOne of saves) saveOne();
  };
  return { exports, used, save };
}
