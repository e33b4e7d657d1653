/** Role chaining inputs of the task: lines into hops, the AWS Toolkit's variables, the account guard. */
import assert from 'node:assert/strict';
import { IamraError } from '@iamra/core';
import { readTaskInputs } from '../src/inputs.js';

const ARNS = {
  trustAnchorArn: 'arn:aws:rolesanywhere:eu-west-1:111122223333:trust-anchor/0c5a2b1e-7f4f-4c3b-9d6e-1a2b3c4d5e6f',
  profileArn: 'arn:aws:rolesanywhere:eu-west-1:111122223333:profile/9f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0',
  roleArn: 'arn:aws:iam::111122223333:role/hub',
};
const HOP_1 = 'arn:aws:iam::444455556666:role/network';
const HOP_2 = 'arn:aws:iam::777788889999:role/deploy';

function read(given: Record<string, string>, variables: Record<string, string> = {}) {
  const connection = { certificate: '-----BEGIN CERTIFICATE-----\n', privateKey: 'k', ...ARNS };
  return readTaskInputs(
    (name) => ({ rolesAnywhereConnection: 'conn-1', ...given })[name],
    () => (name) => connection[name as keyof typeof connection],
    (name) => variables[name],
  );
}

describe('task role chaining inputs', () => {
  it('has no chain and no guard when nothing is given', () => {
    const inputs = read({});
    assert.deepEqual(inputs.chain, { assumeRoles: [], stsEndpoint: undefined });
    assert.equal(inputs.allowedAccountIds, undefined);
  });

  it('turns one line per role into hops; single-line settings and session policies go to the last hop', () => {
    const inputs = read({
      assumeRoleArn: `${HOP_1}\n${HOP_2}\n`,
      assumeRoleExternalId: 'ext-1\next-2',
      assumeRoleSessionName: 'pipeline',
      assumeRoleDurationSeconds: '900',
      inlineSessionPolicy: '{"Version":"2012-10-17","Statement":[]}',
      managedSessionPolicies: 'arn:aws:iam::aws:policy/ReadOnlyAccess, arn:aws:iam::aws:policy/AWSDenyAll',
      stsEndpoint: 'http://127.0.0.1:9',
      allowedAccountIds: '777788889999, 444455556666',
    });
    assert.deepEqual(inputs.chain.assumeRoles, [
      { roleArn: HOP_1, externalId: 'ext-1' },
      {
        roleArn: HOP_2,
        externalId: 'ext-2',
        roleSessionName: 'pipeline',
        durationSeconds: 900,
        policy: '{"Version":"2012-10-17","Statement":[]}',
        policyArns: ['arn:aws:iam::aws:policy/ReadOnlyAccess', 'arn:aws:iam::aws:policy/AWSDenyAll'],
      },
    ]);
    assert.equal(inputs.chain.stsEndpoint, 'http://127.0.0.1:9');
    assert.deepEqual(inputs.allowedAccountIds, ['777788889999', '444455556666']);
  });

  it('reads session tags (Key=Value lines or JSON) and transitive keys for the last role', () => {
    const inputs = read({
      assumeRoleArn: `${HOP_1}\n${HOP_2}`,
      assumeRoleTags: 'team=platform\nstage=prod',
      assumeRoleTransitiveTagKeys: 'team',
    });
    assert.deepEqual(inputs.chain.assumeRoles[1]?.tags, [
      { key: 'team', value: 'platform' },
      { key: 'stage', value: 'prod' },
    ]);
    assert.deepEqual(inputs.chain.assumeRoles[1]?.transitiveTagKeys, ['team']);
    assert.equal(inputs.chain.assumeRoles[0]?.tags, undefined);
    const json = read({ assumeRoleArn: HOP_2, assumeRoleTags: '{"team":"platform"}' });
    assert.deepEqual(json.chain.assumeRoles[0]?.tags, [{ key: 'team', value: 'platform' }]);
    assert.throws(
      () => read({ assumeRoleTags: 'team=platform' }),
      /assumeRoleTags and assumeRoleTransitiveTagKeys need assumeRoleArn/,
    );
  });

  it("honours the AWS Toolkit's AWS.AssumeRoleArn, AWS.ExternalId and AWS.RoleSessionName when the inputs are empty", () => {
    const variables = { 'AWS.AssumeRoleArn': HOP_2, 'AWS.ExternalId': 'toolkit-ext', 'AWS.RoleSessionName': 'toolkit' };
    assert.deepEqual(read({}, variables).chain.assumeRoles, [
      { roleArn: HOP_2, externalId: 'toolkit-ext', roleSessionName: 'toolkit' },
    ]);
    // An input is the more specific setting: it wins over the variable.
    assert.deepEqual(read({ assumeRoleArn: HOP_1, assumeRoleSessionName: 'mine' }, variables).chain.assumeRoles, [
      { roleArn: HOP_1, externalId: 'toolkit-ext', roleSessionName: 'mine' },
    ]);
  });

  it('refuses a bad duration with one line that names the input', () => {
    assert.throws(
      () => read({ assumeRoleArn: HOP_2, assumeRoleDurationSeconds: '1h' }),
      (error: unknown) =>
        error instanceof IamraError &&
        error.code === 'CONFIG_INVALID' &&
        error.toLine().includes("input assumeRoleDurationSeconds must be whole seconds; got '1h'") &&
        !error.toLine().includes('\n'),
    );
  });

  it('refuses per-role lines that do not match the roles, and session policies without a role', () => {
    assert.throws(
      () => read({ assumeRoleArn: `${HOP_1}\n${HOP_2}`, assumeRoleExternalId: 'a\nb\nc' }),
      /input assumeRoleExternalId has 3 lines for 2 assumeRoleArn lines/,
    );
    assert.throws(
      () => read({ inlineSessionPolicy: '{}' }),
      /inlineSessionPolicy and managedSessionPolicies need assumeRoleArn/,
    );
  });

  it('refuses an account id that is not 12 digits', () => {
    assert.throws(() => read({ allowedAccountIds: '12345' }), IamraError);
  });
});
