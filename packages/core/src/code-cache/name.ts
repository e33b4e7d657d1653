/**
 * A code cache file's name: one per script of a bundle, named by the build's hash (V8 checks
 * only a script's length: a rebuilt bundle must never read an old cache), the Node version and
 * the architecture.
 */
import { join } from 'node:path';

export function codeCacheName(bundleHash: string, script: string, version = process.version, arch = process.arch) {
  return `code-${bundleHash}-${version}-${arch}-${script.replace(/[^A-Za-z0-9.]/g, '_')}.v8`;
}

export const isCodeCacheName = (name: string): boolean => /^code-[0-9a-f]+-.+\.v8$/.test(name);

export const codeCachePath = (dir: string, bundleHash: string, script: string): string =>
  join(dir, codeCacheName(bundleHash, script));
