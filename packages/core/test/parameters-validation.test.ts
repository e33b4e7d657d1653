/** What resolveSessionParameters refuses before anything is signed, each with the fix in its line. */
import assert from 'node:assert/strict';
import { IamraError, parseDuration, resolveAwsRegion, resolveSessionParameters, validateDuration } from '@iamra/core';

const ANCHOR = 'arn:aws:rolesanywhere:us-east-1:123456789012:trust-anchor/0c5a2b1e-7f4f-4c3b-9d6e-1a2b3c4d5e6f';
const PROFILE = 'arn:aws:rolesanywhere:us-east-1:123456789012:profile/9f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0';
const ROLE = 'arn:aws:iam::123456789012:role/deploy';
const base = { trustAnchorArn: ANCHOR, profileArn: PROFILE, roleArn: ROLE };

const refused = (code: string, message: RegExp) => (error: unknown) => {
  assert.ok(error instanceof IamraError, String(error));
  assert.equal(error.code, code);
  assert.match(error.message, message);
  return true;
};

describe('session parameters: durations', () => {
  it('defaults to one hour and accepts the service range 900..43200', () => {
    assert.equal(validateDuration(undefined), 3600);
    assert.equal(validateDuration(900), 900);
    assert.equal(validateDuration(43_200), 43_200);
  });

  for (const bad of [899, 43_201, 1000.5, Number.NaN]) {
    it(`refuses ${bad} seconds`, () => {
      assert.throws(() => validateDuration(bad), refused('DURATION_INVALID', /from 900 to 43200.*got /));
    });
  }

  it('parses an input: empty means the default, digits only, range checked', () => {
    assert.equal(parseDuration(undefined), undefined);
    assert.equal(parseDuration('  '), undefined);
    assert.equal(parseDuration(' 1800 '), 1800);
    assert.throws(() => parseDuration('1h'), refused('DURATION_INVALID', /got '1h'/));
    assert.throws(() => parseDuration('-900'), refused('DURATION_INVALID', /got '-900'/));
    assert.throws(() => parseDuration('60'), refused('DURATION_INVALID', /got 60/));
  });
});

describe('session parameters: ARNs that must agree', () => {
  it('refuses a profile in another region or account than the trust anchor', () => {
    assert.throws(
      () => resolveSessionParameters({ ...base, profileArn: PROFILE.replace('us-east-1', 'eu-west-1') }),
      refused('ARN_MISMATCH', /same region: trust anchor has 'us-east-1', profile has 'eu-west-1'/),
    );
    assert.throws(
      () => resolveSessionParameters({ ...base, profileArn: PROFILE.replace('123456789012', '210987654321') }),
      refused('ARN_MISMATCH', /same account/),
    );
  });

  it("refuses a role outside the trust anchor's partition", () => {
    assert.throws(
      () => resolveSessionParameters({ ...base, roleArn: 'arn:aws-cn:iam::123456789012:role/deploy' }),
      refused('ARN_MISMATCH', /partition 'aws'; the role ARN has 'aws-cn'/),
    );
  });

  it('checks the role session name against the STS alphabet', () => {
    assert.equal(resolveSessionParameters({ ...base, roleSessionName: ' ci.job-7@x ' }).roleSessionName, 'ci.job-7@x');
    assert.equal(resolveSessionParameters({ ...base, roleSessionName: '  ' }).roleSessionName, undefined);
    for (const bad of ['a', 'has space', 'x'.repeat(65), 'semi;colon']) {
      assert.throws(
        () => resolveSessionParameters({ ...base, roleSessionName: bad }),
        refused('SESSION_NAME_INVALID', /2 to 64 characters/),
      );
    }
  });

  it('returns the profile account and the raw ARNs', () => {
    const params = resolveSessionParameters({ ...base, durationSeconds: 900 });
    assert.equal(params.accountId, '123456789012');
    assert.equal(params.partition, 'aws');
    assert.equal(params.durationSeconds, 900);
    assert.equal(params.trustAnchorArn, ANCHOR);
  });

  it('refuses an exported AWS region that is not a region of the partition', () => {
    const params = resolveSessionParameters(base);
    assert.throws(
      () => resolveAwsRegion('us-gov-west-1', params),
      refused('REGION_INVALID', /leave it empty to use us-east-1/),
    );
    assert.throws(() => resolveAwsRegion('not a region', params), refused('REGION_INVALID', /not a valid region/));
  });
});
