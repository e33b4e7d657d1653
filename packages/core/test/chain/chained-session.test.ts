/**
 * Role chaining end to end in process: core's CreateSession and AssumeRole hops against the
 * emulator's Roles Anywhere and STS (trust policies, external ID, sts:TagSession, the 1-hour
 * cap), the account guard, the SDK provider's refresh and the profile files of a chain.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import {
  assumeRole,
  cacheEntryFileName,
  fromRolesAnywhere,
  type IamraError,
  obtainSession,
  readIniSection,
  resolveRoleHop,
  sessionIdentity,
  tlsIdentity,
  writeProfileFiles,
} from '@iamra/core';
import { type RunningEmulator, startEmulator } from '@iamra/emulator';
import { makePki, testDir } from '../../../../test/support/pki.js';

const HUB = 'arn:aws:iam::123456789012:role/hub';
const DEV = 'arn:aws:iam::111111111111:role/deploy';
const PROD = 'arn:aws:iam::333333333333:role/deploy';
const AUDIT = 'arn:aws:iam::444444444444:role/audit';
const NOTAG = 'arn:aws:iam::555555555555:role/no-tags';

const ROLES = [
  { arn: DEV, trustedPrincipals: [HUB], allowTagSession: true },
  { arn: PROD, trustedPrincipals: ['arn:aws:iam::123456789012:root'], externalId: 'prod-ext', allowTagSession: true },
  // Trusts only dev's deploy role: reachable in two hops, not one.
  { arn: AUDIT, trustedPrincipals: [DEV], allowTagSession: true },
  { arn: NOTAG, trustedPrincipals: [HUB] },
];

describe('role chaining against the emulator', () => {
  const pki = makePki({ subjectPrefix: 'chain' });
  let emulator: RunningEmulator;
  before(async () => {
    emulator = await startEmulator({
      cas: [pki.root.certPem],
      roleArns: [HUB],
      roles: ROLES,
      lifetimeMs: 55_000,
    });
  });
  after(() => emulator.stop());

  const input = (extra: Record<string, unknown> = {}) => ({
    material: {
      certificate: pki.ecLeaf.certPem,
      privateKey: pki.ecLeaf.keyPem,
      intermediates: [pki.intermediate.certPem],
    },
    session: { trustAnchorArn: emulator.trustAnchorArns[0] ?? '', profileArn: emulator.profileArn, roleArn: HUB },
    endpoint: emulator.endpoint,
    stsEndpoint: emulator.stsEndpoint,
    proxy: 'none',
    retryMaxAttempts: 1,
    ...extra,
  });
  const deps = { now: () => new Date(), env: {} };
  async function failure(promise: Promise<unknown>): Promise<IamraError> {
    try {
      await promise;
    } catch (error) {
      return error as IamraError;
    }
    throw new Error('expected a failure');
  }

  it('assumes two roles in order; the last one is what STS sees, with policies and tags echoed', async () => {
    const session = await obtainSession(
      input({
        assumeRoles: [
          { roleArn: DEV, tags: [{ key: 'team', value: 'platform' }], transitiveTagKeys: ['team'] },
          {
            roleArn: AUDIT,
            roleSessionName: 'audit-run',
            durationSeconds: 900,
            policy: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}',
            policyArns: ['arn:aws:iam::aws:policy/ReadOnlyAccess'],
          },
        ],
      }),
      deps,
    );
    assert.equal(session.credentials.accountId, '444444444444');
    assert.equal(session.startCredentials.accountId, '123456789012');
    assert.deepEqual(
      session.hops.map((h) => h.accountId),
      ['111111111111', '444444444444'],
    );
    assert.ok((session.hops[1]?.packedPolicySize ?? 0) > 0);
    const sessionName = session.startCredentials.assumedRoleArn.split('/')[2];
    assert.equal(session.hops.length, 2);
    const echoed = emulator.session(session.credentials.accessKeyId);
    assert.equal(echoed?.assumedRoleArn, 'arn:aws:sts::444444444444:assumed-role/audit/audit-run');
    assert.equal(
      echoed?.sessionPolicy,
      '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}',
    );
    assert.deepEqual(echoed?.policyArns, ['arn:aws:iam::aws:policy/ReadOnlyAccess']);
    assert.deepEqual(echoed?.tags, [{ key: 'team', value: 'platform' }], 'a transitive tag follows the chain');
    assert.equal(echoed?.sourceIdentity, 'CN=chain ec leaf', 'source identity persists');
    const first = emulator.session(
      (await obtainSession(input({ assumeRoles: [{ roleArn: DEV }] }), deps)).credentials.accessKeyId,
    );
    assert.equal(
      first?.assumedRoleArn,
      `arn:aws:sts::111111111111:assumed-role/deploy/${sessionName}`,
      'the session name follows CreateSession',
    );

    const sts = new STSClient({
      region: 'us-east-1',
      endpoint: emulator.stsEndpoint,
      credentials: session.credentials,
    });
    const identity = await sts.send(new GetCallerIdentityCommand({}));
    assert.equal(identity.Arn, 'arn:aws:sts::444444444444:assumed-role/audit/audit-run');
  });

  it('a hop the trust policy does not allow is ASSUME_ROLE_DENIED, naming the hop', async () => {
    const error = await failure(obtainSession(input({ assumeRoles: [{ roleArn: AUDIT }] }), deps));
    assert.equal(error.code, 'ASSUME_ROLE_DENIED');
    assert.match(
      error.message,
      /^AssumeRole of arn:aws:iam::444444444444:role\/audit \(hop 1\) failed: AccessDenied: User: arn:aws:sts::123456789012:assumed-role\/hub\/\S+ is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::444444444444:role\/audit;/,
    );
    assert.ok(error.requestId);
  });

  it('honours the external ID condition and sts:TagSession', async () => {
    assert.equal(
      (await failure(obtainSession(input({ assumeRoles: [{ roleArn: PROD }] }), deps))).code,
      'ASSUME_ROLE_DENIED',
    );
    assert.equal(
      (await failure(obtainSession(input({ assumeRoles: [{ roleArn: PROD, externalId: 'wrong' }] }), deps))).code,
      'ASSUME_ROLE_DENIED',
    );
    const prod = await obtainSession(input({ assumeRoles: [{ roleArn: PROD, externalId: 'prod-ext' }] }), deps);
    assert.equal(prod.credentials.accountId, '333333333333');
    const tagged = await failure(
      obtainSession(input({ assumeRoles: [{ roleArn: NOTAG, tags: [{ key: 'a', value: 'b' }] }] }), deps),
    );
    assert.match(tagged.message, /not authorized to perform: sts:TagSession/);
    await obtainSession(input({ assumeRoles: [{ roleArn: NOTAG }] }), deps);
  });

  it('the emulator refuses chained sessions over an hour as AWS does (ValidationError)', async () => {
    // Core refuses 3601 before calling; a raw call shows the service's own answer.
    const hop = { ...resolveRoleHop({ roleArn: DEV }, 0), durationSeconds: 7200 };
    const start = (await obtainSession(input(), deps)).credentials;
    const error = await failure(
      assumeRole(
        { hop, index: 1, caller: start, endpoint: emulator.stsEndpoint, region: 'us-east-1' },
        { now: () => new Date() },
      ),
    );
    assert.equal(error.code, 'ASSUME_ROLE_INVALID');
    assert.match(error.message, /exceeds the 1 hour session limit for roles assumed by role chaining/);
  });

  it('allowed account ids: the final account decides, before any request', async () => {
    const before = emulator.stats().createSession;
    const error = await failure(
      obtainSession(input({ assumeRoles: [{ roleArn: DEV }], allowedAccountIds: ['123456789012'] }), deps),
    );
    assert.equal(error.code, 'ACCOUNT_NOT_ALLOWED');
    assert.match(error.message, /^account 111111111111 is not in the allowed account ids \(123456789012\)/);
    assert.equal(emulator.stats().createSession, before, 'refused before CreateSession');
    const ok = await obtainSession(
      input({ assumeRoles: [{ roleArn: DEV }], allowedAccountIds: ['111111111111'] }),
      deps,
    );
    assert.equal(ok.credentials.accountId, '111111111111');
    const hubOnly = await failure(obtainSession(input({ allowedAccountIds: ['111111111111'] }), deps));
    assert.equal(hubOnly.code, 'ACCOUNT_NOT_ALLOWED');
  });

  it('a bad hop fails before any call: no CreateSession is spent', async () => {
    const before = emulator.stats().createSession;
    const error = await failure(obtainSession(input({ assumeRoles: [{ roleArn: DEV, durationSeconds: 7200 }] }), deps));
    assert.equal(error.code, 'ROLE_CHAIN_INVALID');
    assert.equal(emulator.stats().createSession, before);
  });

  it('the SDK provider runs the whole chain on every refresh', async () => {
    let now = Date.now();
    // Its own emulator on the same moving clock as the provider.
    const clocked = await startEmulator({
      cas: [pki.root.certPem],
      roleArns: [HUB],
      roles: ROLES,
      now: () => new Date(now),
      lifetimeMs: 20_000,
    });
    const provider = fromRolesAnywhere({
      certificate: pki.rsaLeaf.certPem,
      privateKey: pki.rsaLeaf.keyPem,
      intermediates: [pki.intermediate.certPem],
      trustAnchorArn: clocked.trustAnchorArns[0] ?? '',
      profileArn: clocked.profileArn,
      roleArn: HUB,
      endpoint: clocked.endpoint,
      stsEndpoint: clocked.stsEndpoint,
      assumeRoles: [{ roleArn: DEV }, { roleArn: AUDIT, durationSeconds: 900 }],
      allowedAccountIds: ['444444444444'],
      deps: { now: () => new Date(now) },
    });
    const before = clocked.stats();
    const first = await provider();
    assert.equal(first.accountId, '444444444444');
    assert.equal((await provider()).accessKeyId, first.accessKeyId, 'answered from memory');
    now += 700_000; // inside the 5-minute refresh window of the 900 s session
    const second = await provider();
    assert.notEqual(second.accessKeyId, first.accessKeyId);
    const stats = clocked.stats();
    await clocked.stop();
    assert.equal(stats.createSessionOk - before.createSessionOk, 2);
    assert.equal(stats.assumeRoleOk - before.assumeRoleOk, 4);
  });

  it('profile files repeat the chain for refreshes and prime both the chain and its start', async () => {
    const session = await obtainSession(
      input({
        assumeRoles: [
          {
            roleArn: PROD,
            externalId: 'prod-ext',
            policy: '{ "Version": "2012-10-17", "Statement": [] }',
            tags: [{ key: 'env', value: 'prod' }],
          },
        ],
        allowedAccountIds: ['333333333333'],
      }),
      deps,
    );
    const tempDir = testDir();
    const files = writeProfileFiles({
      tempDir,
      profileName: 'prod',
      material: { certificate: pki.ecLeaf.certPem, privateKey: pki.ecLeaf.keyPem },
      params: session.params,
      endpoint: emulator.endpoint,
      nodePath: '/usr/bin/node',
      cliPath: '/opt/iamra/cli.cjs',
      proxy: 'none',
      credentials: session.credentials,
      env: {},
      startCredentials: session.startCredentials,
      ...(session.chain ? { chain: session.chain } : {}),
      allowedAccountIds: session.allowedAccountIds,
    });
    const line = readIniSection(readFileSync(files.configFile, 'utf8'), 'profile prod')?.credential_process ?? '';
    const policyFile = join(files.profileDir, 'session-policy-1.json');
    assert.equal(readFileSync(policyFile, 'utf8'), '{"Version":"2012-10-17","Statement":[]}');
    assert.ok(
      line.includes(
        ` --assume-role-arn ${PROD} --assume-role-external-id prod-ext --assume-role-duration-seconds 3600 --inline-session-policy-file ${policyFile} --assume-role-tag env=prod --sts-endpoint ${emulator.stsEndpoint} --allowed-account-ids 333333333333`,
      ),
      line,
    );
    const base = {
      certificate: pki.ecLeaf.certPem,
      privateKey: pki.ecLeaf.keyPem,
      privateKeyPassphrase: undefined,
      intermediates: undefined,
      pkcs12: undefined,
      pkcs12Password: undefined,
      params: session.params,
      endpoint: emulator.endpoint,
      tls: tlsIdentity({ rejectUnauthorized: true, env: {} }),
    };
    const chained = sessionIdentity({ ...base, chain: session.chain, allowedAccountIds: session.allowedAccountIds });
    assert.notEqual(chained, sessionIdentity(base));
    assert.notEqual(chained, sessionIdentity({ ...base, chain: session.chain }), 'the guard is part of the key');
    for (const key of [chained, sessionIdentity(base)])
      assert.ok(existsSync(join(files.cacheDir, cacheEntryFileName(key))));
  });
});
