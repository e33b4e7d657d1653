/**
 * Where the real peers live. `npm test` installs them first (scripts/peers/setup.mjs, the
 * pretest step) under .tools/ and .venv/; an IAMRA_* variable of the same name overrides a
 * location (for a peer installed elsewhere).
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const toolsBin = join(repoRoot, '.tools', 'bin');

function locate(envName: string, fallback: string, what: string): string {
  const path = process.env[envName] || fallback;
  if (!existsSync(path)) {
    throw new Error(`${what} not found at ${path}: npm test installs it (or run node scripts/peers/setup.mjs)`);
  }
  return path;
}

export const peers = {
  awsCli: (): string => locate('IAMRA_AWS_CLI', '/usr/bin/aws', 'AWS CLI v2'),
  python: (): string => locate('IAMRA_PYTHON', join(repoRoot, '.venv', 'bin', 'python'), 'Python virtualenv'),
  node24: (): string =>
    locate('IAMRA_NODE24', join(repoRoot, '.tools', 'node24', 'node_modules', 'node', 'bin', 'node'), 'Node 24'),
  node20: (): string => process.execPath,
  /** nektos/act: a real GitHub Actions runner, run in host mode. */
  act: (): string => locate('IAMRA_ACT', join(toolsBin, 'act'), 'nektos/act'),
  actionlint: (): string => locate('IAMRA_ACTIONLINT', join(toolsBin, 'actionlint'), 'actionlint'),
  /** AWS's Go aws_signing_helper (rolesanywhere-credential-helper v1.4.0). */
  goHelper: (): string =>
    locate('IAMRA_GO_HELPER', join(toolsBin, 'rolesanywhere-credential-helper'), 'aws_signing_helper'),
  /** test/peers/go-sdk-consumer: GetCallerIdentity through the Go SDK v2's default chain. */
  goSdkConsumer: (): string => locate('IAMRA_GO_SDK_CONSUMER', join(toolsBin, 'go-sdk-consumer'), 'Go SDK v2 consumer'),
  softhsmModule: (): string => locate('IAMRA_SOFTHSM_MODULE', '/usr/lib/softhsm/libsofthsm2.so', 'SoftHSM2 module'),
  softhsmUtil: (): string => locate('IAMRA_SOFTHSM_UTIL', '/usr/bin/softhsm2-util', 'softhsm2-util'),
  pkcs11Tool: (): string => locate('IAMRA_PKCS11_TOOL', '/usr/bin/pkcs11-tool', 'pkcs11-tool (OpenSC)'),
  /** swtpm: a software TPM 2.0 (libtpms), run by the tests on loopback. */
  swtpm: (): string => locate('IAMRA_SWTPM', '/usr/bin/swtpm', 'swtpm'),
  /** tpm2-tools' directory (tpm2_createprimary, tpm2_create, tpm2_evictcontrol, ...). */
  tpm2Tools: (): string => dirname(locate('IAMRA_TPM2_TOOLS', '/usr/bin/tpm2_createprimary', 'tpm2-tools')),
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
