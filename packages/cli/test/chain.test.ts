/**
 * Role chaining through credential-process, in process against the emulator: per-hop flags in
 * command-line order, the account guard, one line per failure with its exit code, and the
 * cache (the chain is in the key; every chain of one certificate shares its CreateSession).
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunningEmulator } from '@iamra/emulator';
import { runCli } from '../../../test/support/cli-run.js';
import { HUB_ROLE, startHubEmulator } from '../../../test/support/hub-emulator.js';
import { leafFlags, makePki, testDir } from '../../../test/support/pki.js';
import { main } from '../src/index.js';
import { warmCredentialProcess } from '../src/warm-cache/warm-credential-process.js';

const DEV = 'arn:aws:iam::111111111111:role/deploy';
const PROD = 'arn:aws:iam::333333333333:role/deploy';
const AUDIT = 'arn:aws:iam::444444444444:role/audit';

describe('credential-process with a role chain', function () {
  this.timeout(60_000);
  const pki = makePki({ subjectPrefix: 'clichain' });
  let emulator: RunningEmulator;
  before(async () => {
    emulator = await startHubEmulator(
      pki.root.certPem,
      [
        { arn: DEV, allowTagSession: true },
        { arn: PROD, externalId: 'prod-ext' },
        { arn: AUDIT, trustedPrincipals: [DEV], allowTagSession: true },
      ],
      55_000,
    );
  });
  after(() => emulator.stop());

  const base = () => [
    ...leafFlags(pki.ecLeaf, pki.intermediate),
    '--trust-anchor-arn',
    emulator.trustAnchorArns[0] ?? '',
    '--profile-arn',
    emulator.profileArn,
    '--role-arn',
    HUB_ROLE,
    '--endpoint',
    emulator.endpoint,
    '--sts-endpoint',
    emulator.stsEndpoint,
    '--retry-max-attempts',
    '1',
  ];
  const run = (args: string[], env: Record<string, string> = { IAMRA_CACHE_DIR: join(testDir(), 'cache') }) =>
    runCli(main, ['credential-process', ...base(), ...args], env);
  const accountOf = async (output: string) => {
    const { AccessKeyId } = JSON.parse(output) as { AccessKeyId: string };
    return emulator.session(AccessKeyId);
  };

  it('assumes each --assume-role-arn in order with the flags that follow it', async () => {
    const policy = join(testDir(), 'policy.json');
    writeFileSync(policy, '{\n  "Version": "2012-10-17",\n  "Statement": []\n}\n');
    const result = await run([
      '--assume-role-arn',
      DEV,
      '--assume-role-tag',
      'team=platform',
      '--assume-role-transitive-tag-key',
      'team',
      '--assume-role-arn',
      AUDIT,
      '--assume-role-session-name',
      'nightly-audit',
      '--assume-role-duration-seconds',
      '900',
      '--inline-session-policy-file',
      policy,
      '--managed-session-policies',
      'arn:aws:iam::aws:policy/ReadOnlyAccess,arn:aws:iam::aws:policy/SecurityAudit',
      '--allowed-account-ids',
      '444444444444,555555555555',
    ]);
    assert.equal(result.exitCode, 0, result.stderr);
    const session = await accountOf(result.stdout);
    assert.equal(session?.assumedRoleArn, 'arn:aws:sts::444444444444:assumed-role/audit/nightly-audit');
    assert.equal(session?.sessionPolicy, '{"Version":"2012-10-17","Statement":[]}');
    assert.deepEqual(session?.policyArns, [
      'arn:aws:iam::aws:policy/ReadOnlyAccess',
      'arn:aws:iam::aws:policy/SecurityAudit',
    ]);
    assert.deepEqual(session?.tags, [{ key: 'team', value: 'platform' }]);
    const expires = Date.parse((JSON.parse(result.stdout) as { Expiration: string }).Expiration);
    assert.ok(Math.abs(expires - Date.now() - 900_000) < 10_000, 'the last hop sets the expiry');
  });

  it('a denied hop (exit 3) and an account outside --allowed-account-ids (exit 2, no request): one line, no stdout', async () => {
    const denied = await run(['--assume-role-arn', PROD]);
    assert.equal(denied.exitCode, 3);
    assert.equal(denied.stdout, '');
    assert.match(
      denied.stderr,
      /^iamra: ASSUME_ROLE_DENIED: AssumeRole of arn:aws:iam::333333333333:role\/deploy \(hop 1\) failed: AccessDenied: .*\(request id [0-9a-f-]+\)\n$/,
    );
    const before = emulator.stats().createSession;
    const outside = await run(['--assume-role-arn', DEV, '--allowed-account-ids', '333333333333']);
    assert.equal(outside.exitCode, 2);
    assert.equal(outside.stdout, '');
    assert.match(
      outside.stderr,
      /^iamra: ACCOUNT_NOT_ALLOWED: account 111111111111 is not in the allowed account ids \(333333333333\); nothing was exported/,
    );
    assert.equal(emulator.stats().createSession, before, 'refused before any request');
    const ok = await run(['--assume-role-arn', PROD, '--assume-role-external-id', 'prod-ext']);
    assert.equal(ok.exitCode, 0, ok.stderr);
  });

  it('refuses misplaced, repeated and out-of-range hop flags before any call (exit 2)', async () => {
    const before = emulator.stats().createSession;
    const cases: [string[], RegExp][] = [
      [
        ['--assume-role-external-id', 'x1', '--assume-role-arn', DEV],
        /--assume-role-external-id must follow the --assume-role-arn it belongs to/,
      ],
      [
        ['--assume-role-arn', DEV, '--assume-role-session-name', 'a1', '--assume-role-session-name', 'b2'],
        /given twice for hop 1/,
      ],
      [
        ['--assume-role-arn', DEV, '--inline-session-policy', '{}', '--inline-session-policy-file', '/nonexistent'],
        /two inline session policies/,
      ],
      [
        ['--assume-role-arn', DEV, '--assume-role-duration-seconds', '7200'],
        /ROLE_CHAIN_INVALID: assumed role 1: duration 7200 s is over 3600/,
      ],
      [['--assume-role-arn', DEV, '--assume-role-tag', 'novalue'], /must be KEY=VALUE/],
      [['--allowed-account-ids', '12'], /not a 12-digit AWS account id/],
    ];
    for (const [args, message] of cases) {
      const result = await run(args);
      assert.equal(result.exitCode, 2, args.join(' '));
      assert.match(result.stderr, message);
    }
    assert.equal(emulator.stats().createSession, before);
  });

  it('caches per chain; every chain of one certificate shares one CreateSession; the warm path serves it', async () => {
    const env = { IAMRA_CACHE_DIR: join(testDir(), 'cache') };
    const before = emulator.stats();
    const dev = await run(['--assume-role-arn', DEV], env);
    const prod = await run(['--assume-role-arn', PROD, '--assume-role-external-id', 'prod-ext'], env);
    const devAgain = await run(['--assume-role-arn', DEV], env);
    const hub = await run([], env);
    for (const result of [dev, prod, devAgain, hub]) assert.equal(result.exitCode, 0, result.stderr);
    assert.equal(devAgain.stdout, dev.stdout);
    const keys = [dev, prod, hub].map((r) => (JSON.parse(r.stdout) as { AccessKeyId: string }).AccessKeyId);
    assert.equal(new Set(keys).size, 3, 'each chain has its own credentials');
    const after = emulator.stats();
    assert.equal(after.createSession - before.createSession, 1, 'one Roles Anywhere session for all of them');
    assert.equal(after.assumeRole - before.assumeRole, 2);
    const warm = await warmCredentialProcess(['credential-process', ...base(), '--assume-role-arn', DEV], env);
    assert.equal(warm, dev.stdout);
    assert.equal(
      await warmCredentialProcess(['credential-process', ...base(), '--assume-role-arn', AUDIT], env),
      'miss',
    );
  });

  it('--help lists the chain flags', async () => {
    const help = await runCli(main, ['credential-process', '--help']);
    for (const flag of [
      '--assume-role-arn ARN',
      '--assume-role-external-id ID',
      '--inline-session-policy-file FILE',
      '--managed-session-policies ARNS',
      '--allowed-account-ids IDS',
      '--sts-endpoint URL',
    ]) {
      assert.ok(help.stdout.includes(flag), flag);
    }
  });
});
