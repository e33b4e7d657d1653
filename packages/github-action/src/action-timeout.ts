/**
 * action-timeout-s: one bound on the whole step, as aws-actions/configure-aws-credentials has
 * it. When it passes, the step fails with one line, and the work still running is told to stop
 * (its requests are aborted, and it exports nothing after: it checks the signal after each wait).
 */
import { IamraError } from '@iamra/core';

/** Calls `onExpiry` after `ms` unless the returned function is called first (injected in tests). */
export type StartTimer = (ms: number, onExpiry: () => void) => () => void;

export const startTimer: StartTimer = (ms, onExpiry) => {
  const timer = setTimeout(onExpiry, ms);
  return () => clearTimeout(timer);
};

/** Whole seconds; '' and 0 mean no bound (theirs too). A day at most: setTimeout's range, and then some. */
export function parseActionTimeout(text: string): number | undefined {
  if (text === '' || text === '0') return undefined;
  if (!/^\d+$/.test(text) || Number(text) > 86_400) {
    throw new IamraError(
      'CONFIG_INVALID',
      `input action-timeout-s must be a whole number of seconds from 0 (no bound) to 86400; got '${text}'`,
    );
  }
  return Number(text);
}

export async function withinActionTimeout<T>(
  seconds: number | undefined,
  start: StartTimer,
  work: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  if (seconds === undefined) return work(controller.signal);
  const { signal } = controller;
  const expired = new Promise<never>((_resolve, reject) => {
    signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
  expired.catch(() => {});
  const cancel = start(seconds * 1000, () =>
    controller.abort(
      new IamraError(
        'TIMEOUT',
        `the step did not finish within action-timeout-s (${seconds} s); nothing was exported. Check the endpoint and proxy, or raise action-timeout-s`,
      ),
    ),
  );
  try {
    const running = work(signal);
    running.catch(() => {});
    return await Promise.race([running, expired]);
  } catch (error) {
    // The work's own failure on abort (INTERRUPTED) is the timeout's doing: say so.
    throw signal.aborted ? signal.reason : error;
  } finally {
    cancel();
  }
}
