/**
 * Keeps credentials fresh: sleeps until 5 minutes (or --cache-refresh-seconds) before expiry,
 * refreshes, hands them on. A failed
 * refresh keeps the current (still valid) credentials and retries with capped backoff.
 */
import { isIamraError, type SessionCredentials } from '@iamra/core';
import type { CredentialSource } from '../config/credentials.js';

export const REFRESH_BEFORE_EXPIRY_MS = 5 * 60_000;

export interface RefreshDeps {
  now: () => Date;
  /** Resolves after ms, or early (false) when stopped. */
  wait: (ms: number) => Promise<boolean>;
  log: (line: string) => void;
  /** Errors that end the loop instead of being retried (update: bad input; serve: none). */
  stopOn?: (error: unknown) => boolean;
  /** Refresh this long before expiry (--cache-refresh-seconds; default 5 minutes). */
  refreshBeforeMs?: number;
}

export async function keepFresh(
  initial: SessionCredentials,
  getCredentials: CredentialSource,
  onFresh: (credentials: SessionCredentials) => Promise<void> | void,
  deps: RefreshDeps,
): Promise<void> {
  let credentials = initial;
  let failures = 0;
  for (;;) {
    const refreshAt = credentials.expiration.getTime() - (deps.refreshBeforeMs ?? REFRESH_BEFORE_EXPIRY_MS);
    const delay = failures > 0 ? Math.min(60_000, 1000 * 2 ** failures) : Math.max(0, refreshAt - deps.now().getTime());
    if (!(await deps.wait(delay))) return;
    try {
      credentials = await getCredentials({ forceRefresh: true });
      await onFresh(credentials);
      failures = 0;
      deps.log(`credentials refreshed; they expire at ${credentials.expiration.toISOString()}`);
    } catch (error) {
      if (deps.stopOn?.(error)) throw error;
      failures += 1;
      const line = isIamraError(error) ? error.toLine() : 'refresh failed';
      deps.log(`refresh failed (${line}); keeping the current credentials and retrying`);
    }
  }
}
