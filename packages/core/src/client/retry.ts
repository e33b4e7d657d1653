/**
 * The retry loop every service call shares: capped exponential backoff with full jitter, only
 * for transient failures, inside a per-attempt timeout and an overall deadline.
 */
import { IamraError, isIamraError } from '../errors.js';
import { interruptedError, whenAborted } from './deadline.js';
import type { HttpResponse } from './transport.js';

export interface RetryOptions {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export interface RetryDeps {
  now: () => Date;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
  debug?: (line: string) => void;
  /** Aborted on SIGTERM/SIGINT: the request in flight and any backoff end at once, nothing is retried. */
  signal?: AbortSignal;
}

export interface RetriedCall<T> {
  /** The operation's name in messages: 'CreateSession', 'AssumeRole'. */
  name: string;
  retry: RetryOptions;
  timeoutMs: number;
  deadlineMs: number;
  /** Signs (with a fresh date) and sends one attempt (passing deps.signal to the transport). */
  send: (timeoutMs: number) => Promise<HttpResponse>;
  parse: (response: HttpResponse) => T;
  /** The error a non-2xx response means. */
  error: (response: HttpResponse) => IamraError;
  retryable: (response: HttpResponse, error: IamraError) => boolean;
}

/** Full jitter: uniform in [0, min(cap, base * 2^attempt)). */
export function backoffDelay(attempt: number, retry: RetryOptions, random: () => number): number {
  return Math.floor(random() * Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** attempt));
}

/** The wait between attempts, cut short by a signal. */
async function backoff(ms: number, deps: RetryDeps): Promise<void> {
  if (!deps.signal) return deps.sleep(ms);
  await Promise.race([deps.sleep(ms), whenAborted(deps.signal)]).catch(() => {
    throw interruptedError();
  });
}

function isTransient(error: unknown): error is IamraError {
  return isIamraError(error) && error.category === 'transient';
}

export async function callWithRetries<T>(
  call: RetriedCall<T>,
  deps: RetryDeps,
): Promise<{ result: T; attempts: number }> {
  const { retry } = call;
  const deadline = deps.now().getTime() + call.deadlineMs;
  let lastError: IamraError | undefined;
  let made = 0;
  for (let attempt = 0; attempt < Math.max(1, retry.maxAttempts); attempt += 1) {
    if (deps.signal?.aborted) throw interruptedError();
    const remaining = deadline - deps.now().getTime();
    if (remaining <= 0) break;
    made = attempt + 1;
    try {
      const response = await call.send(Math.min(call.timeoutMs, remaining));
      deps.debug?.(`${call.name} attempt ${attempt + 1}: HTTP ${response.status}`);
      if (response.status >= 200 && response.status < 300) {
        return { result: call.parse(response), attempts: attempt + 1 };
      }
      const error = call.error(response);
      if (!call.retryable(response, error)) throw error;
      lastError = error;
    } catch (error) {
      if (!isTransient(error) || deps.signal?.aborted) throw error;
      lastError = error;
      deps.debug?.(`${call.name} attempt ${attempt + 1} failed: ${lastError.toLine()}`);
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
  throw new IamraError('TIMEOUT', `${call.name} did not finish within the ${call.deadlineMs} ms deadline; retry later`);
}
