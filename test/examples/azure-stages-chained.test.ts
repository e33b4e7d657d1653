/**
 * examples/azure/stages-per-account-chained.yml, stage by stage, through the built task as the
 * agent runs it: each stage's task inputs (its `$(...)` macros expanded from the stage's
 * variables, the variable group and predefined variables, as the agent does) with the hub's
 * service connection, against the emulator; the AWS CLI v2 then reads each stage's profile and
 * sees that stage's account. The same inputs with an account outside allowedAccountIds fail
 * before any request.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { RunningEmulator } from '@iamra/emulator';
import { parse } from 'yaml';
import { connectionEnv, newAgentJob, runTaskStep, taskFilesUnder } from '../support/azure-agent.js';
import { deployRole, HUB_ROLE, startHubEmulator } from '../support/hub-emulator.js';
import { isolatedAwsEnv, peers, repoRoot } from '../support/peers.js';
import { makePki } from '../support/pki.js';

const run = promisify(execFile);
const CONNECTION = '5d0c6f1e-2a3b-4c5d-8e9f-a0b1c2d3e4f5';
const EXPECTED: Record<string, string> = { dev: '111111111111', staging: '222222222222', prod: '333333333333' };
/** prod's assumeRoleTags once the agent expanded its macros; the other stages pass none. */
const EXPECTED_TAGS: Record<string, { key: string; value: string }[]> = {
  prod: [
    { key: 'pipeline', value: 'deploy' },
    { key: 'stage', value: 'prod' },
  ],
};
/** The variable group the prod stage names, as the project defines it. */
const GROUPS: Record<string, Record<string, string>> = { 'aws-prod': { ProdExternalId: 'prod-ext' } };

interface Stage {
  stage: string;
  variables?: Record<string, string> | ({ name: string; value: string } | { group: string })[];
}

/** Every mapping under a node (steps nest under jobs, deployments and strategies). */
function* mappings(node: unknown): Generator<Record<string, unknown>> {
  if (Array.isArray(node)) for (const item of node) yield* mappings(item);
  else if (node && typeof node === 'object') {
    yield node as Record<string, unknown>;
    for (const value of Object.values(node)) yield* mappings(value);
  }
}

/** A stage's variables: its own, its groups', and the predefined ones the example uses. */
function stageVariables(stage: Stage): Record<string, string> {
  const found: Record<string, string> = { 'Build.DefinitionName': 'deploy', 'System.StageName': stage.stage };
  const given = stage.variables ?? {};
  if (!Array.isArray(given)) return { ...found, ...given };
  for (const entry of given) {
    if ('group' in entry) Object.assign(found, GROUPS[entry.group] ?? assert.fail(`no group ${entry.group}`));
    else found[entry.name] = entry.value;
  }
  return found;
}

/** The agent's macro expansion: `$(name)` of a defined variable becomes its value. */
function expand(text: string, variables: Record<string, string>): string {
  return text.replace(/\$\(([\w.]+)\)/g, (whole, name: string) => variables[name] ?? whole);
}

describe('examples/azure/stages-per-account-chained.yml through the built task', function () {
  this.timeout(120_000);
  const pki = makePki({ subjectPrefix: 'azure stages' });
  const pipeline = parse(
    readFileSync(join(repoRoot, 'examples', 'azure', 'stages-per-account-chained.yml'), 'utf8'),
  ) as { stages: Stage[] };
  let emulator: RunningEmulator;
  before(async () => {
    emulator = await startHubEmulator(
      pki.root.certPem,
      [
        { arn: deployRole('111111111111') },
        { arn: deployRole('222222222222') },
        { arn: deployRole('333333333333'), externalId: 'prod-ext', allowTagSession: true },
      ],
      115_000,
    );
  });
  after(() => emulator.stop());

  /** The hub's service connection, as the agent hands it to the step. */
  const hub = () =>
    connectionEnv({
      id: CONNECTION,
      certificate: `${pki.ecLeaf.certPem}${pki.intermediate.certPem}`,
      privateKey: pki.ecLeaf.keyPem,
      trustAnchorArn: emulator.trustAnchorArns[0] ?? '',
      profileArn: emulator.profileArn,
      roleArn: HUB_ROLE,
    });

  /** One stage's task inputs as the agent passes them, pointed at the emulator. */
  function taskInputs(stage: Stage): Record<string, string> {
    const steps = [...mappings(stage)].filter((step) => step.task === 'RolesAnywhereCredentials@1');
    assert.equal(steps.length, 1, `${stage.stage}: one task step`);
    const variables = stageVariables(stage);
    const inputs = Object.fromEntries(
      Object.entries(steps[0]?.inputs as Record<string, string>).map(([name, value]) => [
        name,
        expand(String(value), variables),
      ]),
    );
    assert.equal(inputs.rolesAnywhereConnection, 'aws-hub', `${stage.stage}: every stage uses the hub connection`);
    return {
      ...inputs,
      rolesAnywhereConnection: CONNECTION,
      endpoint: emulator.endpoint,
      stsEndpoint: emulator.stsEndpoint,
    };
  }

  it('has one stage per account, in order, each guarded by its own account', () => {
    assert.deepEqual(
      pipeline.stages.map((stage) => stage.stage),
      Object.keys(EXPECTED),
    );
    for (const stage of pipeline.stages) {
      const inputs = taskInputs(stage);
      assert.equal(inputs.allowedAccountIds, EXPECTED[stage.stage]);
      assert.equal(inputs.assumeRoleArn, deployRole(EXPECTED[stage.stage] ?? ''));
      assert.ok(!Object.values(inputs).some((value) => /\$\(/.test(value)), `${stage.stage}: every macro defined`);
    }
  });

  for (const account of Object.entries(EXPECTED)) {
    const [name, id] = account;
    it(`stage ${name}: the task assumes the account's role from the hub; the AWS CLI v2 sees account ${id}; its session carries the stage's tags`, async () => {
      const stage = pipeline.stages.find((candidate) => candidate.stage === name);
      assert.ok(stage);
      const job = newAgentJob();
      const inputs = taskInputs(stage);
      const main = await runTaskStep(peers.node24(), 'main', job, inputs, hub());
      assert.equal(main.result?.status, 'Succeeded', main.stdout);
      assert.equal(main.variables.AccountId?.value, id);
      const env = {
        ...isolatedAwsEnv(job.home),
        AWS_CONFIG_FILE: main.variables.AWS_CONFIG_FILE?.value ?? '',
        AWS_PROFILE: main.variables.AWS_PROFILE?.value ?? 'default',
      };
      const { stdout } = await run(
        peers.awsCli(),
        ['sts', 'get-caller-identity', '--endpoint-url', emulator.stsEndpoint, '--output', 'json'],
        { env },
      );
      assert.equal((JSON.parse(stdout) as { Account: string }).Account, id);
      // What the profile's session carries, asked of the emulator by its access key id.
      const exported = await run(peers.awsCli(), ['configure', 'export-credentials', '--format', 'process'], { env });
      const session = emulator.session((JSON.parse(exported.stdout) as { AccessKeyId: string }).AccessKeyId);
      assert.deepEqual(session?.tags, EXPECTED_TAGS[name] ?? []);
      const post = await runTaskStep(peers.node24(), 'post', job, inputs);
      assert.notEqual(post.result?.status, 'Failed', post.stdout);
      assert.deepEqual(taskFilesUnder(job.tempDir), []);
    });
  }

  it('a stage whose role is in another account than its guard fails before any request, exporting nothing', async () => {
    const stage = pipeline.stages.find((candidate) => candidate.stage === 'dev');
    assert.ok(stage);
    const before = emulator.stats().createSession;
    const job = newAgentJob();
    const inputs = { ...taskInputs(stage), assumeRoleArn: 'arn:aws:iam::222222222222:role/deploy' };
    const main = await runTaskStep(peers.node24(), 'main', job, inputs, hub());
    assert.equal(main.result?.status, 'Failed');
    assert.match(
      main.result?.message ?? '',
      /^ACCOUNT_NOT_ALLOWED: account 222222222222 is not in the allowed account ids \(111111111111\)/,
    );
    assert.deepEqual(Object.keys(main.variables), []);
    assert.equal(emulator.stats().createSession, before);
  });
});
