/** One place that turns a HelperConfig into credentials: cache first, then CreateSession. */
import { readFileSync } from 'node:fs';
import {
  createNodeTransport,
  createSession,
  loadSigningMaterial,
  parseTlsFiles,
  readFileOrFail,
  readTlsFiles,
  type SessionCredentials,
  type TransportOptions,
  type Warning,
} from '@iamra/core';
import { currentUid, openCredentialCache } from '../cache/open.js';
import type { HelperConfig } from './load.js';
import { requestCas } from './request-cas.js';

export interface CredentialDeps {
  now: () => Date;
  sleep: (ms: number) => Promise<void>;
  env: NodeJS.ProcessEnv;
  /** SIGTERM/SIGINT: the request in flight ends at once. */
  signal?: AbortSignal;
  debug: (line: string) => void;
  warn: (warning: Warning) => void;
}

export type CredentialSource = (options?: { forceRefresh?: boolean }) => Promise<SessionCredentials>;

/**
 * --no-verify-ssl, a --tls-file's CA, client certificate and SkipCertValidation, and the CAs the
 * environment names (request-cas.ts). Called only to make a request.
 */
function tlsOptions(config: HelperConfig, deps: CredentialDeps): TransportOptions {
  const fromEnv = requestCas({ ...deps.env, AWS_CA_BUNDLE: config.caBundle }, deps.debug);
  if (!config.tlsFile) {
    return { rejectUnauthorized: config.rejectUnauthorized, ...(fromEnv.length ? { tls: { extraCa: fromEnv } } : {}) };
  }
  const text = readFileOrFail(config.tlsFile, readFileSync, 'TLS settings file').toString('utf8');
  const files = parseTlsFiles(text, `--tls-file ${config.tlsFile}`);
  const tls = readTlsFiles(files);
  return {
    tls: { ...tls, extraCa: [...(tls.extraCa ?? []), ...fromEnv] },
    rejectUnauthorized: config.rejectUnauthorized && files.rejectUnauthorized !== false,
  };
}

export function credentialSource(config: HelperConfig, deps: CredentialDeps): CredentialSource {
  const fetchFresh = async (): Promise<SessionCredentials> => {
    const started = Date.now();
    const { material, warnings } = await loadSigningMaterial(config.material, { now: deps.now() });
    for (const warning of warnings) deps.warn(warning);
    deps.debug(
      `material: ${material.algorithm}, serial ${material.leaf.serialDecimal}, ${material.chain.length} intermediate(s) sent, ${material.path.length} on the leaf's path`,
    );
    for (const other of material.offPath) {
      deps.debug(`not on the leaf's path, sent as given (like aws_signing_helper): "${other.subject}"`);
    }
    const { credentials, attempts } = await createSession(
      {
        material,
        params: config.params,
        arnsIn: config.arnsIn,
        ...(config.endpoint ? { endpoint: config.endpoint } : {}),
        ...(config.retryMaxAttempts ? { retry: { maxAttempts: config.retryMaxAttempts } } : {}),
        ...(config.timeoutMs ? { timeoutMs: config.timeoutMs } : {}),
      },
      {
        transport: createNodeTransport({ ...tlsOptions(config, deps), proxy: config.proxy, env: deps.env }),
        now: deps.now,
        sleep: deps.sleep,
        debug: deps.debug,
        ...(deps.signal ? { signal: deps.signal } : {}),
      },
    );
    deps.debug(`CreateSession ok after ${attempts} attempt(s) in ${Date.now() - started} ms`);
    return credentials;
  };
  if (!config.cache.enabled) return fetchFresh;

  const cache = openCredentialCache(config.cache, { ...deps, uid: currentUid() });
  return async (options = {}) => {
    if (!(await cache.prepare())) return fetchFresh();
    const key = config.identity;
    if (!options.forceRefresh) {
      const cached = await cache.read(key, config.params.durationSeconds);
      if (cached) return cached;
    }
    const release = await cache.lock(key);
    try {
      // Another caller may have refreshed while we waited for the lock.
      const cached = options.forceRefresh ? undefined : await cache.read(key, config.params.durationSeconds);
      if (cached) return cached;
      const credentials = await fetchFresh();
      await cache.write(key, credentials);
      return credentials;
    } finally {
      await release();
    }
  };
}
