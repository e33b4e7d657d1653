/**
 * examples/github/many-accounts.yml in a real runner (nektos/act, host mode) against the
 * emulator: one job writes profiles for three accounts from one Roles Anywhere session, and
 * the AWS CLI v2 and the SDK v3 each see three different accounts through them (the event is
 * push, as act runs it). Two more jobs
 * (fixtures/many-accounts-refusals.yml): a hop whose trust policy refuses the hub role fails
 * with one ASSUME_ROLE_DENIED line, and an account outside allowed-account-ids is refused
 * before any request, with nothing exported or written.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunningEmulator } from '@iamra/emulator';
import { parse, stringify } from 'yaml';
import { type ActRun, type ActWorkspace, actWorkspace, jobLog, runAct } from '../../support/act.js';
import { deployRole as deploy, HUB_ROLE, startHubEmulator } from '../../support/hub-emulator.js';
import { repoRoot } from '../../support/peers.js';
import { makePki } from '../../support/pki.js';
import { scanLog } from '../../support/secret-scan.js';

const fixtures = join(repoRoot, 'test', 'action', 'act', 'fixtures');
const PROFILES = { dev: '111111111111', staging: '222222222222', prod: '333333333333' };
const STS_CALL = 'aws sts get-caller-identity --endpoint-url "$AWS_ENDPOINT_URL_STS"';

interface Step {
  uses?: string;
  run?: string;
  env?: Record<string, string>;
  with?: Record<string, string>;
}
interface Workflow {
  on: unknown;
  jobs: Record<string, { steps: Step[] }>;
}

/**
 * The example as a user copies it, pointed at this checkout (`uses: ./`) and the emulator's
 * Roles Anywhere endpoint (STS comes from AWS_ENDPOINT_URL_STS), with the probe first and
 * recording steps last; the refusal jobs added beside it.
 */
function composedWorkflow(): string {
  const workflow = parse(readFileSync(join(repoRoot, 'examples', 'github', 'many-accounts.yml'), 'utf8')) as Workflow;
  const job = workflow.jobs.deploy;
  assert.ok(job, 'the example has a deploy job');
  for (const step of job.steps) {
    // The AWS CLI v2 here (2.9) predates AWS_ENDPOINT_URL_STS: its STS calls name the emulator.
    if (step.run) step.run = step.run.replaceAll('aws sts get-caller-identity', STS_CALL);
    if (step.uses?.startsWith('iamra/iamra@')) {
      step.uses = './';
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a workflow expression, evaluated by the runner
      step.with = { ...step.with, 'rolesanywhere-endpoint': '${{ vars.ENDPOINT }}' };
    }
  }
  const record = Object.keys(PROFILES).flatMap((profile): Step[] => [
    { run: `${STS_CALL} --profile ${profile} --output json > "$PROBE_OUT/cli-${profile}.json"` },
    {
      env: { AWS_PROFILE: profile },
      run: `node test-fixtures/sdk-caller-identity.cjs > "$PROBE_OUT/sdk-${profile}.json"`,
    },
  ]);
  job.steps.splice(1, 0, { uses: './test-fixtures/probe' });
  // The prod profile's credentials as the AWS CLI resolves them: the test asks the emulator what they carry.
  const exported =
    'aws configure export-credentials --profile prod --format process > "$PROBE_OUT/prod-credentials.json"';
  job.steps.push(...record, { run: exported }, { run: 'node test-fixtures/record.cjs env' });
  // act runs the push event; the example is started by hand (workflow_dispatch).
  workflow.on = 'push';
  const refusals = parse(readFileSync(join(fixtures, 'many-accounts-refusals.yml'), 'utf8')) as Workflow;
  workflow.jobs = { ...workflow.jobs, ...refusals.jobs };
  return stringify(workflow);
}

describe('GitHub Action: three accounts from one certificate in a real runner (act)', function () {
  this.timeout(240_000);
  const pki = makePki({ subjectPrefix: 'act many' });
  let emulator: RunningEmulator;
  let workspace: ActWorkspace;
  let act: ActRun;

  const read = (name: string): Record<string, unknown> =>
    JSON.parse(readFileSync(join(workspace.probeOut, name), 'utf8')) as Record<string, unknown>;

  before(async () => {
    emulator = await startHubEmulator(
      pki.root.certPem,
      [
        { arn: deploy(PROFILES.dev) },
        { arn: deploy(PROFILES.staging) },
        { arn: deploy(PROFILES.prod), externalId: 'prod-ext', allowTagSession: true },
        // Its trust policy names another role: the hub is refused.
        { arn: deploy('444444444444'), trustedPrincipals: ['arn:aws:iam::123456789012:role/other'] },
      ],
      230_000,
    );
    workspace = actWorkspace(
      { '.github/workflows/many-accounts.yml': composedWorkflow() },
      { 'test-fixtures': fixtures },
    );
    act = await runAct(workspace, {
      workflow: '.github/workflows/many-accounts.yml',
      secrets: {
        ROLESANYWHERE_CERTIFICATE: `${pki.ecLeaf.certPem}${pki.intermediate.certPem}`,
        ROLESANYWHERE_PRIVATE_KEY: pki.ecLeaf.keyPem,
      },
      vars: {
        TRUST_ANCHOR_ARN: emulator.trustAnchorArns[0] ?? '',
        PROFILE_ARN: emulator.profileArn,
        HUB_ROLE_ARN: HUB_ROLE,
        PROD_EXTERNAL_ID: 'prod-ext',
        ENDPOINT: emulator.endpoint,
      },
      env: {
        AWS_ENDPOINT_URL_STS: emulator.stsEndpoint,
        AWS_EC2_METADATA_DISABLED: 'true',
        AWS_PAGER: '',
      },
      timeoutMs: 220_000,
    });
  });
  after(() => emulator?.stop());

  it('runs every job to success (the refused steps are contained by continue-on-error)', () => {
    assert.equal(act.exitCode, 0, act.log);
    for (const job of ['deploy', 'denied-hop', 'outside-allowed']) {
      assert.match(jobLog(act.log, job), /🏁 {2}Job succeeded/, `${job}:\n${jobLog(act.log, job)}`);
    }
  });

  it('the AWS CLI v2 and the SDK v3 see three different accounts through the three profiles', () => {
    for (const [profile, account] of Object.entries(PROFILES)) {
      for (const client of ['cli', 'sdk']) {
        const identity = read(`${client}-${profile}.json`);
        assert.equal(identity.Account, account, `${client} --profile ${profile}`);
        assert.match(String(identity.Arn), new RegExp(`^arn:aws:sts::${account}:assumed-role/deploy/`));
      }
    }
  });

  it("one CreateSession serves the job: the later steps and every profile's refresh start from it", () => {
    const log = jobLog(act.log, 'deploy');
    assert.equal((log.match(/\(from the job's Roles Anywhere session\)/g) ?? []).length, 2, log);
    // deploy: 1; denied-hop: 1 (the hub session is made, the hop refused); outside-allowed: 0.
    assert.equal(emulator.stats().createSession, 2);
  });

  it('the prod profile carries its session tags (its role allows sts:TagSession) and its session policy', () => {
    const { AccessKeyId } = read('prod-credentials.json');
    const session = emulator.session(String(AccessKeyId));
    assert.equal(session?.accountId, PROFILES.prod);
    const tags = session?.tags as { key: string; value: string }[];
    assert.deepEqual(
      tags.map((tag) => tag.key),
      ['repository', 'workflow'],
    );
    assert.equal(tags[1]?.value, 'deploy to three accounts', 'the workflow name, spaces and all');
    assert.deepEqual(session?.policyArns, ['arn:aws:iam::aws:policy/PowerUserAccess']);
  });

  it('a hop the trust policy refuses fails with one ASSUME_ROLE_DENIED line and writes no profile', () => {
    const log = jobLog(act.log, 'denied-hop');
    const errors = log.split('\n').filter((line) => line.includes('::error'));
    assert.equal(errors.length, 1, log);
    assert.match(
      errors[0] ?? '',
      /::error title=iamra::ASSUME_ROLE_DENIED: AssumeRole of arn:aws:iam::444444444444:role\/deploy \(hop 1\) failed: AccessDenied: /,
    );
    const { env, runnerTemp } = read('denied-hop.after.json') as { env: Record<string, string>; runnerTemp: string[] };
    assert.equal(env.OUT_OUTCOME, 'failure');
    assert.deepEqual(
      Object.keys(env).filter(
        (name) =>
          name.startsWith('AWS_') &&
          name !== 'AWS_ENDPOINT_URL_STS' &&
          name !== 'AWS_EC2_METADATA_DISABLED' &&
          name !== 'AWS_PAGER',
      ),
      [],
    );
    assert.deepEqual(
      runnerTemp.filter((file) => file.includes('aws-config')),
      [],
    );
  });

  it('an account outside allowed-account-ids is refused before any request; nothing is exported or written', () => {
    const log = jobLog(act.log, 'outside-allowed');
    const errors = log.split('\n').filter((line) => line.includes('::error'));
    assert.equal(errors.length, 1, log);
    assert.match(
      errors[0] ?? '',
      /::error title=iamra::ACCOUNT_NOT_ALLOWED: account 111111111111 is not in the allowed account ids \(222222222222\)/,
    );
    const { env, runnerTemp } = read('outside-allowed.after.json') as {
      env: Record<string, string>;
      runnerTemp: string[];
    };
    assert.equal(env.OUT_OUTCOME, 'failure');
    for (const name of ['AWS_PROFILE', 'AWS_CONFIG_FILE', 'AWS_ACCESS_KEY_ID', 'AWS_REGION']) {
      assert.equal(env[name], undefined, name);
    }
    assert.deepEqual(
      runnerTemp.filter((file) => file.startsWith('iamra/')),
      [],
    );
  });

  it("act's log shows no key line", () => {
    const problems = scanLog(act.log, [pki.ecLeaf.keyPem], { maskedValue: () => undefined, requireMasked: false });
    assert.deepEqual(problems, []);
  });
});
