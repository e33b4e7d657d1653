/**
 * The emulator's STS AssumeRole driven by the AWS SDK v3's own STS client (an independent
 * signer and XML reader): trust, external ID, tags, the chaining cap, AWS's error shapes,
 * GetCallerIdentity of chained credentials and the session debug endpoint.
 */
import assert from 'node:assert/strict';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient, type STSServiceException } from '@aws-sdk/client-sts';
import { obtainSession } from '@iamra/core';
import { type RunningEmulator, startEmulator } from '@iamra/emulator';
import { makePki } from '../../../test/support/pki.js';

const HUB = 'arn:aws:iam::123456789012:role/hub';
const DEV = 'arn:aws:iam::111111111111:role/deploy';
const PROD = 'arn:aws:iam::333333333333:role/deploy';

describe('emulator STS AssumeRole', () => {
  const pki = makePki({ subjectPrefix: 'sts' });
  let emulator: RunningEmulator;
  let hub: STSClient;
  before(async () => {
    emulator = await startEmulator({
      cas: [pki.root.certPem],
      roleArns: [HUB],
      roles: [
        { arn: DEV, trustedPrincipals: [HUB] },
        { arn: PROD, trustedPrincipals: ['*'], externalId: 'x-prod', allowTagSession: true },
      ],
      lifetimeMs: 50_000,
    });
    const session = await obtainSession(
      {
        material: {
          certificate: pki.ecLeaf.certPem,
          privateKey: pki.ecLeaf.keyPem,
          intermediates: [pki.intermediate.certPem],
        },
        session: { trustAnchorArn: emulator.trustAnchorArns[0] ?? '', profileArn: emulator.profileArn, roleArn: HUB },
        endpoint: emulator.endpoint,
        proxy: 'none',
      },
      { now: () => new Date(), env: {} },
    );
    hub = new STSClient({
      region: 'us-east-1',
      endpoint: emulator.stsEndpoint,
      credentials: session.credentials,
      maxAttempts: 1,
    });
  });
  after(() => emulator.stop());

  async function serviceError(command: AssumeRoleCommand): Promise<STSServiceException> {
    try {
      await hub.send(command);
    } catch (error) {
      return error as STSServiceException;
    }
    throw new Error('expected an error');
  }

  it('issues chained credentials the SDK reads, and GetCallerIdentity knows them', async () => {
    const answer = await hub.send(
      new AssumeRoleCommand({ RoleArn: DEV, RoleSessionName: 'sdk-run', DurationSeconds: 900 }),
    );
    assert.equal(answer.AssumedRoleUser?.Arn, 'arn:aws:sts::111111111111:assumed-role/deploy/sdk-run');
    assert.equal(answer.SourceIdentity, 'CN=sts ec leaf');
    const expires = answer.Credentials?.Expiration?.getTime() ?? 0;
    assert.ok(Math.abs(expires - Date.now() - 900_000) < 10_000);
    const dev = new STSClient({
      region: 'us-east-1',
      endpoint: emulator.stsEndpoint,
      credentials: {
        accessKeyId: answer.Credentials?.AccessKeyId ?? '',
        secretAccessKey: answer.Credentials?.SecretAccessKey ?? '',
        sessionToken: answer.Credentials?.SessionToken ?? '',
      },
    });
    const identity = await dev.send(new GetCallerIdentityCommand({}));
    assert.deepEqual(
      [identity.Account, identity.Arn],
      ['111111111111', 'arn:aws:sts::111111111111:assumed-role/deploy/sdk-run'],
    );
  });

  it('echoes session policies and tags into the issued session (and its debug endpoint)', async () => {
    const answer = await hub.send(
      new AssumeRoleCommand({
        RoleArn: PROD,
        RoleSessionName: 'tagged',
        ExternalId: 'x-prod',
        Policy: '{"Version":"2012-10-17","Statement":[]}',
        PolicyArns: [{ arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }],
        Tags: [{ Key: 'team', Value: 'platform' }],
        TransitiveTagKeys: ['team'],
      }),
    );
    assert.ok((answer.PackedPolicySize ?? 0) > 0);
    const key = answer.Credentials?.AccessKeyId ?? '';
    const response = await fetch(`${emulator.stsEndpoint}/_emulator/sessions/${key}`);
    const echoed = (await response.json()) as Record<string, unknown>;
    assert.deepEqual(echoed, emulator.session(key));
    assert.equal(echoed.sessionPolicy, '{"Version":"2012-10-17","Statement":[]}');
    assert.deepEqual(echoed.policyArns, ['arn:aws:iam::aws:policy/ReadOnlyAccess']);
    assert.deepEqual(echoed.tags, [{ key: 'team', value: 'platform' }]);
    assert.ok(!JSON.stringify(echoed).includes(answer.Credentials?.SecretAccessKey ?? '?'), 'no secret in it');
    assert.equal((await fetch(`${emulator.stsEndpoint}/_emulator/sessions/ASIANOSUCHKEY00000000`)).status, 404);
  });

  it("answers in AWS's error shapes", async () => {
    const cases: [AssumeRoleCommand, number, string, RegExp][] = [
      [
        new AssumeRoleCommand({ RoleArn: PROD, RoleSessionName: 'a1' }),
        403,
        'AccessDenied',
        /is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::333333333333:role\/deploy$/,
      ],
      [
        new AssumeRoleCommand({ RoleArn: DEV, RoleSessionName: 'a1', Tags: [{ Key: 'k', Value: 'v' }] }),
        403,
        'AccessDenied',
        /sts:TagSession/,
      ],
      [
        new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::999999999999:role/none', RoleSessionName: 'a1' }),
        403,
        'AccessDenied',
        /sts:AssumeRole/,
      ],
      [
        new AssumeRoleCommand({ RoleArn: DEV, RoleSessionName: 'a1', DurationSeconds: 3601 }),
        400,
        'ValidationError',
        /1 hour session limit for roles assumed by role chaining/,
      ],
      [new AssumeRoleCommand({ RoleArn: DEV, RoleSessionName: 'a b' }), 400, 'ValidationError', /roleSessionName/],
      [
        new AssumeRoleCommand({ RoleArn: DEV, RoleSessionName: 'a1', Policy: '{nope' }),
        400,
        'MalformedPolicyDocumentException',
        /valid JSON/,
      ],
      [
        new AssumeRoleCommand({
          RoleArn: DEV,
          RoleSessionName: 'a1',
          Tags: [{ Key: 'k', Value: 'v' }],
          TransitiveTagKeys: ['other'],
        }),
        400,
        'InvalidParameterValue',
        /subset/,
      ],
    ];
    // The SDK names an error by its model: the wire's MalformedPolicyDocument is ...Exception.
    for (const [command, status, code, message] of cases) {
      const error = await serviceError(command);
      assert.equal(error.$metadata.httpStatusCode, status, code);
      assert.equal(error.name, code);
      assert.match(error.message, message);
      assert.equal(error.$fault, 'client');
    }
  });

  it('refuses credentials it did not issue and bad signatures', async () => {
    const stranger = new STSClient({
      region: 'us-east-1',
      endpoint: emulator.stsEndpoint,
      credentials: { accessKeyId: 'ASIAUNKNOWN000000000', secretAccessKey: 'x', sessionToken: 'y' },
      maxAttempts: 1,
    });
    await assert.rejects(stranger.send(new AssumeRoleCommand({ RoleArn: DEV, RoleSessionName: 'a1' })), {
      name: 'InvalidClientTokenId',
    });
    const { accessKeyId, sessionToken } = await hub.config.credentials();
    const forged = new STSClient({
      region: 'us-east-1',
      endpoint: emulator.stsEndpoint,
      credentials: { accessKeyId, secretAccessKey: 'wrong', ...(sessionToken ? { sessionToken } : {}) },
      maxAttempts: 1,
    });
    await assert.rejects(forged.send(new AssumeRoleCommand({ RoleArn: DEV, RoleSessionName: 'a1' })), {
      name: 'SignatureDoesNotMatch',
    });
  });
});
