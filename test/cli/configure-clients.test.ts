/**
 * A profile written by `iamra configure`, read back by the real parsers (botocore's split, the
 * AWS CLI v2, the SDK v3's INI reader and /bin/sh) with every path under a directory whose name
 * holds spaces, quotes, `#`, `;` and `$`: a mis-split argument would name a file that is not there.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { main } from '@iamra/cli';
import { type RunningEmulator, startEmulator } from '@iamra/emulator';
import { runCli } from '../support/cli-run.js';
import { emulatorFlags } from '../support/emulator-process.js';
import { isolatedAwsEnv, peers, repoRoot } from '../support/peers.js';
import { makePki, testDir } from '../support/pki.js';
import { sdkV3AccountThroughProfile } from '../support/sdk-profile.js';

const run = promisify(execFile);
const CLI = join(repoRoot, 'packages', 'cli', 'bin', 'iamra.js');

describe('configure with the AWS CLI, botocore and the SDK v3', function () {
  this.timeout(120_000);
  const pki = makePki({ subjectPrefix: 'configure-clients' });
  let emulator: RunningEmulator;
  let env: Record<string, string>;
  let argv: string[];

  before(async () => {
    emulator = await startEmulator({ cas: [pki.root.certPem], lifetimeMs: 115_000 });
    const home = testDir();
    const awkward = join(home, `agent dir #1; it's "$HOME" `);
    mkdirSync(awkward);
    const put = (from: string, name: string) => {
      copyFileSync(from, join(awkward, name));
      return join(awkward, name);
    };
    const files = [
      '--certificate',
      put(pki.ecLeaf.certPath, 'leaf cert.pem'),
      '--private-key',
      put(pki.ecLeaf.keyPath, 'leaf #key.pem'),
      '--intermediates',
      put(pki.intermediate.certPath, 'chain ;x.pem'),
    ];
    const flags = [...files, ...emulatorFlags(emulator), '--cache-dir', join(awkward, 'cache')];
    // Not in the awkward directory: botocore expands $VARIABLES in AWS_CONFIG_FILE itself.
    const config = join(home, 'config');
    const result = await runCli(main, [
      'configure',
      '--profile',
      'agent',
      '--config-file',
      config,
      '--cli',
      CLI,
      ...flags,
    ]);
    assert.equal(result.exitCode, 0, result.stderr);
    argv = [process.execPath, realpathSync(CLI), 'credential-process', ...flags];
    env = isolatedAwsEnv(home, { AWS_CONFIG_FILE: config });
  });
  after(() => emulator.stop());

  it("botocore splits credential_process back to exactly iamra's argv, and gets credentials", async () => {
    const script = [
      'import json, botocore.session',
      'from botocore.compat import compat_shell_split',
      'session = botocore.session.Session(profile="agent")',
      'print(json.dumps(compat_shell_split(session.get_scoped_config()["credential_process"])))',
      `client = session.create_client("sts", endpoint_url="${emulator.stsEndpoint}")`,
      'print(client.get_caller_identity()["Account"])',
    ].join('\n');
    const { stdout } = await run(peers.python(), ['-c', script], { env });
    const [split, account] = stdout.trim().split('\n');
    assert.deepEqual(JSON.parse(split ?? ''), argv);
    assert.equal(account, '123456789012');
  });

  it('the AWS CLI v2 calls sts get-caller-identity --profile agent', async () => {
    const { stdout } = await run(
      peers.awsCli(),
      ['sts', 'get-caller-identity', '--profile', 'agent', '--endpoint-url', emulator.stsEndpoint, '--output', 'json'],
      { env },
    );
    assert.match((JSON.parse(stdout) as { Arn: string }).Arn, /^arn:aws:sts::123456789012:assumed-role\//);
  });

  it('the SDK v3 (fromIni, which runs the line through /bin/sh) calls GetCallerIdentity', async () => {
    assert.equal(await sdkV3AccountThroughProfile(env, 'agent', emulator.stsEndpoint), '123456789012');
  });
});
