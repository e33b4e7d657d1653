/** Replaces a file atomically with private permissions, never through a planted link (core's writer). */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { writePrivateFile } from '@iamra/core';

export async function writePrivateFileAtomic(path: string, text: string): Promise<void> {
  // The parent may be the user's own ~/.aws: created if missing, then checked by the writer.
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  writePrivateFile(path, text);
}
