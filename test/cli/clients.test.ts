/**
 * Real clients through a credential_process profile that runs our CLI, against the emulator:
 * the AWS CLI v2, botocore and the AWS SDK v3 (fromProcess and fromRolesAnywhere). Then the
 * cache at work: 20 consecutive AWS CLI calls and 10 parallel ones each make one CreateSession.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { fromProcess } from '@aws-sdk/credential-providers';
import { buildCommandLine, fromRolesAnywhere } from '@iamra/core';
import { type RunningEmulator, startEmulator } from '@iamra/emulator';
import { emulatorFlags } from '../support/emulator-process.js';
import { isolatedAwsEnv, peers, repoRoot } from '../support/peers.js';
import { leafFlags, makePki, testDir } from '../support/pki.js';
import { withProcessEnv } from '../support/process-env.js';

const run = promisify(execFile);
const bin = join(repoRoot, 'packages', 'cli', 'bin', 'iamra.js');

describe('CLI with real clients', function () {
  this.timeout(180_000);
  const pki = makePki({ subjectPrefix: 'clients' });
  let emulator: RunningEmulator;
  let home: string;

  before(async () => {
    emulator = await startEmulator({ cas: [pki.root.certPem], lifetimeMs: 175_000 });
  });
  after(() => emulator.stop());

  /** A fresh AWS config whose default profile runs `iamra credential-process` with its own cache. */
  function profile(extra: string[] = []): { env: Record<string, string>; cacheDir: string } {
    home = testDir();
    const cacheDir = join(home, 'cache');
    const command = buildCommandLine([
      process.execPath,
      bin,
      'credential-process',
      ...leafFlags(pki.ecLeaf, pki.intermediate),
      ...emulatorFlags(emulator),
      '--cache-dir',
      cacheDir,
      ...extra,
    ]);
    const config = join(home, 'config');
    writeFileSync(config, `[default]\nregion = us-east-1\ncredential_process = ${command}\n`);
    return { env: isolatedAwsEnv(home, { AWS_CONFIG_FILE: config }), cacheDir };
  }

  const awsCall = (env: Record<string, string>) =>
    run(peers.awsCli(), ['sts', 'get-caller-identity', '--endpoint-url', emulator.stsEndpoint, '--output', 'json'], {
      env,
    });

  it('the AWS CLI v2 calls sts get-caller-identity', async () => {
    const { env } = profile();
    const { stdout } = await awsCall(env);
    assert.match((JSON.parse(stdout) as { Arn: string }).Arn, /^arn:aws:sts::123456789012:assumed-role\/iamra-demo\//);
  });

  it('botocore calls GetCallerIdentity', async () => {
    const { env } = profile();
    const script = [
      'import botocore.session, sys',
      'session = botocore.session.get_session()',
      `client = session.create_client("sts", region_name="us-east-1", endpoint_url="${emulator.stsEndpoint}")`,
      'print(client.get_caller_identity()["Arn"])',
    ].join('\n');
    const { stdout } = await run(peers.python(), ['-c', script], { env });
    assert.match(stdout, /^arn:aws:sts::123456789012:assumed-role\/iamra-demo\//);
  });

  it('the AWS SDK v3 calls GetCallerIdentity through fromProcess', async () => {
    const { env } = profile();
    await withProcessEnv(
      {
        AWS_CONFIG_FILE: env.AWS_CONFIG_FILE,
        AWS_SHARED_CREDENTIALS_FILE: env.AWS_SHARED_CREDENTIALS_FILE,
      },
      async () => {
        const client = new STSClient({
          region: 'us-east-1',
          endpoint: emulator.stsEndpoint,
          credentials: fromProcess({ profile: 'default' }),
        });
        const identity = await client.send(new GetCallerIdentityCommand({}));
        assert.equal(identity.Account, '123456789012');
      },
    );
  });

  it('the AWS SDK v3 calls GetCallerIdentity through fromRolesAnywhere', async () => {
    const provider = fromRolesAnywhere({
      certificatePath: pki.rsaLeaf.certPath,
      privateKeyPath: pki.rsaLeaf.keyPath,
      intermediatesPath: pki.intermediate.certPath,
      trustAnchorArn: emulator.trustAnchorArns[0] ?? '',
      profileArn: emulator.profileArn,
      roleArn: emulator.roleArns[0] ?? '',
      endpoint: emulator.endpoint,
    });
    const before = emulator.stats().createSessionOk;
    const client = new STSClient({ region: 'us-east-1', endpoint: emulator.stsEndpoint, credentials: provider });
    const results = await Promise.all(Array.from({ length: 5 }, () => client.send(new GetCallerIdentityCommand({}))));
    assert.ok(results.every((r) => r.Account === '123456789012'));
    assert.equal(emulator.stats().createSessionOk - before, 1, 'concurrent SDK requests share one CreateSession');
  });

  it('20 consecutive AWS CLI calls make exactly 1 CreateSession', async () => {
    const { env } = profile();
    const before = emulator.stats().createSession;
    for (let i = 0; i < 20; i += 1) await awsCall(env);
    assert.equal(emulator.stats().createSession - before, 1);
    assert.equal(emulator.stats().stsOk >= 20, true);
  });

  it('10 parallel AWS CLI calls on a cold cache make exactly 1 CreateSession', async () => {
    const { env } = profile();
    const before = emulator.stats().createSession;
    await Promise.all(Array.from({ length: 10 }, () => awsCall(env)));
    assert.equal(emulator.stats().createSession - before, 1);
  });

  it('the bin: exit 2 and one line for a bad flag, --version, --debug on stderr without secrets', async () => {
    const bad = await run(process.execPath, [bin, 'credential-process', '--certficate', 'x']).catch(
      (error: { code: number; stdout: string; stderr: string }) => error,
    );
    assert.equal((bad as { code: number }).code, 2);
    assert.equal(bad.stdout, '');
    assert.equal(
      bad.stderr,
      'iamra: CONFIG_INVALID: unknown flag --certficate for credential-process (did you mean --certificate?); see iamra credential-process --help\n',
    );
    assert.match((await run(process.execPath, [bin, '--version'])).stdout, /^\d+\.\d+\.\d+\n$/);
    const args = [
      bin,
      'credential-process',
      ...leafFlags(pki.rsaLeaf, pki.intermediate),
      ...emulatorFlags(emulator),
      '--cache-dir',
      join(testDir(), 'cache'),
      '--debug',
    ];
    const { stdout, stderr } = await run(process.execPath, args);
    const output = JSON.parse(stdout) as { SecretAccessKey: string; SessionToken: string };
    assert.match(stderr, /^iamra debug: canonical request:$/m);
    assert.ok(!stderr.includes(output.SecretAccessKey) && !stderr.includes(output.SessionToken));
  });

  it('without the cache every call is a CreateSession (what aws_signing_helper does)', async () => {
    const { env } = profile(['--no-cache']);
    const before = emulator.stats().createSession;
    for (let i = 0; i < 3; i += 1) await awsCall(env);
    assert.equal(emulator.stats().createSession - before, 3);
  });
});
