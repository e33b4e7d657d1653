/**
 * One cached credential set on disk: `<key>.json`, version 1. The CLI reads and writes these;
 * the CI adapters write the first one for the profiles they configure.
 */
import type { SessionCredentials } from '../client/credentials.js';

export interface CacheEntry {
  version: 1;
  credentials: Omit<SessionCredentials, 'expiration'> & { expiration: string };
}

export function cacheEntryFileName(key: string): string {
  return `${key}.json`;
}

export function cacheEntryJson(credentials: SessionCredentials): string {
  const entry: CacheEntry = {
    version: 1,
    credentials: { ...credentials, expiration: credentials.expiration.toISOString() },
  };
  return JSON.stringify(entry);
}

export function isCacheEntry(value: unknown): value is CacheEntry {
  if (!value || typeof value !== 'object') return false;
  const entry = value as Partial<CacheEntry>;
  const c = entry.credentials as Record<string, unknown> | undefined;
  return (
    entry.version === 1 &&
    !!c &&
    ['accessKeyId', 'secretAccessKey', 'sessionToken', 'expiration'].every(
      (field) => typeof c[field] === 'string' && c[field] !== '',
    ) &&
    !Number.isNaN(Date.parse(String(c.expiration)))
  );
}
