/**
 * Replaces a file in the user's AWS directory privately, with core's one private-file writer
 * (no link followed, 0600, temp file + rename). Its directory is created 0700 if missing.
 */
import { dirname, resolve } from 'node:path';
import { ensurePrivateDirectory, writePrivateFile } from '@iamra/core';

export async function writePrivateFileAtomic(path: string, text: string): Promise<void> {
  const dir = dirname(resolve(path));
  ensurePrivateDirectory(dirname(dir), dir);
  writePrivateFile(path, text);
}
