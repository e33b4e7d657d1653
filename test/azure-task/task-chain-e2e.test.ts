/**
 * The built task with a role chain, as the agent runs it, against the emulator's STS: the AWS
 * Toolkit's AWS.AssumeRoleArn variable names the hop, the AWS CLI reads the chained profile, and
 * an account outside allowedAccountIds, or session tags a role's trust policy does not allow, fail
 * the step with nothing exported.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { promisify } from 'node:util';
import type { RunningEmulator } from '@iamra/emulator';
import { type AgentJob, newAgentJob, runTaskStep, type TaskRun, taskFilesUnder } from '../support/azure-agent.js';
import { HUB_ROLE, startHubEmulator } from '../support/hub-emulator.js';
import { isolatedAwsEnv, peers } from '../support/peers.js';
import { makePki } from '../support/pki.js';
import { azureMask, scanLog } from '../support/secret-scan.js';

const run = promisify(execFile);
const DEV = 'arn:aws:iam::111111111111:role/deploy';

/** A failed step says one line and sets none of the variables a later step would use. */
function assertFailedExportingNothing(main: TaskRun): void {
  assert.doesNotMatch(main.result?.message ?? '', /\n/);
  for (const name of ['AWS_CONFIG_FILE', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN']) {
    assert.equal(main.variables[name], undefined, `${name} not set`);
  }
}

describe('Azure DevOps task end to end: role chaining', function () {
  this.timeout(120_000);
  const pki = makePki({ subjectPrefix: 'azure-chain' });
  let emulator: RunningEmulator;
  const logs: TaskRun[] = [];
  before(async () => {
    emulator = await startHubEmulator(pki.root.certPem, [{ arn: DEV, externalId: 'dev-ext' }], 115_000);
  });
  after(() => emulator.stop());

  function inputs(job: AgentJob, extra: Record<string, string>): Record<string, string> {
    const write = (name: string, content: string) => {
      const path = `${job.home}/${name}`;
      writeFileSync(path, content, { mode: 0o600 });
      return path;
    };
    return {
      certificateFile: write('cert.pem', pki.ecLeaf.certPem),
      privateKeyFile: write('key.pem', pki.ecLeaf.keyPem),
      certificateChainFile: write('chain.pem', pki.intermediate.certPem),
      trustAnchorArn: emulator.trustAnchorArns[0] ?? '',
      profileArn: emulator.profileArn,
      roleArn: HUB_ROLE,
      endpoint: emulator.endpoint,
      stsEndpoint: emulator.stsEndpoint,
      profileName: 'dev',
      ...extra,
    };
  }

  it("assumes the AWS Toolkit's AWS.AssumeRoleArn after CreateSession; the AWS CLI gets the chained role", async () => {
    const job = newAgentJob();
    job.variables['AWS.AssumeRoleArn'] = { value: DEV, secret: false, output: false };
    job.variables['AWS.ExternalId'] = { value: 'dev-ext', secret: false, output: false };
    const given = inputs(job, { allowedAccountIds: '111111111111', assumeRoleSessionName: 'azure-chain' });
    const main = await runTaskStep(peers.node24(), 'main', job, given);
    logs.push(main);
    assert.equal(main.result?.status, 'Succeeded', main.stdout);
    assert.equal(main.variables.AccountId?.value, '111111111111');
    assert.match(main.variables.AssumedRoleArn?.value ?? '', /:assumed-role\/deploy\/azure-chain$/);
    const { stdout } = await run(
      peers.awsCli(),
      ['sts', 'get-caller-identity', '--endpoint-url', emulator.stsEndpoint, '--output', 'json'],
      {
        env: {
          ...isolatedAwsEnv(job.home),
          AWS_CONFIG_FILE: main.variables.AWS_CONFIG_FILE?.value ?? '',
          AWS_PROFILE: 'dev',
          AWS_REGION: main.variables.AWS_REGION?.value ?? '',
        },
      },
    );
    assert.match((JSON.parse(stdout) as { Arn: string }).Arn, /111111111111:assumed-role\/deploy\/azure-chain$/);
    const post = await runTaskStep(peers.node24(), 'post', job, given);
    assert.notEqual(post.result?.status, 'Failed', post.stdout);
    assert.deepEqual(taskFilesUnder(job.tempDir), []);
  });

  it('an account outside allowedAccountIds fails the step in one line, exporting nothing', async () => {
    const job = newAgentJob();
    const given = inputs(job, {
      assumeRoleArn: DEV,
      assumeRoleExternalId: 'dev-ext',
      allowedAccountIds: '222222222222',
      outputMode: 'both',
    });
    const main = await runTaskStep(peers.node24(), 'main', job, given);
    logs.push(main);
    assert.equal(main.result?.status, 'Failed');
    assert.match(main.result?.message ?? '', /^ACCOUNT_NOT_ALLOWED: account 111111111111 is not in the allowed/);
    assertFailedExportingNothing(main);
  });

  it('session tags on a role whose trust policy lacks sts:TagSession: one ASSUME_ROLE_DENIED line, nothing exported', async () => {
    const job = newAgentJob();
    const given = inputs(job, {
      assumeRoleArn: DEV,
      assumeRoleExternalId: 'dev-ext',
      assumeRoleTags: 'team=platform\nstage=dev',
      outputMode: 'both',
    });
    const main = await runTaskStep(peers.node24(), 'main', job, given);
    logs.push(main);
    assert.equal(main.result?.status, 'Failed');
    assert.match(
      main.result?.message ?? '',
      /^ASSUME_ROLE_DENIED: AssumeRole of arn:aws:iam::111111111111:role\/deploy \(hop 1\) failed: AccessDenied: .*sts:TagSession/,
    );
    assertFailedExportingNothing(main);
    await runTaskStep(peers.node24(), 'post', job, given);
    assert.deepEqual(taskFilesUnder(job.tempDir), []);
  });

  it('logs: the key never unmasked', () => {
    for (const { stdout } of logs) {
      assert.deepEqual(scanLog(stdout, [pki.ecLeaf.keyPem], { maskedValue: azureMask, allowAfterMask: true }), []);
    }
  });
});
