/**
 * The published packages as a user gets them: `npm pack` each one, then `npm install` the
 * tarballs into an empty prefix outside the repository. Registry dependencies (node-forge,
 * @peculiar/x509) come from the npm cache that `npm ci` filled; --prefer-offline asks the
 * registry only for what the cache lacks (their package documents, once). Needs
 * `npm run build` first (prepack checks).
 */
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from './peers.js';
import { testDir } from './pki.js';

const run = promisify(execFile);

export const PUBLISHED_PACKAGES = ['core', 'emulator', 'cli'] as const;

export interface InstalledPrefix {
  prefix: string;
  /** The installed `iamra` bin (npm's link to the package's bin). */
  bin: string;
  tarballs: string[];
  /** An environment without the repository: no NODE_PATH, no npm_* variables of a parent npm. */
  env: NodeJS.ProcessEnv;
}

function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const name of ['PATH', 'HOME', 'LANG', 'TMPDIR']) {
    const value = process.env[name];
    if (value !== undefined) env[name] = value;
  }
  return env;
}

export async function packAndInstall(): Promise<InstalledPrefix> {
  const env = cleanEnv();
  const out = testDir();
  for (const name of PUBLISHED_PACKAGES) {
    await run('npm', ['pack', '--pack-destination', out, '--silent'], {
      cwd: join(repoRoot, 'packages', name),
      env,
      timeout: 60_000,
    });
  }
  const tarballs = readdirSync(out)
    .filter((file) => file.endsWith('.tgz'))
    .map((file) => join(out, file));
  const prefix = testDir();
  await run('npm', ['install', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', ...tarballs], {
    cwd: prefix,
    env,
    timeout: 120_000,
  });
  return { prefix, bin: join(prefix, 'node_modules', '.bin', 'iamra'), tarballs, env };
}
