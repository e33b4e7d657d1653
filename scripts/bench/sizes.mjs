// Bytes on disk of files and folders (apparent size, what a download or a checkout carries).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Total size of a file or of every file under a folder; undefined when the path is missing. */
export function sizeOf(path) {
  if (!existsSync(path)) return undefined;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.size;
  return readdirSync(path).reduce((sum, name) => sum + (sizeOf(join(path, name)) ?? 0), 0);
}

/** Sum of several paths; undefined when any is missing (a partial figure would mislead). */
export function sizeOfAll(paths) {
  let total = 0;
  for (const path of paths) {
    const size = sizeOf(path);
    if (size === undefined) return undefined;
    total += size;
  }
  return total;
}
