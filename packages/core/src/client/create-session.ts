/** CreateSession with retries: capped exponential backoff and full jitter, only for transient failures. */
import type { SigningMaterial } from '../material/types.js';
import type { SessionParameters } from '../parameters.js';
import { signCreateSession } from '../signer/sign.js';
import { parseCredentialSet, type SessionCredentials } from './credentials.js';
import { sessionEndpoint } from './endpoint.js';
import { callWithRetries, type RetryOptions } from './retry.js';
import { isRetryableStatus, serviceError } from './service-error.js';
import { checkSessionAccount } from './session-account.js';
import { createNodeTransport, type Transport } from './transport.js';

export interface ClientDeps {
  transport: Transport;
  now: () => Date;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
  /** --debug lines: never a secret. */
  debug?: (line: string) => void;
  /** Aborted on SIGTERM/SIGINT: the request in flight and any backoff end at once, nothing is retried. */
  signal?: AbortSignal;
}

export type { RetryOptions };

export interface CreateSessionOptions {
  material: SigningMaterial;
  params: SessionParameters;
  endpoint?: string;
  fips?: boolean;
  arnsIn?: 'query' | 'body';
  /** Wall-clock bound of one attempt (connect, headers, body); default 10 s. */
  timeoutMs?: number;
  /** Wall-clock bound of the whole call, attempts and backoff included; default 60 s. */
  deadlineMs?: number;
  retry?: Partial<RetryOptions>;
}

/**
 * Sized for CreateSession's low per-account quota: 50 parallel callers at 10/s all get through
 * (test/reliability/throttling.test.ts); at most ~36 s of waiting, inside the 60 s deadline.
 */
export const DEFAULT_RETRY: RetryOptions = { maxAttempts: 8, baseDelayMs: 500, maxDelayMs: 10_000 };

export function defaultClientDeps(): ClientDeps {
  return {
    transport: createNodeTransport(),
    now: () => new Date(),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    random: Math.random,
  };
}

/**
 * Credentials live at most the requested duration from the request: a later expiration (a
 * broken or hostile endpoint said 2099) would be cached and served long after the session ended.
 */
export function capExpiration<T extends { expiration: Date }>(
  credentials: T,
  requestedAt: Date,
  durationSeconds: number,
  debug: ((line: string) => void) | undefined,
): T {
  const latest = requestedAt.getTime() + durationSeconds * 1000;
  if (credentials.expiration.getTime() <= latest) return credentials;
  debug?.(`expiration ${credentials.expiration.toISOString()} is past the requested duration; capped`);
  return { ...credentials, expiration: new Date(latest) };
}

export async function createSession(
  options: CreateSessionOptions,
  overrides: Partial<ClientDeps> = {},
): Promise<{ credentials: SessionCredentials; attempts: number }> {
  const deps: ClientDeps = { ...defaultClientDeps(), ...overrides };
  const retry = { ...DEFAULT_RETRY, ...options.retry };
  const timeoutMs = options.timeoutMs ?? 10_000;
  const endpoint = sessionEndpoint(options.params, options.endpoint, options.fips ?? false);

  // The attempt's own start: what the expiration is capped against.
  let requestedAt = deps.now();
  const { result, attempts } = await callWithRetries(
    {
      name: 'CreateSession',
      retry,
      timeoutMs,
      deadlineMs: options.deadlineMs ?? 60_000,
      send: async (attemptTimeoutMs) => {
        requestedAt = deps.now();
        const signed = await signCreateSession({
          material: options.material,
          params: options.params,
          endpoint,
          date: deps.now(),
          ...(options.arnsIn ? { arnsIn: options.arnsIn } : {}),
        });
        deps.debug?.(`canonical request:\n${signed.canonicalRequest}`);
        deps.debug?.(`string to sign:\n${signed.stringToSign}`);
        return deps.transport({
          method: signed.method,
          url: signed.url,
          headers: signed.headers,
          body: signed.body,
          timeoutMs: attemptTimeoutMs,
          ...(deps.signal ? { signal: deps.signal } : {}),
        });
      },
      parse: (response) => {
        const credentials = capExpiration(
          parseCredentialSet(response.body),
          requestedAt,
          options.params.durationSeconds,
          deps.debug,
        );
        checkSessionAccount(credentials, options.params);
        return credentials;
      },
      error: serviceError,
      retryable: (response, error) => isRetryableStatus(response.status, error.serviceCode ?? ''),
    },
    deps,
  );
  return { credentials: result, attempts };
}
