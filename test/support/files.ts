import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** Every file below dir (none if it does not exist): what a step left behind. */
export function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}
