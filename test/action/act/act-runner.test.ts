/**
 * The committed action in a real runner: nektos/act in host mode runs
 * fixtures/workflow.yml (three jobs, `uses: ./`) against the emulator this test starts, then
 * the test reads what the workflow's own steps recorded (outputs, exported variables, the AWS
 * CLI v2's and the SDK v3's answers), the job summary act received, and what the probe (whose post step runs
 * after the action's) found left in RUNNER_TEMP and HOME. act's log is scanned for secrets.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type RunningEmulator, startEmulator } from '@iamra/emulator';
import { type ActRun, type ActWorkspace, actWorkspace, jobLog, jobSummary, runAct } from '../../support/act.js';
import { type HostileServer, startHostileServer } from '../../support/hostile-server.js';
import { repoRoot } from '../../support/peers.js';
import { convertKey, makePkcs12, makePki } from '../../support/pki.js';
import { scanLog } from '../../support/secret-scan.js';

const fixtures = join(repoRoot, 'test', 'action', 'act', 'fixtures');

/** What record.cjs saw in a later step. */
interface Recorded {
  env: Record<string, string>;
  path: string;
  home: string;
  runnerTemp: string[];
}

/** What the probe found at its main step and at its post step (after the action's post). */
interface Listing {
  runnerTemp: string[];
  home: string[];
}

/** [profile first] would assume another role from mine's static keys: the job's `first` must replace it. */
const USER_CONFIG = `[profile mine]
region = ap-southeast-2

[profile first]
role_arn = arn:aws:iam::999999999999:role/not-ours
source_profile = mine

[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = us-east-1
`;

/** [second]'s static keys would win over a config's credential_process: the job's copy leaves it out. */
const USER_CREDENTIALS = `[mine]
aws_access_key_id = AKIAIOSFODNN7EXAMPLE
aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY

[second]
aws_access_key_id = AKIAI44QH8DHBEXAMPLE
aws_secret_access_key = je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY
`;

describe('GitHub Action in a real runner (nektos/act, host mode)', function () {
  this.timeout(240_000);
  const pki = makePki({ subjectPrefix: 'act' });
  const passphrase = 'key passphrase with spaces';
  const pkcs12Password = 'pkcs12 password-42';
  const encryptedKey = convertKey(pki.rsaLeaf.key, ['-aes256'], passphrase).toString();
  const pkcs12 = makePkcs12(pki.ecLeaf, { password: pkcs12Password, extraCerts: [pki.intermediate] }).toString(
    'base64',
  );
  let emulator: RunningEmulator;
  let hanging: HostileServer;
  let workspace: ActWorkspace;
  let act: ActRun;

  const read = (name: string): string => readFileSync(join(workspace.probeOut, name), 'utf8');
  const recorded = (name: string): Recorded => JSON.parse(read(name)) as Recorded;
  const listing = (name: string): Listing => JSON.parse(read(name)) as Listing;
  const callerArn = (name: string): string => (JSON.parse(read(name)) as { Arn: string }).Arn;

  before(async () => {
    emulator = await startEmulator({ cas: [pki.root.certPem] });
    hanging = await startHostileServer(() => {});
    workspace = actWorkspace(
      { '.github/workflows/iamra.yml': readFileSync(join(fixtures, 'workflow.yml'), 'utf8') },
      { 'test-fixtures': fixtures },
    );
    // A self-hosted runner's user with profiles of their own, two of them named as the job's.
    mkdirSync(join(workspace.userHome, '.aws'));
    writeFileSync(join(workspace.userHome, '.aws', 'config'), USER_CONFIG);
    writeFileSync(join(workspace.userHome, '.aws', 'credentials'), USER_CREDENTIALS);
    act = await runAct(workspace, {
      workflow: '.github/workflows/iamra.yml',
      secrets: {
        EC_CERTIFICATE: pki.ecLeaf.certPem,
        EC_PRIVATE_KEY: pki.ecLeaf.keyPem,
        RSA_CERTIFICATE: pki.rsaLeaf.certPem,
        RSA_ENCRYPTED_KEY: encryptedKey,
        CHAIN: pki.intermediate.certPem,
        PKCS12_BASE64: pkcs12,
      },
      vars: {
        TRUST_ANCHOR_ARN: emulator.trustAnchorArns[0] ?? '',
        PROFILE_ARN: emulator.profileArn,
        ROLE_ARN: emulator.roleArns[0] ?? '',
        ENDPOINT: emulator.endpoint,
        HANGING_ENDPOINT: hanging.endpoint,
        KEY_PASSPHRASE: passphrase,
        PKCS12_PASSWORD: pkcs12Password,
      },
      env: {
        AWS_ENDPOINT_URL_STS: emulator.stsEndpoint,
        AWS_EC2_METADATA_DISABLED: 'true',
        AWS_PAGER: '',
      },
      timeoutMs: 200_000,
    });
  });
  after(async () => {
    await emulator?.stop();
    await hanging?.stop();
  });

  it('runs every job to success (the failing input is contained by continue-on-error)', () => {
    assert.equal(act.exitCode, 0, act.log);
    for (const job of ['env-mode', 'profile-mode', 'failing-input', 'timeout']) {
      assert.match(jobLog(act.log, job), /🏁 {2}Job succeeded/, `${job}:\n${jobLog(act.log, job)}`);
    }
  });

  it('env mode: outputs reach a later step through steps.<id>.outputs.*', () => {
    const { env } = recorded('env-mode.env.json');
    assert.equal(env.OUT_ACCOUNT, '123456789012');
    assert.match(env.OUT_ROLE ?? '', /^arn:aws:sts::123456789012:assumed-role\/iamra-demo\//);
    assert.equal(env.OUT_AUTHENTICATED, env.OUT_ROLE, "authenticated-arn, configure-aws-credentials' name");
    assert.equal(env.OUT_SOURCE, 'CN=act ec leaf');
    assert.ok(Date.parse(env.OUT_EXPIRATION ?? '') > Date.now());
    assert.equal(env.OUT_SERIAL, pki.ecLeaf.serialHex.replace(/^0+/, ''));
    assert.equal(env.OUT_SECRET, env.AWS_SECRET_ACCESS_KEY);
  });

  it('env mode: no-proxy took the step around a proxy that refuses every connection (NO_PROXY named another host)', () => {
    assert.match(recorded('env-mode.env.json').env.AWS_ACCESS_KEY_ID ?? '', /^ASIA/);
  });

  it('action-timeout-s: a step whose endpoint never answers fails at the bound with one line and exports nothing', () => {
    const errors = jobLog(act.log, 'timeout')
      .split('\n')
      .filter((line) => line.includes('::error'));
    assert.equal(errors.length, 1, jobLog(act.log, 'timeout'));
    assert.match(
      errors[0] ?? '',
      /::error title=iamra::TIMEOUT: the step did not finish within action-timeout-s \(2 s\)/,
    );
    assert.ok(hanging.requests >= 1, 'the step did reach the hanging endpoint');
    const { env } = recorded('timeout.env.json');
    assert.equal(env.OUT_OUTCOME, 'failure');
    for (const name of ['AWS_ACCESS_KEY_ID', 'AWS_PROFILE', 'AWS_CONFIG_FILE', 'AWS_REGION']) {
      assert.equal(env[name], undefined, name);
    }
  });

  it('env mode: the AWS CLI v2 and the SDK v3 work with only what the step exported', () => {
    const { env } = recorded('env-mode.env.json');
    assert.match(env.AWS_ACCESS_KEY_ID ?? '', /^ASIA/);
    // aws-region is only what later steps get: CreateSession still went to the anchor's us-east-1.
    assert.equal(env.AWS_REGION, 'eu-west-2');
    assert.equal(env.AWS_DEFAULT_REGION, 'eu-west-2');
    assert.match(callerArn('env-mode.cli.json'), /assumed-role\/iamra-demo\//);
    assert.match(callerArn('env-mode.sdk.json'), /assumed-role\/iamra-demo\//);
  });

  it('env mode: the job summary names the identity and holds no secret', () => {
    const summary = jobSummary(act.log, 'env-mode');
    const { env } = recorded('env-mode.env.json');
    assert.match(summary, /### IAM Roles Anywhere credentials/);
    // Markdown escapes untrusted text; a reader sees it with CommonMark's backslash escapes removed.
    const rendered = summary.replace(/\\([!-/:-@[-`{-~])/g, '$1');
    assert.match(rendered, /\| Source identity \| CN=act ec leaf \|/);
    for (const name of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN']) {
      assert.ok(!summary.includes(env[name] ?? 'unset'), name);
    }
  });

  it('profile mode: three profiles (encrypted key, PKCS#12 with a password, one leaving AWS_PROFILE alone) serve the AWS CLI and the SDK', () => {
    const { env } = recorded('profile-mode.env.json');
    assert.equal(env.AWS_PROFILE, 'second');
    assert.equal(env.AWS_SDK_LOAD_CONFIG, '1', 'the JavaScript SDK v2 reads the profile only with it');
    assert.equal(env.AWS_ACCESS_KEY_ID, undefined, 'profile mode exports no static credentials');
    assert.match(env.AWS_CONFIG_FILE ?? '', /\/iamra\//);
    assert.match(callerArn('profile-mode.cli-first.json'), /assumed-role\/iamra-demo\//);
    // third had output-env-credentials: false: usable by name, AWS_PROFILE still second's.
    assert.match(callerArn('profile-mode.cli-third.json'), /assumed-role\/iamra-demo\//);
    assert.match(callerArn('profile-mode.cli.json'), /assumed-role\/iamra-demo\//);
    assert.match(callerArn('profile-mode.sdk.json'), /assumed-role\/iamra-demo\//);
  });

  it("profile mode keeps the user's profiles from HOME/.aws; the job's win where the names clash", () => {
    const { env } = recorded('profile-mode.env.json');
    assert.match(env.AWS_SHARED_CREDENTIALS_FILE ?? '', /\/iamra\/aws-credentials$/, 'a copy without [second]');
    assert.equal(read('profile-mode.user-region.txt').trim(), 'ap-southeast-2');
    assert.match(read('profile-mode.user-list.txt'), /access_key +\*+MPLE +shared-credentials-file/);
    // `first` and `second` above reached the emulator: the user's role_arn and static keys would not have.
    const log = jobLog(act.log, 'profile-mode');
    assert.match(log, /aws-profile first replaces the profile first of .*\.aws\/config/);
    assert.match(log, /aws-profile second replaces the profile second of .*\.aws\/credentials/);
    assert.equal(readFileSync(join(workspace.userHome, '.aws', 'config'), 'utf8'), USER_CONFIG);
    assert.equal(readFileSync(join(workspace.userHome, '.aws', 'credentials'), 'utf8'), USER_CREDENTIALS);
  });

  it('a failing input is one error annotation in the log; the step fails and exports nothing', () => {
    const log = jobLog(act.log, 'failing-input');
    const errors = log.split('\n').filter((line) => line.includes('::error'));
    assert.equal(errors.length, 1, log);
    assert.match(errors[0] ?? '', /::error title=iamra::DURATION_INVALID: /);
    const { env } = recorded('failing-input.env.json');
    assert.equal(env.OUT_OUTCOME, 'failure');
    for (const name of ['AWS_ACCESS_KEY_ID', 'AWS_PROFILE', 'AWS_CONFIG_FILE', 'AWS_REGION']) {
      assert.equal(env[name], undefined, name);
    }
  });

  it('the post step removes every file the action wrote; nothing is written under HOME', () => {
    const during = recorded('profile-mode.env.json');
    assert.equal(during.home, workspace.userHome, 'steps see the HOME the test gave them');
    assert.ok(during.runnerTemp.filter((file) => file.startsWith('iamra/')).length >= 5, 'key files, config, cache');
    for (const job of ['env-mode', 'profile-mode', 'failing-input', 'timeout']) {
      assert.ok(existsSync(join(workspace.probeOut, `${job}.post.json`)), `${job}: the probe's post step ran`);
      const before = listing(`${job}.main.json`);
      const after = listing(`${job}.post.json`);
      assert.deepEqual(after.runnerTemp, before.runnerTemp, `${job}: RUNNER_TEMP as before the action`);
      assert.deepEqual(after.home, before.home, `${job}: HOME untouched`);
    }
  });

  it("act's log shows no key line, passphrase, PKCS#12, secret key or session token", () => {
    const credentials = ['env-mode.env.json', 'profile-mode.env.json'].flatMap((file) => {
      const { env } = recorded(file);
      return [env.AWS_ACCESS_KEY_ID, env.AWS_SECRET_ACCESS_KEY, env.AWS_SESSION_TOKEN].filter(
        (value): value is string => Boolean(value),
      );
    });
    assert.ok(credentials.length >= 3);
    const secrets = [pki.ecLeaf.keyPem, encryptedKey, passphrase, pkcs12, pkcs12Password, ...credentials];
    // The runner replaces masked values with ***: any appearance at all is a leak.
    const problems = scanLog(act.log, secrets, { maskedValue: () => undefined, requireMasked: false });
    assert.deepEqual(problems, []);
  });
});
