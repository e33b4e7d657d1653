/** The account guards: the session must be the one asked for, in an account the pipeline allows. */
import assert from 'node:assert/strict';
import { IamraError } from '@iamra/core';
import { checkAllowedAccount, checkSessionAccount, parseAllowedAccountIds } from '../../src/client/session-account.js';

const params = {
  partition: 'aws' as const,
  roleArn: 'arn:aws:iam::123456789012:role/deploy',
  accountId: '123456789012',
};
const session = (assumedRoleArn: string) => ({ assumedRoleArn });

const refused = (code: string, message: RegExp) => (error: unknown) => {
  assert.ok(error instanceof IamraError, String(error));
  assert.equal(error.code, code);
  assert.match(error.message, message);
  return true;
};

describe('checkSessionAccount', () => {
  it('accepts the assumed-role ARN of the asked role and account', () => {
    checkSessionAccount(session('arn:aws:sts::123456789012:assumed-role/deploy/job-1'), params);
  });

  it('refuses something that is not an assumed-role ARN, naming the service to check', () => {
    assert.throws(
      () => checkSessionAccount(session('arn:aws:iam::123456789012:user/alice'), params),
      refused('RESPONSE_INVALID', /not an assumed-role ARN; check that the endpoint is IAM Roles Anywhere/),
    );
    assert.throws(
      () => checkSessionAccount(session('nonsense'), params, 'AssumeRole'),
      refused('RESPONSE_INVALID', /the AssumeRole response .* check that the endpoint is AWS STS/),
    );
  });

  it('neutralises hostile text in the refused ARN', () => {
    assert.throws(
      () => checkSessionAccount(session('::error::x\n::add-mask::y'), params),
      (error: unknown) => error instanceof IamraError && !error.message.includes('\n'),
    );
  });

  for (const [what, arn] of [
    ['another account', 'arn:aws:sts::210987654321:assumed-role/deploy/job-1'],
    ['another role', 'arn:aws:sts::123456789012:assumed-role/admin/job-1'],
    ['another partition', 'arn:aws-cn:sts::123456789012:assumed-role/deploy/job-1'],
  ] as const) {
    it(`refuses a session for ${what} and says nothing was exported`, () => {
      assert.throws(
        () => checkSessionAccount(session(arn), params),
        refused('ACCOUNT_MISMATCH', /nothing was exported: check the endpoint and any proxy/),
      );
    });
  }

  it("refuses a role whose account is not the profile's", () => {
    assert.throws(
      () =>
        checkSessionAccount(session('arn:aws:sts::210987654321:assumed-role/deploy/s'), {
          ...params,
          roleArn: 'arn:aws:iam::210987654321:role/deploy',
        }),
      refused('ACCOUNT_MISMATCH', /the profile's account is 123456789012/),
    );
  });
});

describe('allowed account ids', () => {
  it('parses ids separated by commas and whitespace; empty means no guard', () => {
    assert.deepEqual(parseAllowedAccountIds('111122223333, 444455556666\n777788889999'), [
      '111122223333',
      '444455556666',
      '777788889999',
    ]);
    assert.equal(parseAllowedAccountIds(undefined), undefined);
    assert.equal(parseAllowedAccountIds(' ,\n '), undefined);
  });

  it('refuses an id that is not 12 digits', () => {
    assert.throws(
      () => parseAllowedAccountIds('111122223333,12345'),
      refused('CONFIG_INVALID', /'12345' is not a 12-digit/),
    );
  });

  it('passes a listed account or no list; refuses any other before export', () => {
    checkAllowedAccount('111122223333', undefined);
    checkAllowedAccount('111122223333', []);
    checkAllowedAccount('111122223333', ['111122223333']);
    assert.throws(
      () => checkAllowedAccount('999999999999', ['111122223333', '444455556666']),
      refused('ACCOUNT_NOT_ALLOWED', /999999999999 is not in the allowed account ids \(111122223333, 444455556666\)/),
    );
  });
});
