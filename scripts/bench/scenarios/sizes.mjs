// Sizes on disk of what users download: the action's dist (main + post + cli), the task folder,
// the .vsix (built by npm run package) and the CLI bundle.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { printFigure } from '../report-console.mjs';
import { sizeOf, sizeOfAll } from '../sizes.mjs';

export const ids = ['sizes'];
export const needs = [];

export async function run(ctx) {
  const packaged = spawnSync(process.execPath, [join(ctx.root, 'scripts', 'package-vsix.mjs')], {
    cwd: ctx.root,
    encoding: 'utf8',
  });
  const out = join(ctx.root, 'out');
  const vsix = existsSync(out) ? readdirSync(out).find((name) => name.endsWith('.vsix')) : undefined;
  if (packaged.status !== 0)
    console.log(`\nnpm run package failed; the .vsix figure is from an older file if any:\n${packaged.stderr}`);
  const dist = (part) => join(ctx.root, 'dist', part);
  const rows = [
    [
      'Action dist (dist/main + dist/post + dist/cli)',
      sizeOfAll([dist('main'), dist('post'), dist('cli')]),
      1024 * 1024,
      "find dist/main dist/post dist/cli -type f -printf '%s\\n' | awk '{s+=$1} END {print s}'",
    ],
    [
      'Task folder (tasks/RolesAnywhereCredentialsV1)',
      sizeOf(join(ctx.root, 'tasks', 'RolesAnywhereCredentialsV1')),
      undefined,
      "find tasks/RolesAnywhereCredentialsV1 -type f -printf '%s\\n' | awk '{s+=$1} END {print s}'",
    ],
    [
      '.vsix',
      vsix ? sizeOf(join(out, vsix)) : undefined,
      3 * 1024 * 1024,
      `npm run package && stat -c %s out/${vsix ?? '*.vsix'}`,
    ],
    [
      'CLI bundle (dist/cli)',
      sizeOf(dist('cli')),
      undefined,
      "find dist/cli -type f -printf '%s\\n' | awk '{s+=$1} END {print s}'",
    ],
  ];
  for (const [name, bytes, goalBytes, command] of rows) {
    printFigure(
      ctx.record({
        id: 'sizes',
        kind: 'size',
        name: `Size: ${name}`,
        ...(bytes !== undefined ? { bytes } : {}),
        ...(goalBytes !== undefined ? { goalBytes } : {}),
        command,
        reproduce: 'npm run bench -- --only=sizes',
      }),
    );
  }
}
