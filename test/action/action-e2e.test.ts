/**
 * The committed action bundle run as the runner runs it, under Node 24, against the emulator:
 * env mode and profile mode (two profiles, PKCS#12, encrypted key), then the AWS CLI with
 * exactly what was exported; failures; the post step; and a scan of every log.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { type RunningEmulator, startEmulator } from '@iamra/emulator';
import { filesUnder } from '../support/files.js';
import { type ActionRun, newJob, type RunnerJob, runActionStep } from '../support/github-runner.js';
import { ACTION_COMMANDS, injectedCommands } from '../support/log-commands.js';
import { isolatedAwsEnv, peers, repoRoot } from '../support/peers.js';
import { convertKey, makeCertificate, makePkcs12, makePki } from '../support/pki.js';
import { githubMask, scanLog } from '../support/secret-scan.js';

const run = promisify(execFile);

describe('GitHub Action end to end (Node 24, committed dist/)', function () {
  this.timeout(120_000);
  const node = peers.node24();
  const pki = makePki({ subjectPrefix: 'action' });
  let emulator: RunningEmulator;
  const logs: { log: string; secrets: string[] }[] = [];

  before(async () => {
    emulator = await startEmulator({ cas: [pki.root.certPem], lifetimeMs: 115_000 });
  });
  after(() => emulator.stop());

  const baseInputs = () => ({
    'trust-anchor-arn': emulator.trustAnchorArns[0] ?? '',
    'profile-arn': emulator.profileArn,
    'role-arn': emulator.roleArns[0] ?? '',
    'rolesanywhere-endpoint': emulator.endpoint,
  });

  function record(result: ActionRun, secrets: string[]): ActionRun {
    const credentialSecrets = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN']
      .map((name) => result.env[name])
      .filter((value): value is string => Boolean(value));
    logs.push({ log: result.stdout + result.stderr, secrets: [...secrets, ...credentialSecrets] });
    return result;
  }

  async function callerIdentity(job: RunnerJob): Promise<string> {
    const env = isolatedAwsEnv(job.home, job.env);
    // What the step exported wins over the isolation defaults, exactly as in later steps.
    Object.assign(env, job.env);
    const { stdout } = await run(
      peers.awsCli(),
      ['sts', 'get-caller-identity', '--endpoint-url', emulator.stsEndpoint, '--output', 'json'],
      {
        env,
      },
    );
    return (JSON.parse(stdout) as { Arn: string }).Arn;
  }

  it('a key given by path is masked line by line before other output; iamra runs from PATH in a later step', async () => {
    const job = newJob();
    const inputs = {
      ...baseInputs(),
      certificate: pki.rsaLeaf.certPath,
      'private-key': pki.rsaLeaf.keyPath,
      'certificate-chain': pki.intermediate.certPath,
    };
    const main = record(await runActionStep(node, 'main', job, inputs), [pki.rsaLeaf.keyPem]);
    assert.equal(main.exitCode, 0, main.stdout);
    const lines = main.stdout.split(/\r?\n/).filter(Boolean);
    const firstOther = lines.findIndex((line) => !line.startsWith('::add-mask::'));
    const masked = new Set(lines.slice(0, firstOther).map((line) => line.slice('::add-mask::'.length)));
    for (const line of pki.rsaLeaf.keyPem.split('\n').filter(Boolean)) assert.ok(masked.has(line.trim()));
    assert.deepEqual(main.path, [join(repoRoot, 'dist', 'cli')]);
    const later = { ...process.env, PATH: [...main.path, dirname(node), process.env.PATH].join(delimiter) };
    const { stdout } = await run('iamra', ['--version'], { env: later });
    assert.match(stdout, /\d+\.\d+\.\d+/);
  });

  it('env mode: exports credentials the AWS CLI uses, sets outputs and a summary; post cleans up', async () => {
    const job = newJob();
    const inputs = {
      ...baseInputs(),
      certificate: pki.ecLeaf.certPem,
      'private-key': pki.ecLeaf.keyPem,
      'certificate-chain': pki.intermediate.certPem,
      'output-credentials': 'true',
    };
    const main = record(await runActionStep(node, 'main', job, inputs), [pki.ecLeaf.keyPem]);
    assert.equal(main.exitCode, 0, main.stdout);
    assert.match(main.env.AWS_ACCESS_KEY_ID ?? '', /^ASIA/);
    assert.equal(main.env.AWS_REGION, 'us-east-1');
    assert.equal(main.env.AWS_DEFAULT_REGION, 'us-east-1');
    assert.equal(main.outputs['aws-account-id'], '123456789012');
    assert.match(main.outputs['assumed-role-arn'] ?? '', /assumed-role\/iamra-demo\//);
    assert.equal(main.outputs['source-identity'], 'CN=action ec leaf');
    assert.equal(main.outputs['aws-secret-access-key'], main.env.AWS_SECRET_ACCESS_KEY);
    assert.match(main.summary, /\| Source identity \| CN\\=action ec leaf \|/);
    assert.ok(!main.summary.includes(main.env.AWS_SECRET_ACCESS_KEY ?? 'none'));
    assert.match(await callerIdentity(job), /assumed-role\/iamra-demo/);
    const post = record(await runActionStep(node, 'post', job, inputs, main.state), []);
    assert.equal(post.exitCode, 0);
    assert.deepEqual(filesUnder(job.runnerTemp), []);
    assert.deepEqual(readdirSync(job.home), [], 'nothing written under HOME');
  });

  it('profile mode: two profiles (encrypted key, PKCS#12) in one config that renews itself; post removes every file', async () => {
    const job = newJob();
    const passphrase = 'key passphrase with spaces';
    const p12Password = 'p12-password';
    const first = {
      ...baseInputs(),
      certificate: pki.rsaLeaf.certPem,
      'private-key': convertKey(pki.rsaLeaf.key, ['-aes256'], passphrase).toString(),
      'private-key-passphrase': passphrase,
      'certificate-chain': pki.intermediate.certPem,
      'aws-profile': 'first',
    };
    const pkcs12 = makePkcs12(pki.ecLeaf, { password: p12Password, extraCerts: [pki.intermediate] }).toString('base64');
    const second = { ...baseInputs(), pkcs12, 'pkcs12-password': p12Password, 'aws-profile': 'second' };
    const mainOne = record(await runActionStep(node, 'main', job, first), [first['private-key'], passphrase]);
    assert.equal(mainOne.exitCode, 0, mainOne.stdout);
    const mainTwo = record(await runActionStep(node, 'main', job, second), [pkcs12, p12Password]);
    assert.equal(mainTwo.exitCode, 0, mainTwo.stdout);
    assert.equal(job.env.AWS_PROFILE, 'second');
    assert.equal(job.env.AWS_ACCESS_KEY_ID, undefined, 'profile mode exports no static credentials');
    const configFile = job.env.AWS_CONFIG_FILE ?? '';
    assert.ok(configFile.startsWith(job.runnerTemp));
    const keyFiles = filesUnder(join(job.runnerTemp, 'iamra', 'profiles'));
    assert.ok(keyFiles.length >= 4);
    for (const file of keyFiles) assert.equal(statSync(file).mode & 0o777, 0o600, file);

    const before = emulator.stats().createSession;
    assert.match(await callerIdentity(job), /assumed-role\/iamra-demo/);
    job.env.AWS_PROFILE = 'first';
    assert.match(await callerIdentity(job), /assumed-role\/iamra-demo/);
    assert.match(await callerIdentity(job), /assumed-role\/iamra-demo/);
    assert.equal(emulator.stats().createSession - before, 0, 'each step primed its profile cache: no CreateSession');

    const postTwo = record(await runActionStep(node, 'post', job, second, mainTwo.state), []);
    const postOne = record(await runActionStep(node, 'post', job, first, mainOne.state), []);
    assert.equal(postTwo.exitCode + postOne.exitCode, 0);
    assert.deepEqual(filesUnder(job.runnerTemp), [], 'every file the steps wrote is gone');
    const again = await runActionStep(node, 'post', job, first, mainOne.state);
    assert.equal(again.exitCode, 0, 'post is idempotent');
    assert.deepEqual(readdirSync(job.home), []);
  });

  it('a certificate problem is one error annotation with its code, and post still cleans up', async () => {
    const job = newJob();
    const expired = makeCertificate({
      key: 'p256',
      issuer: pki.intermediate,
      subject: '/CN=old',
      notBefore: new Date('2020-01-01'),
      notAfter: new Date('2021-01-01'),
    });
    const inputs = { ...baseInputs(), certificate: expired.certPem, 'private-key': expired.keyPem, 'aws-profile': 'x' };
    const main = record(await runActionStep(node, 'main', job, inputs), [expired.keyPem]);
    assert.equal(main.exitCode, 1);
    const errors = main.stdout.split('\n').filter((line) => line.startsWith('::error'));
    assert.equal(errors.length, 1);
    assert.match(errors[0] ?? '', /^::error title=iamra::CERT_EXPIRED: certificate "CN=old" expired on 2021-01-01/);
    const post = await runActionStep(node, 'post', job, inputs, main.state);
    assert.equal(post.exitCode, 0);
    assert.deepEqual(filesUnder(job.runnerTemp), []);
  });

  it('a denial by the service is one error annotation', async () => {
    const job = newJob();
    const inputs = {
      ...baseInputs(),
      certificate: pki.rsaLeaf.certPem,
      'private-key': pki.rsaLeaf.keyPem,
      'role-arn': 'arn:aws:iam::123456789012:role/other',
    };
    const main = record(await runActionStep(node, 'main', job, inputs), [pki.rsaLeaf.keyPem]);
    assert.equal(main.exitCode, 1);
    assert.match(
      main.stdout,
      /::error title=iamra::CREATE_SESSION_DENIED: CreateSession failed: AccessDeniedException/,
    );
  });

  it('warns when the certificate expires within 30 days', async () => {
    const job = newJob();
    const soon = makeCertificate({
      key: 'p256',
      issuer: pki.intermediate,
      subject: '/CN=soon',
      notAfter: new Date(Date.now() + 5 * 86_400_000),
    });
    const inputs = {
      ...baseInputs(),
      certificate: soon.certPem,
      'private-key': soon.keyPem,
      'certificate-chain': pki.intermediate.certPem,
    };
    const main = record(await runActionStep(node, 'main', job, inputs), [soon.keyPem]);
    assert.equal(main.exitCode, 0, main.stdout);
    assert.match(main.stdout, /::warning title=iamra::CERT_EXPIRES_SOON: /);
  });

  it('a certificate CN holding runner and agent commands is printed as text, never run', async () => {
    const job = newJob();
    const hostile = makeCertificate({
      key: 'p256',
      issuer: pki.intermediate,
      subject: '/CN=ci ##vso[task.prependpath]\\/x ##[warning]spoof',
    });
    const inputs = {
      ...baseInputs(),
      certificate: hostile.certPem,
      'private-key': hostile.keyPem,
      'certificate-chain': pki.intermediate.certPem,
    };
    const main = record(await runActionStep(node, 'main', job, inputs), [hostile.keyPem]);
    assert.equal(main.exitCode, 0, main.stdout);
    assert.deepEqual(injectedCommands(main.stdout + main.stderr, ACTION_COMMANDS), []);
    assert.match(main.stdout, /^Assumed \S+ as CN=ci \*\*vso\[task\.prependpath\]\/x \*\*\[warning\]spoof until /m);
    assert.match(main.summary, /\| Source identity \| CN\\=ci \\\*\\\*vso\\\[task\\\.prependpath/);
    assert.deepEqual(injectedCommands(main.summary), []);
    assert.equal(
      main.outputs['source-identity'],
      'CN=ci ##vso[task.prependpath]/x ##[warning]spoof',
      'outputs keep the value',
    );
  });

  it('an expired certificate whose CN holds commands fails with one neutral error annotation', async () => {
    const job = newJob();
    const expired = makeCertificate({
      key: 'p256',
      issuer: pki.intermediate,
      subject: '/CN=::error::x ##vso[task.setvariable variable=AWS_PROFILE]pwned',
      notBefore: new Date('2020-01-01'),
      notAfter: new Date('2021-01-01'),
    });
    const inputs = { ...baseInputs(), certificate: expired.certPem, 'private-key': expired.keyPem };
    const main = record(await runActionStep(node, 'main', job, inputs), [expired.keyPem]);
    assert.equal(main.exitCode, 1);
    assert.match(main.stdout, /^::error title=iamra::CERT_EXPIRED: .*\*\*vso\[task\.setvariable/m);
    assert.deepEqual(injectedCommands(main.stdout + main.stderr, ACTION_COMMANDS), []);
  });

  it('logs: no secret or key line appears unmasked, and each mask comes first', () => {
    assert.ok(logs.length >= 8);
    for (const { log, secrets } of logs) assert.deepEqual(scanLog(log, secrets, { maskedValue: githubMask }), []);
  });
});

describe('the log scanner', () => {
  it('finds a leaked key line, a secret before its mask, and a secret never masked', () => {
    const key =
      '-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg\n-----END PRIVATE KEY-----';
    const leaked = scanLog(`hello\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg\n`, [key], {
      maskedValue: githubMask,
    });
    assert.ok(leaked.some((p) => p.includes('before or without its mask')));
    assert.ok(leaked.some((p) => p.includes('never masked')));
    const late = scanLog('secret-value-123\n::add-mask::secret-value-123\n', ['secret-value-123'], {
      maskedValue: githubMask,
    });
    assert.equal(late.length, 1);
    const clean = scanLog('::add-mask::secret-value-123\nall good\n', ['secret-value-123'], {
      maskedValue: githubMask,
    });
    assert.deepEqual(clean, []);
  });
});
