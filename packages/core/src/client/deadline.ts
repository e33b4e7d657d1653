/**
 * One wall-clock bound per request: connect, proxy tunnel, TLS, headers and body all count,
 * so a server that drips a byte a second cannot hold a caller past it (a socket idle timeout
 * never fires on a drip). An outer signal (SIGTERM, SIGINT) ends the request at once too.
 */
import { IamraError } from '../errors.js';

export function interruptedError(): IamraError {
  return new IamraError(
    'INTERRUPTED',
    'stopped by a signal before CreateSession finished; nothing was cached or written',
  );
}

/** Rejects with `signal.reason` as soon as it aborts (never settles otherwise). */
export function whenAborted(signal: AbortSignal): Promise<never> {
  const aborted = new Promise<never>((_resolve, reject) => {
    if (signal.aborted) reject(signal.reason);
    else signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
  aborted.catch(() => {});
  return aborted;
}

/**
 * Runs `work` with a signal that aborts after `timeoutMs` (TIMEOUT) or when `outer` aborts
 * (INTERRUPTED); whichever comes first settles the result, and `work` is told to stop.
 */
export async function withDeadline<T>(
  timeoutMs: number,
  host: string,
  outer: AbortSignal | undefined,
  work: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  const timer = setTimeout(
    () =>
      controller.abort(
        new IamraError(
          'TIMEOUT',
          `no complete answer from ${host} within ${timeoutMs} ms (connect, headers and body); check the endpoint and proxy`,
        ),
      ),
    timeoutMs,
  );
  const interrupt = () => controller.abort(interruptedError());
  if (outer?.aborted) interrupt();
  else outer?.addEventListener('abort', interrupt, { once: true });
  try {
    // Listening before the work starts: work that rejects on abort with an error of its own
    // must not hide the reason (TIMEOUT or INTERRUPTED).
    const aborted = whenAborted(controller.signal);
    const running = work(controller.signal);
    running.catch(() => {});
    return await Promise.race([running, aborted]);
  } finally {
    clearTimeout(timer);
    outer?.removeEventListener('abort', interrupt);
  }
}
