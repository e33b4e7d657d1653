/**
 * Defect 8: a job temp directory whose name holds whitespace followed by # or ; (or quotes, or
 * %) must not break any reader of the credential_process line: the JS SDK v3's INI reader cuts
 * a line at whitespace + # or ;, botocore reads it with configparser, the AWS CLI with botocore.
 * The profile is written by core's writeProfileFiles under such a directory; each real client
 * then runs it and calls STS with the credentials it produced.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { resolveSessionParameters, writeProfileFiles } from '@iamra/core';
import { type RunningEmulator, startEmulator } from '@iamra/emulator';
import { isolatedAwsEnv, peers, repoRoot } from '../support/peers.js';
import { makePki, testDir } from '../support/pki.js';
import { sdkV3AccountThroughProfile } from '../support/sdk-profile.js';

const run = promisify(execFile);

const NAMES = ['job #1', 'job ;1', 'job\t#tab', "it's #x ;y", '%(home)s #pct', 'a "#" b'];

describe('security: temp directories that look like INI comments', function () {
  this.timeout(120_000);
  const pki = makePki({ subjectPrefix: 'ini' });
  let emulator: RunningEmulator;

  before(async () => {
    emulator = await startEmulator({ cas: [pki.root.certPem] });
  });
  after(() => emulator.stop());

  function profileUnder(name: string): { env: Record<string, string>; home: string } {
    const home = testDir();
    const tempDir = join(home, name);
    mkdirSync(tempDir);
    const files = writeProfileFiles({
      tempDir,
      profileName: 'p',
      material: {
        certificate: pki.ecLeaf.certPem,
        privateKey: pki.ecLeaf.keyPem,
        intermediates: [pki.intermediate.certPem],
      },
      params: resolveSessionParameters({
        trustAnchorArn: emulator.trustAnchorArns[0] ?? '',
        profileArn: emulator.profileArn,
        roleArn: emulator.roleArns[0] ?? '',
      }),
      endpoint: emulator.endpoint,
      nodePath: process.execPath,
      cliPath: join(repoRoot, 'packages', 'cli', 'bin', 'iamra.js'),
      proxy: 'none',
    });
    return { env: isolatedAwsEnv(home, { AWS_CONFIG_FILE: files.configFile, AWS_PROFILE: 'p' }), home };
  }

  for (const name of NAMES) {
    const shown = JSON.stringify(name);
    it(`${shown}: the AWS CLI v2 runs the profile`, async () => {
      const { env } = profileUnder(name);
      const { stdout } = await run(
        peers.awsCli(),
        ['sts', 'get-caller-identity', '--endpoint-url', emulator.stsEndpoint, '--output', 'json'],
        { env },
      );
      assert.match((JSON.parse(stdout) as { Arn: string }).Arn, /assumed-role\/iamra-demo\//);
    });

    it(`${shown}: botocore runs the profile`, async () => {
      const { env } = profileUnder(name);
      const script = [
        'import botocore.session',
        'session = botocore.session.get_session()',
        `client = session.create_client("sts", region_name="us-east-1", endpoint_url="${emulator.stsEndpoint}")`,
        'print(client.get_caller_identity()["Arn"])',
      ].join('\n');
      const { stdout } = await run(peers.python(), ['-c', script], { env });
      assert.match(stdout, /assumed-role\/iamra-demo\//);
    });

    it(`${shown}: the SDK v3 (fromIni) runs the profile`, async () => {
      const { env } = profileUnder(name);
      assert.equal(await sdkV3AccountThroughProfile(env, 'p', emulator.stsEndpoint), '123456789012');
    });
  }
});
