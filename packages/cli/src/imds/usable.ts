/** What `serve` may hand out: complete credentials that have not expired, or nothing. */
import type { SessionCredentials } from '@iamra/core';

export function usableCredentials(
  credentials: SessionCredentials | undefined,
  now: Date,
): SessionCredentials | undefined {
  if (!credentials?.accessKeyId || !credentials.secretAccessKey || !credentials.sessionToken) return undefined;
  return credentials.expiration > now ? credentials : undefined;
}
