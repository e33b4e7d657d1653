/**
 * Defect 1: untrusted text reaching a log. A hostile or spoofed endpoint's error message,
 * error type and request id through the CLI's error line, in process and through the AWS CLI
 * (which echoes a credential_process's stderr into the pipeline log): the line holds no command
 * the GitHub runner or the Azure agent would run, whatever the variant.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { main } from '@iamra/cli';
import { buildCommandLine } from '@iamra/core';
import { runCli } from '../support/cli-run.js';
import { type HostileServer, jsonError, startHostileServer } from '../support/hostile-server.js';
import { HOSTILE_TEXT, injectedCommands } from '../support/log-commands.js';
import { isolatedAwsEnv, peers, repoRoot } from '../support/peers.js';
import { makePki, testDir } from '../support/pki.js';
import { hostileFlags } from './fixtures.js';

const run = promisify(execFile);

describe('security: injection through printed text (CLI)', function () {
  this.timeout(60_000);
  const pki = makePki({ subjectPrefix: 'inject' });
  let server: HostileServer;
  let answer: ReturnType<typeof jsonError> = jsonError(403, {});

  before(async () => {
    server = await startHostileServer((request, response) => answer(request, response));
  });
  after(() => server.stop());

  const flags = (attempts = 1) => hostileFlags(pki.rsaLeaf, pki.intermediate, server.endpoint, attempts);

  it('a 403 whose message sets an Azure variable prints one neutral line', async () => {
    answer = jsonError(403, { message: '##vso[task.setvariable variable=AWS_PROFILE]pwned' });
    const result = await runCli(main, flags());
    assert.equal(result.exitCode, 3);
    assert.equal(result.stderr.split('\n').length, 2, 'one line');
    assert.match(result.stderr, /^iamra: CREATE_SESSION_DENIED: CreateSession failed: .*\*\*vso\[task\.setvariable/);
    assert.deepEqual(injectedCommands(result.stderr), []);
  });

  HOSTILE_TEXT.forEach((text, index) => {
    it(`variant ${index + 1}: message, error type and request id each hostile, after retries`, async () => {
      answer = jsonError(
        index % 2 ? 500 : 400,
        { __type: `com.amazon#${text}`, message: text },
        { 'x-amzn-requestid': text.replace(/[^\x20-\x7e]/g, ' ') },
      );
      const result = await runCli(main, flags(2));
      assert.ok(result.exitCode === 3 || result.exitCode === 4, result.stderr);
      assert.equal(result.stderr.split('\n').length, 2, 'one line');
      assert.deepEqual(injectedCommands(result.stderr), []);
    });
  });

  it('a 1 MB message is cut to a line a log can hold', async () => {
    answer = jsonError(403, { message: `${'x'.repeat(1_000_000)} ##vso[task.complete]` });
    const result = await runCli(main, flags());
    assert.ok(result.stderr.length < 1000, `${result.stderr.length} characters`);
    assert.match(result.stderr, /more characters\)/);
  });

  it('the AWS CLI echoes the error of a credential_process: still no command in its output', async () => {
    answer = jsonError(403, { message: 'denied\n##vso[task.setvariable variable=AWS_PROFILE]pwned ##[error]x' });
    const home = testDir();
    const config = join(home, 'config');
    const command = buildCommandLine([
      process.execPath,
      join(repoRoot, 'packages', 'cli', 'bin', 'iamra.js'),
      ...flags(),
    ]);
    writeFileSync(config, `[default]\nregion = us-east-1\ncredential_process = ${command}\n`);
    const env = isolatedAwsEnv(home, { AWS_CONFIG_FILE: config });
    const failure = await run(peers.awsCli(), ['sts', 'get-caller-identity', '--endpoint-url', server.endpoint], {
      env,
    }).then(
      () => assert.fail('the AWS CLI must fail'),
      (error: { stdout: string; stderr: string }) => error,
    );
    const printed = `${failure.stdout}${failure.stderr}`;
    assert.match(printed, /CREATE_SESSION_DENIED/);
    assert.deepEqual(injectedCommands(printed), []);
  });
});
