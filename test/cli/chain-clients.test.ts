/**
 * The CLI's role chains read by real clients, against the emulator. Profile mode: `iamra
 * configure` writes one credential_process profile per account (the line repeats the chain, so
 * every refresh runs CreateSession and each hop again), read by the AWS CLI v2, the SDK v3 and
 * the Go SDK v2. Env mode: `iamra credential-process` with repeated --assume-role-arn hands its
 * credentials to the AWS CLI v2 and the SDK v3 as AWS_* variables, and `iamra update --once`
 * writes them to the shared credentials file. A hop the trust policy refuses, and an account
 * outside --allowed-account-ids, fail in one line; the latter before anything is written.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { main } from '@iamra/cli';
import { readIniSection } from '@iamra/core';
import type { RunningEmulator } from '@iamra/emulator';
import { runCli } from '../support/cli-run.js';
import { deployRole, hubFlags, startHubEmulator } from '../support/hub-emulator.js';
import { isolatedAwsEnv, peers, repoRoot } from '../support/peers.js';
import { leafFlags, makePki, testDir } from '../support/pki.js';
import { withProcessEnv } from '../support/process-env.js';
import { sdkV3AccountThroughProfile } from '../support/sdk-profile.js';

const run = promisify(execFile);
const CLI = join(repoRoot, 'packages', 'cli', 'bin', 'iamra.js');
const DEV = deployRole('111111111111');
const STAGING = deployRole('222222222222');
const PROD = deployRole('333333333333');
/** Reached only through DEV: a two-hop chain. */
const AUDIT = 'arn:aws:iam::444444444444:role/audit';
/** Trusts another role, not the hub. */
const LOCKED = 'arn:aws:iam::555555555555:role/locked';

describe('CLI role chains read by the AWS CLI v2, the SDK v3 and the Go SDK v2', function () {
  this.timeout(120_000);
  const pki = makePki({ subjectPrefix: 'cli chain clients' });
  let emulator: RunningEmulator;
  let home: string;
  let config: string;
  before(async () => {
    emulator = await startHubEmulator(
      pki.root.certPem,
      [
        { arn: DEV },
        { arn: STAGING },
        { arn: PROD, externalId: 'prod-ext' },
        { arn: AUDIT, trustedPrincipals: [DEV] },
        { arn: LOCKED, trustedPrincipals: ['arn:aws:iam::123456789012:role/other'] },
      ],
      115_000,
    );
    home = testDir();
    config = join(home, 'config');
  });
  after(() => emulator.stop());

  const base = () => [
    ...leafFlags(pki.ecLeaf, pki.intermediate),
    ...hubFlags(emulator),
    '--cache-dir',
    join(home, 'cache'),
  ];
  const configure = (profile: string, chain: string[]) =>
    runCli(main, ['configure', '--profile', profile, '--config-file', config, '--cli', CLI, ...base(), ...chain]);
  const profileEnv = () => isolatedAwsEnv(home, { AWS_CONFIG_FILE: config, AWS_REGION: 'us-east-1' });
  const cliAccount = async (env: Record<string, string>, extra: string[] = []) => {
    const args = ['sts', 'get-caller-identity', '--endpoint-url', emulator.stsEndpoint, '--output', 'json', ...extra];
    const { stdout } = await run(peers.awsCli(), args, { env });
    return (JSON.parse(stdout) as { Account: string }).Account;
  };

  describe('profile mode (iamra configure)', () => {
    const profiles: Record<string, { account: string; chain: string[] }> = {
      dev: { account: '111111111111', chain: ['--assume-role-arn', DEV, '--allowed-account-ids', '111111111111'] },
      staging: { account: '222222222222', chain: ['--assume-role-arn', STAGING] },
      prod: { account: '333333333333', chain: ['--assume-role-arn', PROD, '--assume-role-external-id', 'prod-ext'] },
      audit: {
        account: '444444444444',
        chain: ['--assume-role-arn', DEV, '--assume-role-arn', AUDIT, '--assume-role-session-name', 'audit-hop'],
      },
    };

    before(async () => {
      for (const [name, { chain }] of Object.entries(profiles)) {
        const result = await configure(name, chain);
        assert.equal(result.exitCode, 0, result.stderr);
      }
    });

    it('writes the chain into each credential_process line', () => {
      const text = readFileSync(config, 'utf8');
      const line = (profile: string) => readIniSection(text, `profile ${profile}`)?.credential_process ?? '';
      assert.match(line('audit'), /--assume-role-arn '?arn:aws:iam::111111111111:role\/deploy/);
      assert.match(line('audit'), /--assume-role-arn '?arn:aws:iam::444444444444:role\/audit/);
      assert.ok(line('audit').indexOf('111111111111') < line('audit').indexOf('444444444444'), 'hops in order');
      assert.match(line('prod'), /--assume-role-external-id '?prod-ext/);
      assert.match(line('dev'), /--allowed-account-ids '?111111111111/);
    });

    it('the AWS CLI v2 sees four accounts; the accounts share one CreateSession', async () => {
      const before = emulator.stats();
      for (const [name, { account }] of Object.entries(profiles)) {
        assert.equal(await cliAccount(profileEnv(), ['--profile', name]), account, name);
      }
      const after = emulator.stats();
      assert.equal(after.createSession - before.createSession, 1, 'every chain starts from the cached hub session');
      assert.equal(after.assumeRole - before.assumeRole, 5, 'one AssumeRole per hop: dev, staging, prod, dev+audit');
    });

    it('the SDK v3 (fromIni) sees the same accounts', async () => {
      for (const [name, { account }] of Object.entries(profiles)) {
        assert.equal(await sdkV3AccountThroughProfile(profileEnv(), name, emulator.stsEndpoint), account, name);
      }
    });

    it('the Go SDK v2 (default chain, AWS_PROFILE) sees the same accounts', async () => {
      for (const [name, { account }] of Object.entries(profiles)) {
        const env = { ...profileEnv(), AWS_PROFILE: name, AWS_ENDPOINT_URL_STS: emulator.stsEndpoint };
        const { stdout } = await run(peers.goSdkConsumer(), [], { env });
        assert.match(stdout.trim(), new RegExp(`^arn:aws:sts::${account}:assumed-role/`), name);
      }
    });

    it('a refresh runs the whole chain again: CreateSession and every hop', async () => {
      const before = emulator.stats();
      // The same profiles with an empty cache directory: nothing cached, so the whole chain runs.
      const fresh = isolatedAwsEnv(home, { AWS_CONFIG_FILE: config });
      const text = readFileSync(config, 'utf8').replaceAll(join(home, 'cache'), join(home, 'cache-2'));
      const config2 = join(home, 'config-2');
      writeFileSync(config2, text, { mode: 0o600 });
      assert.equal(await cliAccount({ ...fresh, AWS_CONFIG_FILE: config2 }, ['--profile', 'audit']), '444444444444');
      const after = emulator.stats();
      assert.equal(after.createSession - before.createSession, 1);
      assert.equal(after.assumeRole - before.assumeRole, 2);
    });

    it('a hop the trust policy refuses: the AWS CLI v2 fails with iamra’s one ASSUME_ROLE_DENIED line', async () => {
      assert.equal((await configure('locked', ['--assume-role-arn', LOCKED])).exitCode, 0);
      const failed = await run(
        peers.awsCli(),
        ['sts', 'get-caller-identity', '--profile', 'locked', '--endpoint-url', emulator.stsEndpoint],
        { env: profileEnv() },
      ).then(
        () => assert.fail('the AWS CLI got credentials for a refused hop'),
        (error: { stderr: string }) => error.stderr,
      );
      const lines = failed.split('\n').filter((line) => line.includes('ASSUME_ROLE_DENIED'));
      assert.equal(lines.length, 1, failed);
      assert.match(
        lines[0] ?? '',
        /iamra: ASSUME_ROLE_DENIED: AssumeRole of arn:aws:iam::555555555555:role\/locked \(hop 1\) failed: AccessDenied/,
      );
    });

    it('an account outside --allowed-account-ids: configure refuses before writing anything', async () => {
      const before = readFileSync(config, 'utf8');
      const result = await configure('outside', [
        '--assume-role-arn',
        STAGING,
        '--allowed-account-ids',
        '111111111111',
      ]);
      assert.equal(result.exitCode, 2);
      assert.match(
        result.stderr,
        /^iamra: ACCOUNT_NOT_ALLOWED: account 222222222222 is not in the allowed account ids \(111111111111\)/,
      );
      assert.equal(result.stderr.trim().split('\n').length, 1);
      assert.equal(readFileSync(config, 'utf8'), before, 'the config file is untouched');
    });
  });

  describe('env mode (credential-process to AWS_* variables; update --once to the credentials file)', () => {
    const chain = ['--assume-role-arn', DEV, '--assume-role-arn', AUDIT];

    it('credential-process with two --assume-role-arn: the AWS CLI v2 and the SDK v3 see the last account', async () => {
      const result = await runCli(main, ['credential-process', ...base(), ...chain]);
      assert.equal(result.exitCode, 0, result.stderr);
      const { AccessKeyId, SecretAccessKey, SessionToken } = JSON.parse(result.stdout) as Record<string, string>;
      const variables = {
        AWS_ACCESS_KEY_ID: AccessKeyId ?? '',
        AWS_SECRET_ACCESS_KEY: SecretAccessKey ?? '',
        AWS_SESSION_TOKEN: SessionToken ?? '',
        AWS_REGION: 'us-east-1',
      };
      assert.equal(await cliAccount(isolatedAwsEnv(home, variables)), '444444444444');
      const sdkAccount = await withProcessEnv({ ...variables, AWS_PROFILE: undefined }, async () => {
        const { GetCallerIdentityCommand, STSClient } = await import('@aws-sdk/client-sts');
        const client = new STSClient({ region: 'us-east-1', endpoint: emulator.stsEndpoint });
        return (await client.send(new GetCallerIdentityCommand({}))).Account;
      });
      assert.equal(sdkAccount, '444444444444');
    });

    it('update --once writes the chained credentials to the shared credentials file the AWS CLI v2 reads', async () => {
      const credentials = join(home, 'credentials');
      const env = { AWS_SHARED_CREDENTIALS_FILE: credentials };
      const result = await runCli(main, ['update', '--once', '--profile', 'audit-static', ...base(), ...chain], env);
      assert.equal(result.exitCode, 0, result.stderr);
      assert.equal(
        await cliAccount(isolatedAwsEnv(home, { ...env, AWS_REGION: 'us-east-1' }), ['--profile', 'audit-static']),
        '444444444444',
      );
    });

    it('a refused hop and an account outside the guard: one line, nothing on stdout or in the file', async () => {
      const denied = await runCli(main, ['credential-process', ...base(), '--assume-role-arn', LOCKED]);
      assert.equal(denied.exitCode, 3);
      assert.equal(denied.stdout, '');
      assert.match(denied.stderr, /^iamra: ASSUME_ROLE_DENIED: AssumeRole of arn:aws:iam::555555555555:role\/locked/);
      const credentials = join(home, 'credentials-outside');
      const before = emulator.stats().createSession;
      const outside = await runCli(
        main,
        ['update', '--once', '--profile', 'x', ...base(), ...chain, '--allowed-account-ids', '111111111111'],
        { AWS_SHARED_CREDENTIALS_FILE: credentials },
      );
      assert.equal(outside.exitCode, 2);
      assert.match(
        outside.stderr,
        /^iamra: ACCOUNT_NOT_ALLOWED: account 444444444444 is not in the allowed account ids/,
      );
      assert.equal(existsSync(credentials), false);
      assert.equal(emulator.stats().createSession, before, 'refused before any request');
    });
  });
});
