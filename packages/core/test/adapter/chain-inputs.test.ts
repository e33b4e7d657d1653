/** Session tag inputs as the front ends take them: Key=Value lines or a JSON object, on the last hop. */
import assert from 'node:assert/strict';
import { type ChainInputNames, IamraError, parseSessionTagsInput, readChainInputs } from '@iamra/core';

const NAMES: ChainInputNames = {
  roleArn: 'roles',
  externalId: 'external-id',
  sessionName: 'session-name',
  durationSeconds: 'duration',
  inlineSessionPolicy: 'policy',
  managedSessionPolicies: 'managed',
  tags: 'tags',
  transitiveTagKeys: 'transitive',
  stsEndpoint: 'sts',
};
const HUB_TO_NETWORK = 'arn:aws:iam::444455556666:role/network';
const DEPLOY = 'arn:aws:iam::777788889999:role/deploy';

const read = (given: Record<string, string>) => readChainInputs((name) => given[name] ?? '', NAMES);
const configError = (pattern: RegExp) => (error: unknown) =>
  error instanceof IamraError && error.code === 'CONFIG_INVALID' && pattern.test(error.message);

describe('session tag inputs', () => {
  it('reads Key=Value lines (the first = splits, blanks skipped) and a JSON object alike', () => {
    const lines = parseSessionTagsInput('team=platform\n\n  pipeline = build=42 \r\nempty=\n', 'tags');
    assert.deepEqual(lines, [
      { key: 'team', value: 'platform' },
      { key: 'pipeline', value: 'build=42' },
      { key: 'empty', value: '' },
    ]);
    assert.deepEqual(parseSessionTagsInput(' {"team":"platform","cost-center":"42"} ', 'tags'), [
      { key: 'team', value: 'platform' },
      { key: 'cost-center', value: '42' },
    ]);
    assert.deepEqual(parseSessionTagsInput('', 'tags'), []);
  });

  it('refuses a line without =, bad JSON, and JSON values that are not strings, naming the input', () => {
    assert.throws(
      () => parseSessionTagsInput('team', 'assume-role-tags'),
      configError(/input assume-role-tags:.*Key=Value/),
    );
    assert.throws(() => parseSessionTagsInput('{team', 'tags'), configError(/not a JSON object/));
    assert.throws(() => parseSessionTagsInput('{"n":1}', 'tags'), configError(/must be a string/));
  });

  it('puts tags and transitive keys on the last hop only', () => {
    const { assumeRoles } = read({
      roles: `${HUB_TO_NETWORK}\n${DEPLOY}`,
      tags: 'team=platform\nenv=prod',
      transitive: 'team,\nenv',
    });
    assert.deepEqual(assumeRoles, [
      { roleArn: HUB_TO_NETWORK },
      {
        roleArn: DEPLOY,
        tags: [
          { key: 'team', value: 'platform' },
          { key: 'env', value: 'prod' },
        ],
        transitiveTagKeys: ['team', 'env'],
      },
    ]);
  });

  it('refuses tags without a role to assume: CreateSession takes none', () => {
    assert.throws(() => read({ tags: 'team=platform' }), configError(/tags and transitive need roles/));
    assert.throws(() => read({ transitive: 'team' }), configError(/need roles/));
  });

  it('spreads per-hop lines, and refuses line counts that match neither one nor every role', () => {
    const { assumeRoles, stsEndpoint } = read({
      roles: `${HUB_TO_NETWORK}\n${DEPLOY}`,
      'external-id': 'net-ext\ndeploy-ext',
      'session-name': 'pipeline',
      duration: '900',
      policy: '{"Version":"2012-10-17","Statement":[]}',
      managed: 'arn:aws:iam::aws:policy/ReadOnlyAccess',
      sts: ' http://127.0.0.1:9 ',
    });
    assert.deepEqual(
      assumeRoles.map((hop) => [hop.externalId, hop.roleSessionName, hop.durationSeconds, hop.policyArns]),
      [
        ['net-ext', undefined, undefined, undefined],
        ['deploy-ext', 'pipeline', 900, ['arn:aws:iam::aws:policy/ReadOnlyAccess']],
      ],
    );
    assert.equal(stsEndpoint, 'http://127.0.0.1:9');
    assert.throws(
      () => read({ roles: `${HUB_TO_NETWORK}\n${DEPLOY}`, 'session-name': 'a\nb\nc' }),
      configError(/input session-name has 3 lines for 2 roles lines/),
    );
    assert.throws(() => read({ roles: DEPLOY, duration: '1h' }), configError(/input duration must be whole seconds/));
    assert.throws(() => read({ managed: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }), configError(/need roles/));
  });
});
