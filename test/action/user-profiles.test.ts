/**
 * Profile mode keeps the user's own profiles: two Action steps (in this process) on a runner
 * whose HOME has ~/.aws/config and ~/.aws/credentials, each holding a profile of a name the job
 * then takes. Three real readers of the job's files (the AWS CLI v2, botocore, the SDK for
 * JavaScript v3) find the user's profiles, [sso-session] and [services] sections as written, and
 * ours where the names clash; the post steps remove ours and nothing under HOME changes.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fromIni } from '@aws-sdk/credential-providers';
import { iniSectionNames } from '@iamra/core';
import { type RunningEmulator, startEmulator } from '@iamra/emulator';
import { emulatorInputs, runStepInProcess } from '../support/action-in-process.js';
import { newJob, type RunnerJob } from '../support/github-runner.js';
import { isolatedAwsEnv, peers } from '../support/peers.js';
import { makePki } from '../support/pki.js';
import { withProcessEnv } from '../support/process-env.js';
import { sdkV3AccountThroughProfile } from '../support/sdk-profile.js';

const run = promisify(execFile);

const USER_CONFIG = `[default]
region = ap-south-1

[profile mine]
region = ap-southeast-2

[profile deploy]
role_arn = arn:aws:iam::999999999999:role/not-ours
source_profile = mine

[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = us-east-1

[services local]
sts =
  endpoint_url = http://127.0.0.1:9
`;

const USER_CREDENTIALS = `[mine]
aws_access_key_id = AKIAIOSFODNN7EXAMPLE
aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY

[audit]
aws_access_key_id = AKIAI44QH8DHBEXAMPLE
aws_secret_access_key = je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY
`;

const BOTOCORE = `
import json, sys, botocore.session
session = botocore.session.get_session()
config = session.full_config
profiles = config["profiles"]
print(json.dumps({
  "profiles": sorted(profiles),
  "deploy": sorted(profiles["deploy"]),
  "mine_region": profiles["mine"].get("region"),
  "sso_sessions": sorted(config.get("sso_sessions", {})),
  "services": sorted(config.get("services", {})),
  "mine_key": botocore.session.Session(profile="mine").get_credentials().access_key,
  "audit_key": botocore.session.Session(profile="audit").get_credentials().access_key,
}))
`;

describe('Action profile mode keeps the user profiles (in-process steps, three real readers)', function () {
  this.timeout(120_000);
  const pki = makePki({ subjectPrefix: 'user-profiles' });
  let emulator: RunningEmulator;
  let job: RunnerJob;
  const states: Record<string, string>[] = [];
  const warnings: string[] = [];
  const infos: string[] = [];

  before(async () => {
    emulator = await startEmulator({ cas: [pki.root.certPem], lifetimeMs: 115_000 });
    job = newJob();
    mkdirSync(join(job.home, '.aws'));
    writeFileSync(join(job.home, '.aws', 'config'), USER_CONFIG);
    writeFileSync(join(job.home, '.aws', 'credentials'), USER_CREDENTIALS);
    for (const profile of ['deploy', 'audit']) {
      const step = await runStepInProcess('main', job, emulatorInputs(emulator, pki, { 'aws-profile': profile }));
      assert.equal(step.exitCode, 0, step.stdout);
      states.push(step.state);
      warnings.push(...step.stdout.split('\n').filter((line) => line.startsWith('::warning')));
      infos.push(...step.stdout.split('\n').filter((line) => line.startsWith('Profile ')));
    }
  });
  after(() => emulator.stop());

  /** A later step's environment: only what the steps exported, over an isolated base. */
  const laterStep = () => ({ ...isolatedAwsEnv(job.home), ...job.env });

  it("exports the job's config and, for the clashing [audit], a job-scoped credentials file; warns once per clash", () => {
    assert.match(job.env.AWS_CONFIG_FILE ?? '', /runner-temp\/iamra\/aws-config$/);
    assert.match(job.env.AWS_SHARED_CREDENTIALS_FILE ?? '', /runner-temp\/iamra\/aws-credentials$/);
    assert.equal(job.env.AWS_PROFILE, 'audit');
    assert.equal(warnings.length, 2, warnings.join('\n'));
    assert.match(infos[0] ?? '', /^Profile deploy written to .*aws-config \(with the sections of .*\.aws\/config\);/);
    assert.match(infos[1] ?? '', /^Profile audit written to .*aws-config \(with the sections of .*aws-config\);/);
    assert.match(warnings[0] ?? '', /aws-profile deploy replaces the profile deploy of .*\.aws\/config/);
    assert.match(warnings[1] ?? '', /aws-profile audit replaces the profile audit of .*\.aws\/credentials/);
    assert.deepEqual(iniSectionNames(readFileSync(job.env.AWS_CONFIG_FILE ?? '', 'utf8')), [
      'default',
      'profile mine',
      'sso-session corp',
      'services local',
      'profile deploy',
      'profile audit',
    ]);
  });

  it('the AWS CLI v2 finds the user profile and runs ours where the names clash', async () => {
    const env = laterStep();
    const list = await run(peers.awsCli(), ['configure', 'list', '--profile', 'mine'], { env });
    // AWS_REGION (exported by the step) wins over the profile's region here, as it should.
    assert.match(list.stdout, /profile +mine +manual/);
    assert.match(list.stdout, /access_key +\*+MPLE +shared-credentials-file/);
    const region = await run(peers.awsCli(), ['configure', 'get', 'region', '--profile', 'mine'], { env });
    assert.equal(region.stdout.trim(), 'ap-southeast-2');
    for (const profile of ['deploy', 'audit']) {
      const { stdout } = await run(
        peers.awsCli(),
        [
          'sts',
          'get-caller-identity',
          '--profile',
          profile,
          '--endpoint-url',
          emulator.stsEndpoint,
          '--output',
          'json',
        ],
        { env },
      );
      assert.match((JSON.parse(stdout) as { Arn: string }).Arn, /assumed-role\/iamra-demo\//, profile);
    }
  });

  it('botocore reads every section: profiles, sso-session and services; static keys for mine, ours for audit', async () => {
    const { stdout } = await run(peers.python(), ['-c', BOTOCORE], { env: laterStep() });
    const seen = JSON.parse(stdout) as Record<string, unknown>;
    assert.deepEqual(seen.profiles, ['audit', 'default', 'deploy', 'mine']);
    assert.deepEqual(seen.deploy, ['credential_process', 'region'], 'our [profile deploy] replaced theirs wholly');
    assert.equal(seen.mine_region, 'ap-southeast-2');
    assert.deepEqual(seen.sso_sessions, ['corp']);
    assert.deepEqual(seen.services, ['local']);
    assert.equal(seen.mine_key, 'AKIAIOSFODNN7EXAMPLE');
    assert.match(String(seen.audit_key), /^ASIA/, 'not the static key of the user [audit]');
  });

  it('the SDK for JavaScript v3 (fromIni) reads the user profile and ours', async () => {
    const env = laterStep();
    const files = {
      AWS_CONFIG_FILE: env.AWS_CONFIG_FILE,
      AWS_SHARED_CREDENTIALS_FILE: env.AWS_SHARED_CREDENTIALS_FILE,
    };
    const mine = await withProcessEnv(files, () => fromIni({ profile: 'mine', ignoreCache: true })());
    assert.equal(mine.accessKeyId, 'AKIAIOSFODNN7EXAMPLE');
    assert.equal(await sdkV3AccountThroughProfile(env, 'audit', emulator.stsEndpoint), '123456789012');
    assert.equal(await sdkV3AccountThroughProfile(env, 'deploy', emulator.stsEndpoint), '123456789012');
  });

  it("the post steps remove ours (the user's sections stay until the last); HOME is as it was", async () => {
    const configFile = job.env.AWS_CONFIG_FILE ?? '';
    const audit = await runStepInProcess('post', job, {}, states[1]);
    assert.equal(audit.exitCode, 0);
    assert.deepEqual(iniSectionNames(readFileSync(configFile, 'utf8')), [
      'default',
      'profile mine',
      'sso-session corp',
      'services local',
      'profile deploy',
    ]);
    await runStepInProcess('post', job, {}, states[0]);
    assert.ok(!existsSync(join(job.runnerTemp, 'iamra')), 'the last post step removes the whole directory');
    assert.equal(readFileSync(join(job.home, '.aws', 'config'), 'utf8'), USER_CONFIG);
    assert.equal(readFileSync(join(job.home, '.aws', 'credentials'), 'utf8'), USER_CREDENTIALS);
  });
});
