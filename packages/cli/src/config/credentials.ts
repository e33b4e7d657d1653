/**
 * One place that turns a HelperConfig into credentials: cache first, then CreateSession, then
 * the role chain. A chain starts from the cached Roles Anywhere session when one is fresh, so
 * profiles for ten accounts made from one certificate share one CreateSession.
 */
import { readFileSync } from 'node:fs';
import {
  type ClientDeps,
  checkAllowedAccount,
  createNodeTransport,
  createSession,
  loadSigningMaterial,
  parseTlsFiles,
  readFileOrFail,
  readTlsFiles,
  runRoleChain,
  type SessionCredentials,
  type TransportOptions,
  type Warning,
} from '@iamra/core';
import { currentUid, openCredentialCache } from '../cache/open.js';
import type { CredentialCache } from '../cache/store.js';
import { openHardware, withHardware } from './hardware.js';
import type { HelperConfig } from './load.js';
import { requestCas } from './request-cas.js';
import { openTpm } from './tpm.js';

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

type Fetch = () => Promise<SessionCredentials>;

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

/** A cache hit for `key`, or `fetch` under the key's lock (written back). */
async function cachedOrFetched(
  cache: CredentialCache,
  key: string,
  /** Entries of this key never live longer (see CredentialCache.read). */
  durationSeconds: number,
  fetch: Fetch,
  forceRefresh: boolean,
): Promise<SessionCredentials> {
  if (!forceRefresh) {
    const cached = await cache.read(key, durationSeconds);
    if (cached) return cached;
  }
  const release = await cache.lock(key);
  try {
    // Another caller may have refreshed while we waited for the lock.
    const cached = forceRefresh ? undefined : await cache.read(key, durationSeconds);
    if (cached) return cached;
    const credentials = await fetch();
    await cache.write(key, credentials);
    return credentials;
  } finally {
    await release();
  }
}

export function credentialSource(config: HelperConfig, deps: CredentialDeps): CredentialSource {
  // Built on the first call that needs the network: a cache hit reads no TLS files.
  let client: Partial<ClientDeps> | undefined;
  const clientDeps = (): Partial<ClientDeps> => {
    client ??= {
      transport: createNodeTransport({
        ...tlsOptions(config, deps),
        proxy: config.proxy,
        ...(config.noProxy !== undefined ? { noProxy: config.noProxy } : {}),
        env: deps.env,
      }),
      now: deps.now,
      sleep: deps.sleep,
      debug: deps.debug,
      ...(deps.signal ? { signal: deps.signal } : {}),
    };
    return client;
  };
  const callOptions = {
    ...(config.retryMaxAttempts ? { retry: { maxAttempts: config.retryMaxAttempts } } : {}),
    ...(config.timeoutMs ? { timeoutMs: config.timeoutMs } : {}),
  };
  const createFresh: Fetch = async () => {
    const hardware = config.tpm
      ? { certificate: undefined, signer: await openTpm(config.tpm, deps.env) }
      : config.hardware
        ? await openHardware(config.hardware, deps.env)
        : undefined;
    try {
      return await signAndCall(withHardware(config.material, hardware));
    } finally {
      // A token session (or TPM connection) lives for one CreateSession: serve and update reopen it at each refresh.
      await hardware?.signer?.close();
    }
  };
  const signAndCall = async (input: HelperConfig['material']): Promise<SessionCredentials> => {
    const started = Date.now();
    const { material, warnings } = await loadSigningMaterial(input, { now: deps.now() });
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
        ...callOptions,
      },
      clientDeps(),
    );
    deps.debug(`CreateSession ok after ${attempts} attempt(s) in ${Date.now() - started} ms`);
    return credentials;
  };
  /** The chain (if any) from a start session, then the account guard: nothing returns unchecked. */
  const finish = async (start: SessionCredentials): Promise<SessionCredentials> => {
    const final = config.chain
      ? (await runRoleChain(start, config.chain, config.params, callOptions, clientDeps())).credentials
      : start;
    checkAllowedAccount(final.accountId, config.allowedAccountIds);
    return final;
  };
  if (!config.cache.enabled) return async () => finish(await createFresh());

  const cache = openCredentialCache(config.cache, { ...deps, uid: currentUid() });
  return async (options = {}) => {
    if (!(await cache.prepare())) return finish(await createFresh());
    const forceRefresh = options.forceRefresh ?? false;
    if (config.identity === config.startIdentity) {
      return cachedOrFetched(
        cache,
        config.identity,
        config.lifetimeSeconds,
        async () => finish(await createFresh()),
        forceRefresh,
      );
    }
    return cachedOrFetched(
      cache,
      config.identity,
      config.lifetimeSeconds,
      async () => {
        const start = await cachedOrFetched(
          cache,
          config.startIdentity,
          config.params.durationSeconds,
          createFresh,
          false,
        );
        if (config.chain) deps.debug('chain: starting from the Roles Anywhere session (cached or new)');
        return finish(start);
      },
      forceRefresh,
    );
  };
}
