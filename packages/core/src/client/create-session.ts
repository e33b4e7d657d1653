/** CreateSession with retries: capped exponential backoff and full jitter, only for transient failures. */
import { IamraError, isIamraError } from '../errors.js';
import type { SigningMaterial } from '../material/types.js';
import type { SessionParameters } from '../parameters.js';
import { signCreateSession } from '../signer/sign.js';
import { parseCredentialSet, type SessionCredentials } from './credentials.js';
import { interruptedError, whenAborted } from './deadline.js';
import { sessionEndpoint } from './endpoint.js';
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

export interface RetryOptions {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

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

/** Full jitter: uniform in [0, min(cap, base * 2^attempt)). */
export function backoffDelay(attempt: number, retry: RetryOptions, random: () => number): number {
  return Math.floor(random() * Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** attempt));
}

/**
 * Credentials live at most the requested duration from the request: a later expiration (a
 * broken or hostile endpoint said 2099) would be cached and served long after the session ended.
 */
function capExpiration(
  credentials: SessionCredentials,
  requestedAt: Date,
  params: SessionParameters,
  deps: ClientDeps,
): SessionCredentials {
  const latest = requestedAt.getTime() + params.durationSeconds * 1000;
  if (credentials.expiration.getTime() <= latest) return credentials;
  deps.debug?.(`expiration ${credentials.expiration.toISOString()} is past the requested duration; capped`);
  return { ...credentials, expiration: new Date(latest) };
}

/** The wait between attempts, cut short by a signal. */
async function backoff(ms: number, deps: ClientDeps): Promise<void> {
  if (!deps.signal) return deps.sleep(ms);
  await Promise.race([deps.sleep(ms), whenAborted(deps.signal)]).catch(() => {
    throw interruptedError();
  });
}

function isTransient(error: unknown): boolean {
  return isIamraError(error) && error.category === 'transient';
}

export async function createSession(
  options: CreateSessionOptions,
  overrides: Partial<ClientDeps> = {},
): Promise<{ credentials: SessionCredentials; attempts: number }> {
  const deps: ClientDeps = { ...defaultClientDeps(), ...overrides };
  const retry = { ...DEFAULT_RETRY, ...options.retry };
  const timeoutMs = options.timeoutMs ?? 10_000;
  const deadline = deps.now().getTime() + (options.deadlineMs ?? 60_000);
  const endpoint = sessionEndpoint(options.params, options.endpoint, options.fips ?? false);

  let lastError: IamraError | undefined;
  let made = 0;
  for (let attempt = 0; attempt < Math.max(1, retry.maxAttempts); attempt += 1) {
    if (deps.signal?.aborted) throw interruptedError();
    const remaining = deadline - deps.now().getTime();
    if (remaining <= 0) break;
    made = attempt + 1;
    const requestedAt = deps.now();
    const signed = await signCreateSession({
      material: options.material,
      params: options.params,
      endpoint,
      date: deps.now(),
      ...(options.arnsIn ? { arnsIn: options.arnsIn } : {}),
    });
    deps.debug?.(`canonical request:\n${signed.canonicalRequest}`);
    deps.debug?.(`string to sign:\n${signed.stringToSign}`);
    try {
      const response = await deps.transport({
        method: signed.method,
        url: signed.url,
        headers: signed.headers,
        body: signed.body,
        timeoutMs: Math.min(timeoutMs, remaining),
        ...(deps.signal ? { signal: deps.signal } : {}),
      });
      deps.debug?.(`CreateSession attempt ${attempt + 1}: HTTP ${response.status}`);
      if (response.status >= 200 && response.status < 300) {
        const credentials = capExpiration(parseCredentialSet(response.body), requestedAt, options.params, deps);
        checkSessionAccount(credentials, options.params);
        return { credentials, attempts: attempt + 1 };
      }
      const error = serviceError(response);
      if (!isRetryableStatus(response.status, error.serviceCode ?? '')) throw error;
      lastError = error;
    } catch (error) {
      if (!isTransient(error) || deps.signal?.aborted) throw error;
      lastError = error as IamraError;
      deps.debug?.(`CreateSession attempt ${attempt + 1} failed: ${lastError.toLine()}`);
    }
    if (attempt + 1 < retry.maxAttempts) {
      const delay = Math.min(backoffDelay(attempt, retry, deps.random), Math.max(0, deadline - deps.now().getTime()));
      await backoff(delay, deps);
    }
  }
  const attempts = `${made} attempt${made === 1 ? '' : 's'}`;
  if (lastError) {
    throw new IamraError(lastError.code, `${lastError.message} (gave up after ${attempts})`, {
      cause: lastError,
      ...(lastError.serviceCode ? { serviceCode: lastError.serviceCode } : {}),
      ...(lastError.requestId ? { requestId: lastError.requestId } : {}),
      ...(lastError.statusCode ? { statusCode: lastError.statusCode } : {}),
    });
  }
  throw new IamraError(
    'TIMEOUT',
    `CreateSession did not finish within the ${options.deadlineMs ?? 60_000} ms deadline; retry later`,
  );
}
