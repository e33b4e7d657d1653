/**
 * The Action on a self-hosted runner with its key on a PKCS#11 token (SoftHSM2): pkcs11: URIs in
 * the certificate and private-key inputs, pkcs11-lib, the PIN from pkcs11-pin or IAMRA_PKCS11_PIN.
 * In-process (the sources, whose profile runs the CLI's sources), then the committed bundle under
 * Node 24; in both the AWS CLI refreshes through the profile, which signs on the token. No log
 * holds the PIN.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type RunningEmulator, startEmulator } from '@iamra/emulator';
import { runStepInProcess } from '../support/action-in-process.js';
import { filesUnder } from '../support/files.js';
import { newJob, type RunnerJob, runActionStep } from '../support/github-runner.js';
import { isolatedAwsEnv, peers, repoRoot } from '../support/peers.js';
import { withProcessEnv } from '../support/process-env.js';
import { githubMask, scanLog } from '../support/secret-scan.js';
import { makeSoftToken, type SoftToken, USER_PIN } from '../support/softhsm.js';

const run = promisify(execFile);

interface InProcessRun {
  exitCode: number;
  stdout: string;
  env: Record<string, string>;
  job: RunnerJob;
}

describe('GitHub Action with keys on a PKCS#11 token (SoftHSM2)', function () {
  this.timeout(180_000);
  let token: SoftToken;
  let emulator: RunningEmulator;
  const logs: string[] = [];

  before(async () => {
    token = makeSoftToken({ label: 'iamra-action' });
    emulator = await startEmulator({ cas: [token.pki.root.certPem], lifetimeMs: 175_000 });
  });
  after(async () => {
    await emulator.stop();
    const problems = logs.flatMap((log) => scanLog(log, [USER_PIN], { maskedValue: githubMask, requireMasked: false }));
    assert.deepEqual(problems, [], 'the PIN appeared in a log');
  });

  const baseInputs = () => ({
    'trust-anchor-arn': emulator.trustAnchorArns[0] ?? '',
    'profile-arn': emulator.profileArn,
    'role-arn': emulator.roleArns[0] ?? '',
    'rolesanywhere-endpoint': emulator.endpoint,
    'certificate-chain': token.pki.intermediate.certPath,
    'pkcs11-lib': token.module,
  });

  /** The main step in this process (the sources; a profile runs the CLI's sources), on a fresh job. */
  async function inProcess(
    inputs: Record<string, string>,
    extraEnv: Record<string, string> = {},
  ): Promise<InProcessRun> {
    const job = newJob();
    Object.assign(job.env, extraEnv);
    const result = await withProcessEnv(token.env, () => runStepInProcess('main', job, inputs));
    logs.push(result.stdout);
    return { exitCode: result.exitCode, stdout: result.stdout, env: result.env, job };
  }

  async function callerArn(job: RunnerJob): Promise<string> {
    const env = { ...isolatedAwsEnv(job.home, job.env), ...job.env, ...token.env };
    const { stdout, stderr } = await run(
      peers.awsCli(),
      ['sts', 'get-caller-identity', '--endpoint-url', emulator.stsEndpoint, '--output', 'json'],
      { env },
    );
    logs.push(stdout + stderr);
    return (JSON.parse(stdout) as { Arn: string }).Arn;
  }

  const firstLines = (stdout: string) => {
    const lines = stdout.split('\n').filter(Boolean);
    const firstOther = lines.findIndex((line) => !line.startsWith('::add-mask::'));
    return { masked: lines.slice(0, firstOther).map((line) => githubMask(line)), rest: lines.slice(firstOther) };
  };

  it('env mode: certificate and RSA key on the token, PIN from pkcs11-pin, masked before any other output', async () => {
    const before = emulator.stats().createSessionOk;
    const result = await inProcess({
      ...baseInputs(),
      certificate: token.rsa.certUri,
      'private-key': token.rsa.keyUri,
      'pkcs11-pin': USER_PIN,
    });
    assert.equal(result.exitCode, 0, result.stdout);
    assert.equal(emulator.stats().createSessionOk - before, 1);
    assert.match(result.env.AWS_ACCESS_KEY_ID ?? '', /^ASIA/);
    const { masked, rest } = firstLines(result.stdout);
    assert.ok(masked.includes(USER_PIN), 'the PIN is masked first');
    assert.ok(!masked.includes(token.rsa.keyUri), 'a URI is not a secret: errors can name it');
    assert.ok(rest.every((line) => !line.includes(USER_PIN)));
  });

  it('profile mode: no key file; the profile names the token URI, the module and a 0600 PIN file; the AWS CLI v2 refreshes through it', async () => {
    const result = await inProcess(
      { ...baseInputs(), certificate: token.ec.certUri, 'aws-profile': 'hsm' },
      { IAMRA_PKCS11_PIN: USER_PIN },
    );
    assert.equal(result.exitCode, 0, result.stdout);
    assert.ok(firstLines(result.stdout).masked.includes(USER_PIN), 'IAMRA_PKCS11_PIN is masked too');
    const config = readFileSync(result.env.AWS_CONFIG_FILE ?? '', 'utf8');
    const profileDir = join(result.env.AWS_CONFIG_FILE ?? '', '..', 'profiles', 'hsm');
    assert.deepEqual(readdirSync(profileDir).sort(), ['intermediates-1', 'pkcs11-pin']);
    const pinFile = join(profileDir, 'pkcs11-pin');
    assert.equal(readFileSync(pinFile, 'utf8'), USER_PIN);
    assert.equal(statSync(pinFile).mode & 0o777, 0o600);
    assert.ok(config.includes(`${token.ec.certUri}?pin-source=file:${pinFile}`), config);
    assert.ok(config.includes(`--pkcs11-lib ${token.module}`), config);
    assert.ok(!config.includes(USER_PIN), 'no PIN in the config file');
    assert.ok(!/--private-key/.test(config), 'the key beside the certificate: no key flag, no key file');
    // The profile's own refresh (the CLI's sources) signs on the token once the primed entry is gone.
    rmSync(join(result.job.runnerTemp, 'iamra', 'cache'), { recursive: true, force: true });
    const before = emulator.stats().createSessionOk;
    assert.match(await callerArn(result.job), /assumed-role\/iamra-demo\//);
    assert.equal(emulator.stats().createSessionOk - before, 1);
  });

  it('a pin-value in a URI is masked and moves to the PIN file; a wrong PIN is one error line without it', async () => {
    const withPin = `${token.rsa.keyUri}?pin-value=${USER_PIN}`;
    const ok = await inProcess({
      ...baseInputs(),
      certificate: token.rsa.certPath,
      'private-key': withPin,
      'aws-profile': 'pinvalue',
    });
    assert.equal(ok.exitCode, 0, ok.stdout);
    assert.ok(firstLines(ok.stdout).masked.includes(USER_PIN));
    const config = readFileSync(ok.env.AWS_CONFIG_FILE ?? '', 'utf8');
    assert.ok(!config.includes('pin-value') && !config.includes(USER_PIN), config);
    assert.match(config, /--private-key '?pkcs11:token=iamra-action;object=rsa-key;type=private\?pin-source=file:/);

    const wrong = await inProcess({
      ...baseInputs(),
      certificate: token.rsa.certUri,
      'pkcs11-pin': 'wrong-pin-31337',
    });
    assert.equal(wrong.exitCode, 1);
    const errors = wrong.stdout.split('\n').filter((line) => line.startsWith('::error'));
    assert.equal(errors.length, 1);
    assert.match(errors[0] ?? '', /PKCS11_PIN_WRONG: the token refused the PIN \(it is not shown\)/);
    assert.ok(!errors[0]?.includes('wrong-pin-31337'));
  });

  it('token inputs without a pkcs11: URI, or beside pkcs12, are refused before anything opens', async () => {
    const lone = await inProcess({ ...baseInputs(), certificate: token.rsa.certPath, 'pkcs11-pin': USER_PIN });
    assert.equal(lone.exitCode, 1);
    assert.match(
      lone.stdout,
      /::error title=iamra::CONFIG_INVALID: inputs pkcs11-lib, pkcs11-pin and pkcs11-reuse-pin need a pkcs11: URI/,
    );
    const both = await inProcess({ ...baseInputs(), certificate: token.rsa.certUri, pkcs12: '/nonexistent.p12' });
    assert.match(
      both.stdout,
      /CONFIG_INVALID: give either a pkcs11: URI \(certificate, private-key\) or pkcs12, not both/,
    );
  });

  describe('the committed bundle (Node 24) and the AWS CLI refreshing through the token', () => {
    let job: RunnerJob;
    const node = peers.node24();

    before(() => {
      job = newJob();
      // What a self-hosted runner's job sets: the module's configuration, and where pkcs11js is.
      Object.assign(job.env, token.env, { NODE_PATH: join(repoRoot, 'node_modules') });
    });

    it('profile mode: the AWS CLI v2 gets credentials that a refresh signed on the token; post removes the PIN file', async () => {
      const inputs = {
        ...baseInputs(),
        certificate: token.rsa.certUri,
        'private-key': token.rsa.keyUri,
        'pkcs11-pin': USER_PIN,
        'aws-profile': 'token',
      };
      const main = await runActionStep(node, 'main', job, inputs);
      logs.push(main.stdout + main.stderr);
      assert.equal(main.exitCode, 0, main.stdout + main.stderr);
      // The step primed the profile's cache under the key the CLI computes for the token URIs.
      let before = emulator.stats().createSessionOk;
      assert.match(await callerArn(job), /assumed-role\/iamra-demo\//);
      assert.equal(emulator.stats().createSessionOk - before, 0, 'the primed entry served the first call');
      // Without it, the profile's own refresh signs on the token.
      rmSync(join(job.runnerTemp, 'iamra', 'cache'), { recursive: true, force: true });
      before = emulator.stats().createSessionOk;
      assert.match(await callerArn(job), /assumed-role\/iamra-demo\//);
      assert.equal(emulator.stats().createSessionOk - before, 1, 'one CreateSession, signed on the token');
      const post = await runActionStep(node, 'post', job, inputs, main.state);
      logs.push(post.stdout + post.stderr);
      assert.equal(post.exitCode, 0);
      assert.deepEqual(filesUnder(job.runnerTemp), [], 'the PIN file and the profile are gone');
    });
  });
});
