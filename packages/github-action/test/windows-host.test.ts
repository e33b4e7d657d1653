/**
 * The Action's profile mode as on a Windows runner, in process, with the platform and the
 * command runner injected (no Windows machine here): icacls restricts every directory and file
 * before a byte lands, the profile line is split by botocore's Windows splitter into node and the
 * bundled CLI, and a failing ACL fails the step with one line and no key on disk.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readIniSection } from '@iamra/core';
import { type RunningEmulator, startEmulator } from '@iamra/emulator';
import { aclRecorder, icaclsCalls } from '../../../test/support/acl-recorder.js';
import { botocoreReads } from '../../../test/support/config-readers.js';
import { makePki, testDir } from '../../../test/support/pki.js';
import { runMain } from '../src/main.js';

const CLI_PATH = '/opt/actions runner/_work/_actions/iamra/iamra/v1/dist/cli/index.js';
const FILES = ['GITHUB_ENV', 'GITHUB_OUTPUT', 'GITHUB_STATE', 'GITHUB_STEP_SUMMARY', 'GITHUB_PATH'];

describe('action profile mode on a Windows host (injected)', function () {
  this.timeout(60_000);
  const pki = makePki({ subjectPrefix: 'winaction' });
  let emulator: RunningEmulator;
  before(async () => {
    emulator = await startEmulator({ cas: [pki.root.certPem] });
  });
  after(() => emulator.stop());

  function job(): { env: NodeJS.ProcessEnv; dir: string } {
    const dir = testDir();
    const env: NodeJS.ProcessEnv = { PATH: '/usr/bin', RUNNER_TEMP: dir, SystemRoot: 'C:\\Windows' };
    for (const name of FILES) {
      env[name] = join(dir, name);
      writeFileSync(join(dir, name), '');
    }
    const inputs = {
      'trust-anchor-arn': emulator.trustAnchorArns[0] ?? '',
      'profile-arn': emulator.profileArn,
      'role-arn': emulator.roleArns[0] ?? '',
      'rolesanywhere-endpoint': emulator.endpoint,
      certificate: pki.rsaLeaf.certPem,
      'private-key': pki.rsaLeaf.keyPem,
      'certificate-chain': pki.intermediate.certPem,
      'aws-profile': 'win',
    };
    for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value;
    return { env, dir };
  }

  it('restricts every file before writing it; botocore (win32) splits the line into node and the CLI', async () => {
    const { env, dir } = job();
    const recorder = aclRecorder();
    let stdout = '';
    const code = await runMain(
      env,
      { write: (text: string) => (stdout += text) },
      { cliPath: CLI_PATH, host: { platform: 'win32', runCommand: recorder.run } },
    );
    assert.equal(code, 0, stdout);
    const calls = icaclsCalls(recorder);
    const files = readdirSync(join(dir, 'iamra'), { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
    assert.ok(files.length >= 4, 'certificate, key, config, cache entry');
    for (const file of files) {
      const restricted = calls.find((call) => (call.args[0] ?? '').startsWith(join(file.parentPath, `.${file.name}.`)));
      assert.equal(restricted?.sizeThen, 0, `${file.name}: restricted while empty`);
    }
    const configFile = join(dir, 'iamra', 'aws-config');
    const [read] = botocoreReads([{ file: configFile, section: 'profile win', platform: 'win32' }]);
    assert.deepEqual(read?.argv.slice(0, 3), [process.execPath, CLI_PATH, 'credential-process']);
    assert.equal(readIniSection(readFileSync(configFile, 'utf8'), 'profile win')?.region, 'us-east-1');
  });

  it('fails the step with one FILE_ACL_FAILED line when icacls fails; no key file is left', async () => {
    const { env, dir } = job();
    let stdout = '';
    const code = await runMain(
      env,
      { write: (text: string) => (stdout += text) },
      { cliPath: CLI_PATH, host: { platform: 'win32', runCommand: aclRecorder({ fail: 5 }).run } },
    );
    assert.equal(code, 1);
    const errors = stdout.split('\n').filter((line) => line.startsWith('::error'));
    assert.equal(errors.length, 1);
    assert.match(errors[0] ?? '', /FILE_ACL_FAILED/);
    assert.equal(existsSync(join(dir, 'iamra', 'profiles')), false);
  });
});
