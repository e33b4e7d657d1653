import assert from 'node:assert/strict';
import { cacheEntryFileName, cacheEntryJson, isCacheEntry } from '@iamra/core';

describe('cache entry', () => {
  const credentials = {
    accessKeyId: 'ASIAX',
    secretAccessKey: 's',
    sessionToken: 't',
    expiration: new Date('2030-01-01T00:00:00Z'),
    accountId: '123456789012',
    assumedRoleArn: 'arn:aws:sts::123456789012:assumed-role/r/x',
    sourceIdentity: 'CN=x',
    assumedRoleId: 'AROAX:x',
    roleArn: 'arn:aws:iam::123456789012:role/r',
    subjectArn: 'arn:aws:rolesanywhere:eu-west-1:123456789012:subject/x',
  };

  it('round-trips through JSON as version 1 with an ISO expiration, named <key>.json', () => {
    const parsed: unknown = JSON.parse(cacheEntryJson(credentials));
    assert.ok(isCacheEntry(parsed));
    assert.equal(parsed.credentials.expiration, '2030-01-01T00:00:00.000Z');
    assert.equal(cacheEntryFileName('abc'), 'abc.json');
  });

  it('rejects anything else: other versions, missing or empty secrets, a bad date, non-objects', () => {
    const good = JSON.parse(cacheEntryJson(credentials)) as { credentials: Record<string, unknown> };
    for (const bad of [
      null,
      'x',
      { ...good, version: 2 },
      { version: 1 },
      { ...good, credentials: { ...good.credentials, sessionToken: '' } },
      { ...good, credentials: { ...good.credentials, secretAccessKey: 5 } },
      { ...good, credentials: { ...good.credentials, expiration: 'tomorrow' } },
    ]) {
      assert.equal(isCacheEntry(bad), false, JSON.stringify(bad));
    }
  });
});
