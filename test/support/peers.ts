/**
 * Where the real peers live: the AWS CLI v2, the Python virtualenv (botocore and the reference
 * signer iam-rolesanywhere-session) and a Node 24 binary. `.ci/run` installs them and exports
 * the IAMRA_* variables; locally the same default locations are tried.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

function locate(envName: string, fallback: string, what: string): string {
  const path = process.env[envName] || fallback;
  if (!existsSync(path)) {
    throw new Error(`${what} not found at ${path}: run bash .ci/run once (or set ${envName})`);
  }
  return path;
}

export const peers = {
  awsCli: (): string => locate('IAMRA_AWS_CLI', '/usr/bin/aws', 'AWS CLI v2'),
  python: (): string => locate('IAMRA_PYTHON', join(repoRoot, '.venv', 'bin', 'python'), 'Python virtualenv'),
  node24: (): string =>
    locate('IAMRA_NODE24', join(repoRoot, '.tools', 'node24', 'node_modules', 'node', 'bin', 'node'), 'Node 24'),
  node20: (): string => process.execPath,
};

/** An environment for child processes that cannot reach real AWS or a user's own config. */
export function isolatedAwsEnv(home: string, extra: Record<string, string> = {}): Record<string, string> {
  const keep = ['PATH', 'LANG', 'TMPDIR', 'SYSTEMROOT'];
  const env: Record<string, string> = {};
  for (const name of keep) {
    const value = process.env[name];
    if (value !== undefined) env[name] = value;
  }
  return {
    ...env,
    HOME: home,
    AWS_CONFIG_FILE: join(home, 'no-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(home, 'no-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_PAGER: '',
    ...extra,
  };
}
