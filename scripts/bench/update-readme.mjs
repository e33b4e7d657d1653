#!/usr/bin/env node
// Copies the tables of bench/results/bench.md (a full `npm run bench` writes it) into README.md
// between the bench markers; the list of commands stays in bench.md.
//   node scripts/bench/update-readme.mjs
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const START = '<!-- bench:start (node scripts/bench/update-readme.mjs copies bench/results/bench.md here) -->';
export const END = '<!-- bench:end -->';

/** README text with the tables of `benchMarkdown` between the markers; throws when they are missing. */
export function spliceTables(readme, benchMarkdown) {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) throw new Error('README.md has no bench markers');
  const tables = benchMarkdown.split('\nCommands measured:')[0].trim();
  return `${readme.slice(0, start + START.length)}\n\n${tables}\n\n${readme.slice(end)}`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
  const readmePath = join(root, 'README.md');
  const bench = readFileSync(join(root, 'bench', 'results', 'bench.md'), 'utf8');
  writeFileSync(readmePath, spliceTables(readFileSync(readmePath, 'utf8'), bench));
  console.log('README.md: benchmark tables updated from bench/results/bench.md');
}
