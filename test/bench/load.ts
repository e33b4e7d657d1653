/** Loads a bench helper (plain .mjs under scripts/bench) with the shape the test relies on. */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot } from '../support/peers.js';

export async function benchModule<T>(relativePath: string): Promise<T> {
  return (await import(pathToFileURL(join(repoRoot, 'scripts', 'bench', relativePath)).href)) as T;
}
