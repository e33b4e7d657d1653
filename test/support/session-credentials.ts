/** SessionCredentials for tests of what serves or writes them (not real: never sent to a service). */
import type { SessionCredentials } from '@iamra/core';

export function sessionCredentials(expiration: Date, overrides: Partial<SessionCredentials> = {}): SessionCredentials {
  return {
    accessKeyId: 'ASIAEXAMPLEEXAMPLE01',
    secretAccessKey: 'secret/with+chars',
    sessionToken: 'token',
    expiration,
    assumedRoleArn: 'arn:aws:sts::123456789012:assumed-role/r/s',
    assumedRoleId: 'AROA:s',
    roleArn: 'arn:aws:iam::123456789012:role/r',
    sourceIdentity: 'CN=x',
    accountId: '123456789012',
    subjectArn: undefined,
    ...overrides,
  };
}
