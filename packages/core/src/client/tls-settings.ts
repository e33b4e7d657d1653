/**
 * TLS settings beyond the defaults, as CI agents hand them out: extra CA certificates (a private
 * CA, or a proxy that inspects TLS) and a client certificate (PEM certificate and key, or a
 * PKCS#12 archive, with an optional passphrase).
 */
import { readFileSync } from 'node:fs';
import type { SecureContextOptions } from 'node:tls';
import { IamraError } from '../errors.js';

export interface TlsSettings {
  /** PEM CA certificates trusted in addition to the default ones (never instead of them). */
  extraCa?: string[];
  /** Client certificate and key (PEM), or a PKCS#12 archive, for servers that ask for one. */
  cert?: Buffer;
  key?: Buffer;
  pfx?: Buffer;
  passphrase?: string;
}

type TlsModule = Pick<typeof import('node:tls'), 'rootCertificates'> & {
  getCACertificates?: (type: 'default') => string[];
};

/**
 * Node's `ca` replaces the trust store, so the extra CAs join the default one: Node's own roots
 * plus NODE_EXTRA_CA_CERTS (which `getCACertificates('default')` includes, from Node 22.15).
 */
function trustStore(extraCa: string[], tls: TlsModule, env: NodeJS.ProcessEnv): string[] {
  const defaults = tls.getCACertificates?.('default') ?? [...tls.rootCertificates, ...nodeExtraCaCerts(env)];
  return [...defaults, ...extraCa];
}

function nodeExtraCaCerts(env: NodeJS.ProcessEnv): string[] {
  if (!env.NODE_EXTRA_CA_CERTS) return [];
  try {
    return [readFileSync(env.NODE_EXTRA_CA_CERTS, 'utf8')];
  } catch {
    // Node itself only warns about an unreadable NODE_EXTRA_CA_CERTS.
    return [];
  }
}

export function secureContextOptions(
  settings: TlsSettings,
  tls: TlsModule,
  env: NodeJS.ProcessEnv,
): SecureContextOptions {
  return {
    ...(settings.extraCa?.length ? { ca: trustStore(settings.extraCa, tls, env) } : {}),
    ...(settings.cert ? { cert: settings.cert } : {}),
    ...(settings.key ? { key: settings.key } : {}),
    ...(settings.pfx ? { pfx: settings.pfx } : {}),
    ...(settings.passphrase ? { passphrase: settings.passphrase } : {}),
  };
}

/** The same settings as files (what agents configure, and what a profile's refresh reads). */
export interface TlsFiles {
  caFile?: string;
  certFile?: string;
  keyFile?: string;
  pfxFile?: string;
  passphrase?: string;
  /** false: do not verify server certificates (an agent's SkipCertValidation). */
  rejectUnauthorized?: boolean;
}

function readSetting(path: string, what: string, read: (path: string) => Buffer): Buffer {
  try {
    return read(path);
  } catch (error) {
    const code = typeof error === 'object' && error && 'code' in error ? String(error.code) : 'unreadable';
    throw new IamraError('FILE_UNREADABLE', `cannot read the ${what} ${path} (${code}); check the path`, {
      cause: error,
    });
  }
}

export function readTlsFiles(files: TlsFiles, read: (path: string) => Buffer = readFileSync): TlsSettings {
  return {
    ...(files.caFile ? { extraCa: [readSetting(files.caFile, 'CA file', read).toString('utf8')] } : {}),
    ...(files.certFile ? { cert: readSetting(files.certFile, 'client certificate', read) } : {}),
    ...(files.keyFile ? { key: readSetting(files.keyFile, 'client key', read) } : {}),
    ...(files.pfxFile ? { pfx: readSetting(files.pfxFile, 'client certificate archive', read) } : {}),
    ...(files.passphrase ? { passphrase: files.passphrase } : {}),
  };
}

const TLS_FILE_KEYS = ['caFile', 'certFile', 'keyFile', 'pfxFile', 'passphrase'] as const;

/** Parses a --tls-file (JSON written by an adapter next to the key); never quotes its text. */
export function parseTlsFiles(text: string, source: string): TlsFiles {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new IamraError('CONFIG_INVALID', `${source} is not a TLS settings file (a JSON object)`);
  }
  const record = value as Record<string, unknown>;
  const files: TlsFiles = {};
  for (const key of TLS_FILE_KEYS) {
    const entry = record[key];
    if (entry === undefined) continue;
    if (typeof entry !== 'string') throw new IamraError('CONFIG_INVALID', `${source}: ${key} must be a string`);
    files[key] = entry;
  }
  if (record.rejectUnauthorized === false) files.rejectUnauthorized = false;
  return files;
}
