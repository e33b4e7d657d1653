/**
 * Keys in a TPM 2.0, the Go helper's way: --private-key handle:0x81… or a TSS2 PRIVATE KEY file,
 * --tpm-key-password (or IAMRA_TPM_KEY_PASSWORD, which keeps it off argv), --no-tpm-key-password.
 * Read from the flags without touching the TPM; opened only when a signature is needed.
 */
import type { KeySigner } from '@iamra/core';
import { IamraError, type Source, TPM_DEVICE_ENV, TPM_PASSWORD_ENV, TPM_TCTI_ENV } from '@iamra/core/light';
import { first, type ParsedFlags } from '../args.js';

const TSS2_MARKER = '-----BEGIN TSS2 PRIVATE KEY-----';

export type TpmKeyRef = { kind: 'file'; pem: string; path: string } | { kind: 'handle'; handle: string };

export interface TpmConfig {
  key: TpmKeyRef;
  password: string | undefined;
  noPassword: boolean;
}

/** What the Go helper reads as a TPM handle instead of a file path. */
export function isTpmHandle(value: string | undefined): value is string {
  return value !== undefined && /^handle:/i.test(value);
}

export function isTpmKeyFile(source: Source | undefined): boolean {
  if (source === undefined) return false;
  const text = typeof source === 'string' ? source : Buffer.from(source).toString('latin1');
  return text.includes(TSS2_MARKER);
}

/** The TPM key named by --private-key (its handle, or the key file's text), else undefined. */
export function tpmConfig(
  flags: ParsedFlags,
  privateKey: Source | undefined,
  env: NodeJS.ProcessEnv,
): TpmConfig | undefined {
  const path = first(flags, 'private-key');
  let key: TpmKeyRef;
  if (isTpmHandle(path)) key = { kind: 'handle', handle: path };
  else if (privateKey !== undefined && isTpmKeyFile(privateKey)) {
    const pem = typeof privateKey === 'string' ? privateKey : Buffer.from(privateKey).toString('utf8');
    key = { kind: 'file', pem, path: path === undefined || path === '-' ? 'from IAMRA_PRIVATE_KEY or stdin' : path };
  } else return undefined;
  const noPassword = flags.switches.has('no-tpm-key-password');
  const password = first(flags, 'tpm-key-password') ?? (env[TPM_PASSWORD_ENV] || undefined);
  if (noPassword && first(flags, 'tpm-key-password') !== undefined) {
    throw new IamraError('CONFIG_INVALID', 'give --tpm-key-password or --no-tpm-key-password, not both');
  }
  return { key, password: noPassword ? undefined : password, noPassword };
}

/** What the cache key counts for a TPM key: the wrapped key file or the handle and TPM, never the password. */
export function tpmKeyIdentity(config: TpmConfig, env: NodeJS.ProcessEnv): string {
  const where = env[TPM_TCTI_ENV] || env[TPM_DEVICE_ENV] || '';
  return config.key.kind === 'file'
    ? `tpm key file ${config.key.pem} at ${where}`
    : `tpm ${config.key.handle} at ${where}`;
}

/** Opens the key (a handle's public key is read from the TPM now); the caller closes the signer. */
export async function openTpm(config: TpmConfig, env: NodeJS.ProcessEnv): Promise<KeySigner> {
  // Dynamic: the warm-cache path imports this file and must not load node:crypto.
  const { openTpmKey, parseTpmHandle } = await import('@iamra/core');
  const { key } = config;
  return openTpmKey({
    key: key.kind === 'file' ? key : { kind: 'handle', handle: parseTpmHandle(key.handle) },
    password: config.password,
    noPassword: config.noPassword,
    env,
  });
}
