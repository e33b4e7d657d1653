/**
 * The Action with role chaining (built dist/, Node 24) against the emulator: profiles for three
 * accounts from one certificate that the AWS CLI v2 uses, a denied hop, and an account outside
 * allowed-account-ids, which exports and writes nothing.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { RunningEmulator } from '@iamra/emulator';
import { filesUnder } from '../support/files.js';
import { newJob, type RunnerJob, runActionStep } from '../support/github-runner.js';
import { deployRole, HUB_ROLE, startHubEmulator } from '../support/hub-emulator.js';
import { isolatedAwsEnv, peers } from '../support/peers.js';
import { makePki } from '../support/pki.js';

const run = promisify(execFile);
const ACCOUNTS = ['111111111111', '222222222222', '333333333333'];
/** A role whose trust policy also allows sts:TagSession. */
const TAGGED = 'arn:aws:iam::444444444444:role/tagged';

describe('GitHub Action: many accounts from one certificate', function () {
  this.timeout(120_000);
  const node = peers.node24();
  const pki = makePki({ subjectPrefix: 'actionchain' });
  let emulator: RunningEmulator;
  before(async () => {
    emulator = await startHubEmulator(
      pki.root.certPem,
      [
        ...ACCOUNTS.map((account) => ({
          arn: deployRole(account),
          ...(account === '333333333333' ? { externalId: 'prod-ext' } : {}),
        })),
        { arn: TAGGED, allowTagSession: true },
      ],
      115_000,
    );
  });
  after(() => emulator.stop());

  const inputs = (extra: Record<string, string>) => ({
    'trust-anchor-arn': emulator.trustAnchorArns[0] ?? '',
    'profile-arn': emulator.profileArn,
    'role-arn': HUB_ROLE,
    'rolesanywhere-endpoint': emulator.endpoint,
    'sts-endpoint': emulator.stsEndpoint,
    certificate: pki.ecLeaf.certPem,
    'private-key': pki.ecLeaf.keyPem,
    'certificate-chain': pki.intermediate.certPem,
    ...extra,
  });

  async function accountOf(job: RunnerJob, profile: string): Promise<string> {
    const env = { ...isolatedAwsEnv(job.home, job.env), ...job.env, AWS_PROFILE: profile };
    const { stdout } = await run(
      peers.awsCli(),
      ['sts', 'get-caller-identity', '--endpoint-url', emulator.stsEndpoint, '--output', 'json'],
      { env },
    );
    return (JSON.parse(stdout) as { Account: string }).Account;
  }

  it('three profile-mode steps, one per account, share one CreateSession; the AWS CLI v2 uses them; post removes every file', async () => {
    const job = newJob();
    const states: Record<string, string>[] = [];
    const start = emulator.stats();
    for (const account of ACCOUNTS) {
      const step = await runActionStep(
        node,
        'main',
        job,
        inputs({
          'aws-profile': `acct-${account}`,
          'assume-role-arn': deployRole(account),
          ...(account === '333333333333' ? { 'assume-role-external-id': 'prod-ext' } : {}),
          'allowed-account-ids': ACCOUNTS.join(','),
        }),
      );
      assert.equal(step.exitCode, 0, step.stdout);
      states.push(step.state);
    }
    const before = emulator.stats();
    assert.equal(before.createSession - start.createSession, 1, "the later steps start from the first one's session");
    assert.equal(before.assumeRole - start.assumeRole, 3);
    for (const account of ACCOUNTS) assert.equal(await accountOf(job, `acct-${account}`), account);
    const after = emulator.stats();
    assert.equal(after.createSession - before.createSession, 0, 'every profile starts from its primed cache');
    assert.equal(after.assumeRole - before.assumeRole, 0);
    for (const state of states) {
      const post = await runActionStep(node, 'post', job, inputs({}), state);
      assert.equal(post.exitCode, 0);
    }
    assert.deepEqual(filesUnder(job.runnerTemp), []);
  });

  it('a denied hop and an account outside allowed-account-ids fail and export nothing', async () => {
    const denied = await runActionStep(
      node,
      'main',
      newJob(),
      inputs({ 'assume-role-arn': deployRole('333333333333') }),
    );
    assert.notEqual(denied.exitCode, 0);
    assert.match(
      denied.stdout,
      /ASSUME_ROLE_DENIED: AssumeRole of arn:aws:iam::333333333333:role\/deploy \(hop 1\) failed: AccessDenied/,
    );
    assert.equal(denied.env.AWS_ACCESS_KEY_ID, undefined);
    const job = newJob();
    const before = emulator.stats().createSession;
    const outside = await runActionStep(
      node,
      'main',
      job,
      inputs({
        'assume-role-arn': deployRole('111111111111'),
        'allowed-account-ids': '222222222222',
        'aws-profile': 'x',
      }),
    );
    assert.notEqual(outside.exitCode, 0);
    assert.match(
      outside.stdout,
      /ACCOUNT_NOT_ALLOWED: account 111111111111 is not in the allowed account ids \(222222222222\)/,
    );
    assert.deepEqual(outside.env, {});
    assert.equal(emulator.stats().createSession, before, 'refused before any request');
  });

  it('session tags reach a role that allows sts:TagSession; a role that does not refuses them in one line', async () => {
    const tags = {
      'assume-role-tags': 'team=platform\nrepository=octo/app',
      'assume-role-transitive-tag-keys': 'team',
    };
    const tagged = await runActionStep(
      node,
      'main',
      newJob(),
      inputs({ 'assume-role-arn': TAGGED, 'output-credentials': 'true', ...tags }),
    );
    assert.equal(tagged.exitCode, 0, tagged.stdout);
    const session = emulator.session(tagged.outputs['aws-access-key-id'] ?? '');
    assert.deepEqual(session?.tags, [
      { key: 'team', value: 'platform' },
      { key: 'repository', value: 'octo/app' },
    ]);
    assert.deepEqual(session?.transitiveTagKeys, ['team']);

    const refused = await runActionStep(
      node,
      'main',
      newJob(),
      inputs({ 'assume-role-arn': deployRole('111111111111'), ...tags }),
    );
    assert.notEqual(refused.exitCode, 0);
    const errors = refused.stdout.split('\n').filter((line) => line.startsWith('::error'));
    assert.equal(errors.length, 1, refused.stdout);
    assert.match(
      errors[0] ?? '',
      /ASSUME_ROLE_DENIED: AssumeRole of arn:aws:iam::111111111111:role\/deploy \(hop 1\) failed: AccessDenied: .*sts:TagSession/,
    );
    assert.deepEqual(refused.env, {});
  });
});
