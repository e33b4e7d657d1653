/**
 * The Action's profile mode as on a Windows runner, in process, with the platform and the
 * command runner injected (no Windows machine here): icacls restricts every directory and file
 * before a byte lands, the profile line is split by botocore's Windows splitter into node and the
 * bundled CLI, the post step leaves nothing, and a failing ACL fails the step with one line and
 * no key on disk.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { type RunningEmulator, startEmulator } from '@iamra/emulator';
import { aclRecorder, icaclsCalls } from '../../../test/support/acl-recorder.js';
import { emulatorInputs, runStepInProcess } from '../../../test/support/action-in-process.js';
import { botocoreReads } from '../../../test/support/config-readers.js';
import { newJob } from '../../../test/support/github-runner.js';
import { makePki } from '../../../test/support/pki.js';

const CLI_PATH = '/opt/actions runner/_work/_actions/iamra/iamra/v1/dist/cli/index.js';

describe('action profile mode on a Windows host (injected)', function () {
  this.timeout(60_000);
  const pki = makePki({ subjectPrefix: 'winaction' });
  let emulator: RunningEmulator;
  before(async () => {
    emulator = await startEmulator({ cas: [pki.root.certPem] });
  });
  after(() => emulator.stop());

  it('restricts every file before writing it; botocore (win32) splits the line; post leaves nothing', async () => {
    const job = newJob();
    const recorder = aclRecorder();
    const deps = { cliPath: CLI_PATH, host: { platform: 'win32' as const, runCommand: recorder.run } };
    const main = await runStepInProcess('main', job, emulatorInputs(emulator, pki, { 'aws-profile': 'win' }), {}, deps);
    assert.equal(main.exitCode, 0, main.stdout);
    const calls = icaclsCalls(recorder);
    const root = join(job.runnerTemp, 'iamra');
    const files = readdirSync(root, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile());
    assert.ok(files.length >= 4, 'certificate, key, config, cache entry');
    for (const file of files) {
      const restricted = calls.find((call) => (call.args[0] ?? '').startsWith(join(file.parentPath, `.${file.name}.`)));
      assert.equal(restricted?.sizeThen, 0, `${file.name}: restricted while empty`);
    }
    const [read] = botocoreReads([{ file: join(root, 'aws-config'), section: 'profile win', platform: 'win32' }]);
    assert.deepEqual(read?.argv.slice(0, 3), [process.execPath, CLI_PATH, 'credential-process']);

    const post = await runStepInProcess('post', job, {}, main.state, deps);
    assert.equal(post.exitCode, 0, post.stdout);
    assert.equal(existsSync(root), false, 'the post step removed every file');
  });

  it('fails the step with one FILE_ACL_FAILED line when icacls fails; no key file is left', async () => {
    const job = newJob();
    const deps = { cliPath: CLI_PATH, host: { platform: 'win32' as const, runCommand: aclRecorder({ fail: 5 }).run } };
    const main = await runStepInProcess('main', job, emulatorInputs(emulator, pki, { 'aws-profile': 'win' }), {}, deps);
    assert.equal(main.exitCode, 1);
    const errors = main.stdout.split('\n').filter((line) => line.startsWith('::error'));
    assert.equal(errors.length, 1);
    assert.match(errors[0] ?? '', /FILE_ACL_FAILED/);
    assert.equal(existsSync(join(job.runnerTemp, 'iamra', 'profiles')), false);
  });
});
