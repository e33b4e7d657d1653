/**
 * Runs a CommonJS file the way Node's loader would, but compiled with V8's code cache: a warm
 * credential_process spent about half of its own time parsing and compiling the bundle's
 * functions, which the cache replaces with deserializing them. The cache is made after the run
 * (at exit), so it holds every function the call compiled lazily, not only the top level (Node's
 * own compile cache, on Node 22+ only, stores the cache right after compiling).
 */
import { dirname } from 'node:path';
import { Script } from 'node:vm';

export interface CodeCacheStore {
  read(): Buffer | undefined;
  write(data: Buffer): void;
}

export interface CachedRun {
  exports: unknown;
  /** Whether V8 took the stored cache. */
  used: boolean;
  /** Stores a cache of every function compiled so far when none was used; call it when the run is done. */
  save: () => void;
}

/** What Node wraps a CommonJS file in; the same text every run, or V8 refuses the cache. */
const wrap = (source: string) => `(function (exports, require, module, __filename, __dirname) {${source}\n})`;

/** Compiles and runs `file` (its source given) as a CommonJS module whose `require` is `require`. */
export function runCodeCached(
  file: string,
  source: string,
  store: CodeCacheStore | undefined,
  require: NodeJS.Require,
): CachedRun {
  const cachedData = store?.read();
  const script = new Script(wrap(source), { filename: file, ...(cachedData ? { cachedData } : {}) });
  const used = cachedData !== undefined && !script.cachedDataRejected;
  const module = { exports: {} };
  const run = script.runInThisContext() as (...args: unknown[]) => void;
  run.call(module.exports, module.exports, require, module, file, dirname(file));
  return {
    exports: module.exports,
    used,
    save: () => {
      if (store && !used) store.write(script.createCachedData());
    },
  };
}
