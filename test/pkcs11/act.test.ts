/**
 * The committed action in a real runner (nektos/act, host mode) with its key on a SoftHSM2
 * token: a profile whose credential_process signs on the token serves the AWS CLI v2 and the SDK
 * v3, env mode signs there once; no key file is written, the post step removes the PIN file, and
 * act's log never shows the PIN.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type RunningEmulator, startEmulator } from '@iamra/emulator';
import { type ActRun, type ActWorkspace, actWorkspace, jobLog, runAct } from '../support/act.js';
import { repoRoot } from '../support/peers.js';
import { scanLog } from '../support/secret-scan.js';
import { makeSoftToken, type SoftToken, USER_PIN } from '../support/softhsm.js';

const actFixtures = join(repoRoot, 'test', 'action', 'act', 'fixtures');

interface Recorded {
  env: Record<string, string>;
  runnerTemp: string[];
}

describe('GitHub Action in a real runner (act) with keys on a PKCS#11 token', function () {
  this.timeout(240_000);
  let token: SoftToken;
  let emulator: RunningEmulator;
  let workspace: ActWorkspace;
  let act: ActRun;
  let sessions = 0;

  const read = (name: string): string => readFileSync(join(workspace.probeOut, name), 'utf8');
  const recorded = (name: string): Recorded => JSON.parse(read(name)) as Recorded;
  const callerArn = (name: string): string => (JSON.parse(read(name)) as { Arn: string }).Arn;

  before(async () => {
    token = makeSoftToken({ label: 'iamra-act' });
    emulator = await startEmulator({ cas: [token.pki.root.certPem], lifetimeMs: 230_000 });
    workspace = actWorkspace(
      {
        '.github/workflows/token.yml': readFileSync(
          join(repoRoot, 'test', 'pkcs11', 'fixtures', 'act-workflow.yml'),
          'utf8',
        ),
      },
      { 'test-fixtures': actFixtures },
    );
    const before = emulator.stats().createSessionOk;
    act = await runAct(workspace, {
      workflow: '.github/workflows/token.yml',
      secrets: {},
      vars: {
        TRUST_ANCHOR_ARN: emulator.trustAnchorArns[0] ?? '',
        PROFILE_ARN: emulator.profileArn,
        ROLE_ARN: emulator.roleArns[0] ?? '',
        ENDPOINT: emulator.endpoint,
        RSA_CERT_URI: token.rsa.certUri,
        RSA_KEY_URI: token.rsa.keyUri,
        EC_CERT_URI: token.ec.certUri,
        CHAIN_PATH: token.pki.intermediate.certPath,
        PKCS11_LIB: token.module,
        TOKEN_PIN: USER_PIN,
      },
      env: {
        AWS_ENDPOINT_URL_STS: emulator.stsEndpoint,
        AWS_EC2_METADATA_DISABLED: 'true',
        AWS_PAGER: '',
        ...token.env,
        NODE_PATH: join(repoRoot, 'node_modules'),
      },
      timeoutMs: 200_000,
    });
    sessions = emulator.stats().createSessionOk - before;
  });
  after(() => emulator?.stop());

  it('runs both jobs to success', () => {
    assert.equal(act.exitCode, 0, act.log);
    for (const job of ['token-profile', 'token-env']) {
      assert.match(jobLog(act.log, job), /🏁 {2}Job succeeded/, `${job}:\n${jobLog(act.log, job)}`);
    }
  });

  it('profile mode: no key file, a PIN file; the AWS CLI v2 and the SDK v3 get credentials the token signed for', () => {
    const { env, runnerTemp } = recorded('token-profile.env.json');
    assert.equal(env.AWS_PROFILE, 'hsm');
    assert.equal(env.AWS_ACCESS_KEY_ID, undefined);
    const ours = runnerTemp.filter((file) => file.startsWith('iamra/profiles/'));
    assert.deepEqual(ours.sort(), ['iamra/profiles/hsm/intermediates-1', 'iamra/profiles/hsm/pkcs11-pin']);
    assert.match(callerArn('token-profile.cli.json'), /assumed-role\/iamra-demo\//);
    assert.match(callerArn('token-profile.sdk.json'), /assumed-role\/iamra-demo\//);
  });

  it('env mode: the certificate URI alone signs with the key beside it, PIN from IAMRA_PKCS11_PIN', () => {
    const { env } = recorded('token-env.env.json');
    assert.match(env.AWS_ACCESS_KEY_ID ?? '', /^ASIA/);
    assert.match(callerArn('token-env.cli.json'), /assumed-role\/iamra-demo\//);
  });

  it("CreateSession three times: each step's, and the profile's refresh after its cache was dropped", () => {
    assert.equal(sessions, 3);
  });

  it("the post step removes the PIN file; act's log never shows the PIN", () => {
    for (const job of ['token-profile', 'token-env']) {
      const before = JSON.parse(read(`${job}.main.json`)) as { runnerTemp: string[] };
      const after = JSON.parse(read(`${job}.post.json`)) as { runnerTemp: string[] };
      assert.deepEqual(after.runnerTemp, before.runnerTemp, `${job}: RUNNER_TEMP as before the action`);
    }
    const problems = scanLog(act.log, [USER_PIN], { maskedValue: () => undefined, requireMasked: false });
    assert.deepEqual(problems, []);
    assert.ok(!act.log.includes(USER_PIN));
  });
});
