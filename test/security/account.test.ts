/**
 * Defect 9: an answer for another account (or partition, or role) is refused before anything is
 * cached, printed, exported or written; and a pipeline's allowedAccountIds refuses a role in any
 * other account before a request is made. Through the CLI, core's obtainSession, and the built
 * Action in profile mode (nothing exported, no profile file).
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '@iamra/cli';
import { IamraError, obtainSession, parseAllowedAccountIds } from '@iamra/core';
import { runCli } from '../support/cli-run.js';
import { newJob, runActionStep } from '../support/github-runner.js';
import { type HostileServer, startHostileServer } from '../support/hostile-server.js';
import { peers } from '../support/peers.js';
import { makePki, testDir } from '../support/pki.js';
import { ACCOUNT, credentialSetBody, hostileFlags, PROFILE_ARN, ROLE_ARN, TRUST_ANCHOR_ARN } from './fixtures.js';

describe('security: the session is for the account asked for', function () {
  this.timeout(60_000);
  const pki = makePki({ subjectPrefix: 'account' });
  let server: HostileServer;
  let assumedRoleArn = '';

  before(async () => {
    server = await startHostileServer((_request, response) => {
      response.writeHead(201, { 'content-type': 'application/json' });
      response.end(credentialSetBody(assumedRoleArn, new Date(Date.now() + 3_600_000)));
    });
  });
  after(() => server.stop());

  const answers: [string, string, RegExp][] = [
    [
      'another account',
      'arn:aws:sts::999999999999:assumed-role/deploy/s',
      /^iamra: ACCOUNT_MISMATCH: .*account 999999999999/,
    ],
    ['another partition', `arn:aws-cn:sts::${ACCOUNT}:assumed-role/deploy/s`, /^iamra: ACCOUNT_MISMATCH: /],
    [
      'another role in the same account',
      `arn:aws:sts::${ACCOUNT}:assumed-role/admin/s`,
      /^iamra: ACCOUNT_MISMATCH: .*role admin/,
    ],
    ['a 13-digit account', 'arn:aws:sts::1234567890123:assumed-role/deploy/s', /^iamra: RESPONSE_INVALID: /],
    [
      'an ARN with a command in it',
      `arn:aws:sts::${ACCOUNT}:assumed-role/deploy/s ##vso[task.setvariable variable=X]y`,
      /^iamra: RESPONSE_INVALID: .*\*\*vso\[/,
    ],
    ['an IAM user, not an assumed role', `arn:aws:iam::${ACCOUNT}:user/deploy`, /^iamra: RESPONSE_INVALID: /],
  ];
  for (const [name, arn, refusal] of answers) {
    it(`the CLI refuses ${name}, prints no credentials and caches nothing`, async () => {
      assumedRoleArn = arn;
      const cacheDir = join(testDir(), 'cache');
      const flags = hostileFlags(pki.ecLeaf, pki.intermediate, server.endpoint).filter((flag) => flag !== '--no-cache');
      const result = await runCli(main, flags, { IAMRA_CACHE_DIR: cacheDir });
      assert.match(result.stderr, refusal);
      assert.ok(result.exitCode === 3 || result.exitCode === 4, String(result.exitCode));
      assert.equal(result.stdout, '');
      assert.deepEqual(existsSync(cacheDir) ? readdirSync(cacheDir).filter((f) => f.endsWith('.json')) : [], []);
    });
  }

  it('the honest answer still works', async () => {
    assumedRoleArn = `arn:aws:sts::${ACCOUNT}:assumed-role/deploy/s`;
    const result = await runCli(main, hostileFlags(pki.ecLeaf, pki.intermediate, server.endpoint));
    assert.equal(result.exitCode, 0, result.stderr);
  });

  const session = { trustAnchorArn: TRUST_ANCHOR_ARN, profileArn: PROFILE_ARN, roleArn: ROLE_ARN };

  it('obtainSession with allowedAccountIds refuses another account before any request', async () => {
    let requests = 0;
    const attempt = obtainSession(
      {
        material: { certificate: pki.ecLeaf.certPem, privateKey: pki.ecLeaf.keyPem },
        session,
        endpoint: server.endpoint,
        allowedAccountIds: ['111122223333'],
      },
      {
        now: () => new Date(),
        env: {},
        transport: async () => {
          requests += 1;
          throw new Error('no request may be made');
        },
      },
    );
    await assert.rejects(
      attempt,
      (error: unknown) => error instanceof IamraError && error.code === 'ACCOUNT_NOT_ALLOWED',
    );
    assert.equal(requests, 0);
  });

  it('obtainSession with the account allowed, and allowed-account-ids inputs parse strictly', async () => {
    assumedRoleArn = `arn:aws:sts::${ACCOUNT}:assumed-role/deploy/s`;
    const ok = await obtainSession(
      {
        material: { certificate: pki.ecLeaf.certPem, privateKey: pki.ecLeaf.keyPem },
        session,
        endpoint: server.endpoint,
        allowedAccountIds: parseAllowedAccountIds(`111122223333, ${ACCOUNT}\n`) ?? [],
        proxy: 'none',
      },
      { now: () => new Date(), env: {} },
    );
    assert.equal(ok.credentials.accountId, ACCOUNT);
    assert.equal(parseAllowedAccountIds('  '), undefined);
    assert.throws(() => parseAllowedAccountIds('12345'), /CONFIG_INVALID|12-digit/);
  });

  it('the built Action in profile mode exports and writes nothing for another account', async () => {
    assumedRoleArn = 'arn:aws:sts::999999999999:assumed-role/deploy/s';
    const job = newJob();
    const inputs = {
      certificate: pki.ecLeaf.certPem,
      'private-key': pki.ecLeaf.keyPem,
      'certificate-chain': pki.intermediate.certPem,
      'trust-anchor-arn': TRUST_ANCHOR_ARN,
      'profile-arn': PROFILE_ARN,
      'role-arn': ROLE_ARN,
      'rolesanywhere-endpoint': server.endpoint,
      'aws-profile': 'deploy',
      'retry-max-attempts': '1',
    };
    const run = await runActionStep(peers.node24(), 'main', job, inputs);
    assert.equal(run.exitCode, 1, run.stdout);
    assert.match(run.stdout, /^::error title=iamra::ACCOUNT_MISMATCH: /m);
    assert.deepEqual(Object.keys(run.env), []);
    assert.equal(run.outputs['aws-account-id'], undefined);
    assert.ok(!existsSync(join(job.runnerTemp, 'iamra', 'aws-config')), 'no profile written');
    assert.ok(!run.stdout.includes('ASIAEXAMPLEEXAMPLE01'));
  });
});
