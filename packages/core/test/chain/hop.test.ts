/** Role chain hops, STS endpoints and the account guard: validated before any call. */
import assert from 'node:assert/strict';
import {
  checkAllowedAccount,
  configuredStsEndpoint,
  expectedAccount,
  type IamraError,
  parseAllowedAccountIds,
  parseSessionTag,
  resolveRoleChain,
  resolveRoleHop,
  stsEndpoint,
  stsEndpointFor,
} from '@iamra/core';

const ROLE = 'arn:aws:iam::111111111111:role/deploy';

function code(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    return `${(error as IamraError).code}: ${(error as IamraError).message}`;
  }
  return 'no error';
}

describe('role chain hops', () => {
  it('defaults to one hour, no session name (it follows the previous session), no policies', () => {
    assert.deepEqual(resolveRoleHop({ roleArn: ROLE }, 0), {
      roleArn: ROLE,
      partition: 'aws',
      accountId: '111111111111',
      roleSessionName: undefined,
      externalId: undefined,
      durationSeconds: 3600,
      policy: undefined,
      policyArns: [],
      tags: [],
      transitiveTagKeys: [],
    });
  });

  it('refuses more than an hour, as AWS does for role-chained sessions', () => {
    assert.match(
      code(() => resolveRoleHop({ roleArn: ROLE, durationSeconds: 3601 }, 1)),
      /^ROLE_CHAIN_INVALID: assumed role 2: duration 3601 s is over 3600: AWS limits a role-chained session to 1 hour/,
    );
    assert.match(
      code(() => resolveRoleHop({ roleArn: ROLE, durationSeconds: 899 }, 0)),
      /900 to 3600/,
    );
    assert.equal(resolveRoleHop({ roleArn: ROLE, durationSeconds: 900 }, 0).durationSeconds, 900);
  });

  it('minifies the inline policy and holds it to 2048 characters', () => {
    const hop = resolveRoleHop({ roleArn: ROLE, policy: '{\n  "Version": "2012-10-17",\n  "Statement": []\n}' }, 0);
    assert.equal(hop.policy, '{"Version":"2012-10-17","Statement":[]}');
    assert.match(
      code(() => resolveRoleHop({ roleArn: ROLE, policy: '{not json' }, 0)),
      /not valid JSON/,
    );
    assert.match(
      code(() => resolveRoleHop({ roleArn: ROLE, policy: '[]' }, 0)),
      /must be a JSON object/,
    );
    const big = JSON.stringify({ Version: '2012-10-17', Sid: 'x'.repeat(2100) });
    assert.match(
      code(() => resolveRoleHop({ roleArn: ROLE, policy: big }, 0)),
      /AWS allows 2048/,
    );
  });

  it('checks managed policy ARNs, tags and transitive keys', () => {
    const hop = resolveRoleHop(
      {
        roleArn: ROLE,
        policyArns: [' arn:aws:iam::aws:policy/ReadOnlyAccess ', 'arn:aws:iam::111111111111:policy/team/Deploy'],
        tags: [parseSessionTag('team=platform'), parseSessionTag('pipeline=a=b')],
        transitiveTagKeys: ['Team'],
      },
      0,
    );
    assert.deepEqual(hop.policyArns, [
      'arn:aws:iam::aws:policy/ReadOnlyAccess',
      'arn:aws:iam::111111111111:policy/team/Deploy',
    ]);
    assert.deepEqual(hop.tags[1], { key: 'pipeline', value: 'a=b' });
    assert.match(
      code(() => resolveRoleHop({ roleArn: ROLE, policyArns: ['arn:aws:iam::aws:role/x'] }, 0)),
      /not a managed policy ARN/,
    );
    assert.match(
      code(() => resolveRoleHop({ roleArn: ROLE, policyArns: Array(11).fill('arn:aws:iam::aws:policy/P') }, 0)),
      /AWS allows 10/,
    );
    assert.match(
      code(() =>
        resolveRoleHop(
          {
            roleArn: ROLE,
            tags: [
              { key: 'a', value: '1' },
              { key: 'A', value: '2' },
            ],
          },
          0,
        ),
      ),
      /given twice/,
    );
    assert.match(
      code(() => resolveRoleHop({ roleArn: ROLE, tags: [{ key: 'bad\nkey', value: '' }] }, 0)),
      /session tag key/,
    );
    assert.match(
      code(() => resolveRoleHop({ roleArn: ROLE, transitiveTagKeys: ['team'] }, 0)),
      /not one of this hop's session tags/,
    );
    assert.match(
      code(() => resolveRoleHop({ roleArn: ROLE, tags: [{ key: 'AWS:team', value: 'x' }] }, 0)),
      /starts with aws:, which AWS reserves/,
    );
    assert.match(
      code(() => resolveRoleHop({ roleArn: ROLE, tags: [{ key: 'k'.repeat(129), value: 'x' }] }, 0)),
      /must be 1-128/,
    );
    assert.match(
      code(() => resolveRoleHop({ roleArn: ROLE, tags: [{ key: 'team', value: 'v'.repeat(257) }] }, 0)),
      /not 0-256/,
    );
    assert.match(
      code(() => parseSessionTag('novalue')),
      /must be KEY=VALUE/,
    );
  });

  it('checks the session name, external ID, ARN, partition and the number of hops', () => {
    assert.match(
      code(() => resolveRoleHop({ roleArn: ROLE, roleSessionName: 'a b' }, 0)),
      /session name 'a b'/,
    );
    assert.match(
      code(() => resolveRoleHop({ roleArn: ROLE, externalId: 'x' }, 0)),
      /external ID must be 2-1224/,
    );
    assert.match(
      code(() => resolveRoleHop({ roleArn: 'arn:aws:iam::1:role/x' }, 0)),
      /^ARN_INVALID/,
    );
    assert.match(
      code(() => resolveRoleChain([{ roleArn: 'arn:aws-cn:iam::111111111111:role/x' }], 'aws')),
      /cannot cross partitions/,
    );
    assert.match(
      code(() => resolveRoleChain(Array(11).fill({ roleArn: ROLE }), 'aws')),
      /at most 10/,
    );
  });
});

describe('STS endpoint', () => {
  it('is regional by partition, FIPS on request', () => {
    assert.equal(stsEndpointFor('aws', 'eu-west-1'), 'https://sts.eu-west-1.amazonaws.com');
    assert.equal(stsEndpointFor('aws-cn', 'cn-north-1'), 'https://sts.cn-north-1.amazonaws.com.cn');
    assert.equal(stsEndpointFor('aws-us-gov', 'us-gov-west-1', true), 'https://sts-fips.us-gov-west-1.amazonaws.com');
    assert.equal(
      stsEndpoint({ partition: 'aws', region: 'us-east-1' }, undefined, true),
      'https://sts-fips.us-east-1.amazonaws.com',
    );
  });

  it('takes the explicit override, then AWS_ENDPOINT_URL_STS, then AWS_ENDPOINT_URL', () => {
    const env = { AWS_ENDPOINT_URL_STS: 'http://127.0.0.1:9/', AWS_ENDPOINT_URL: 'http://127.0.0.1:8' };
    assert.equal(configuredStsEndpoint('http://127.0.0.1:7', env), 'http://127.0.0.1:7');
    assert.equal(configuredStsEndpoint(undefined, env), 'http://127.0.0.1:9');
    assert.equal(configuredStsEndpoint(undefined, { AWS_ENDPOINT_URL: 'http://127.0.0.1:8' }), 'http://127.0.0.1:8');
    assert.equal(configuredStsEndpoint(undefined, { ...env, AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true' }), undefined);
    assert.equal(configuredStsEndpoint(undefined, {}), undefined);
    assert.match(
      code(() => configuredStsEndpoint('ftp://x', {})),
      /^ENDPOINT_INVALID/,
    );
  });
});

describe('allowed account ids', () => {
  it('the final account is known from the ARNs: the last role or else the profile', () => {
    const chain = {
      hops: resolveRoleChain([{ roleArn: ROLE }, { roleArn: 'arn:aws:iam::222222222222:role/x' }], 'aws'),
    };
    assert.equal(expectedAccount({ accountId: '123456789012' }, chain), '222222222222');
    assert.equal(expectedAccount({ accountId: '123456789012' }, undefined), '123456789012');
    assert.match(
      code(() => checkAllowedAccount('333333333333', ['111111111111'])),
      /^ACCOUNT_NOT_ALLOWED: account 333333333333/,
    );
    assert.deepEqual(parseAllowedAccountIds('111111111111, 222222222222'), ['111111111111', '222222222222']);
  });
});
