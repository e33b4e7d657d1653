/** What `serve` may hand out: complete credentials that have not expired, or nothing. */
import type { SessionCredentials } from '@iamra/core';

export function usableCredentials(
  credentials: SessionCredentials | undefined,
  now: Date,
): SessionCredentials | undefined {
  if (!credentials?.accessKeyId || !credentials.secretAccessKey || !credentials.sessionToken) return undefined;
  return credentials.expiration > now ? credentials : undefined;
}

/** The four fields both endpoints answer with (IMDS adds its own around them). */
export function credentialFields(credentials: SessionCredentials) {
  return {
    AccessKeyId: credentials.accessKeyId,
    SecretAccessKey: credentials.secretAccessKey,
    Token: credentials.sessionToken,
    Expiration: credentials.expiration.toISOString(),
  };
}
