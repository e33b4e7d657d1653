/** The heredoc delimiter guard and the missing-file refusal of the Action's runner protocol. */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { EOL } from 'node:os';
import { join } from 'node:path';
import { IamraError } from '@iamra/core';
import { testDir } from '../../../test/support/pki.js';
import { Runner } from '../src/runner/commands.js';

const UUID = '5b0c1d2e-3f40-4a5b-8c6d-7e8f90a1b2c3';
const DELIMITER = `ghadelimiter_${UUID}`;
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

function runnerWithFiles(randomUUID?: () => string) {
  const dir = testDir();
  const env: NodeJS.ProcessEnv = {};
  for (const name of ['GITHUB_ENV', 'GITHUB_OUTPUT', 'GITHUB_STATE']) {
    env[name] = join(dir, name);
    writeFileSync(join(dir, name), '');
  }
  let stdout = '';
  const io = { env, stdout: { write: (text: string) => (stdout += text) } };
  const runner = new Runner(randomUUID ? { ...io, randomUUID } : io);
  const file = (name: string) => readFileSync(env[name] ?? '', 'utf8');
  return { runner, env, file, stdout: () => stdout };
}

function refusal(action: () => void): IamraError {
  try {
    action();
  } catch (error) {
    assert.ok(error instanceof IamraError);
    return error;
  }
  assert.fail('expected a refusal');
}

describe('runner file commands', () => {
  it('refuses a value holding the delimiter: one line naming the entry, no value, nothing written or set', () => {
    const { runner, env, file, stdout } = runnerWithFiles(() => UUID);
    const value = `${SECRET}${EOL}${DELIMITER}${EOL}AWS_PROFILE<<x`;
    for (const [variable, write] of [
      ['GITHUB_ENV', () => runner.exportVariable('AWS_SECRET_ACCESS_KEY', value)],
      ['GITHUB_OUTPUT', () => runner.setOutput('aws-secret-access-key', value)],
      ['GITHUB_STATE', () => runner.saveState('iamra', value)],
    ] as const) {
      const error = refusal(write);
      assert.equal(error.code, 'RUNNER_DELIMITER_IN_VALUE');
      const line = error.toLine();
      assert.doesNotMatch(line, /[\r\n]/);
      assert.ok(!line.includes(SECRET) && !line.includes(DELIMITER), line);
      assert.match(
        line,
        /^RUNNER_DELIMITER_IN_VALUE: the value of \S+ \((variable|output|state)\) contains this write's heredoc delimiter/,
      );
      assert.equal(file(variable), '', `${variable} untouched`);
    }
    assert.equal(env.AWS_SECRET_ACCESS_KEY, undefined);
    assert.equal(stdout(), '');
  });

  it('refuses a name holding the delimiter', () => {
    const { runner, file } = runnerWithFiles(() => UUID);
    const error = refusal(() => runner.setOutput(`x${DELIMITER}`, 'v'));
    assert.equal(error.code, 'RUNNER_DELIMITER_IN_VALUE');
    assert.match(
      error.toLine(),
      /^RUNNER_DELIMITER_IN_VALUE: a name \(output\) contains this write's heredoc delimiter/,
    );
    assert.equal(file('GITHUB_OUTPUT'), '');
  });

  it('draws a fresh ghadelimiter_<uuid> for every write by default', () => {
    const { runner, file } = runnerWithFiles();
    runner.setOutput('a', '1');
    runner.setOutput('b', '2');
    const delimiters = [...file('GITHUB_OUTPUT').matchAll(/^[ab]<<(ghadelimiter_[0-9a-f-]{36})$/gm)].map((m) => m[1]);
    assert.equal(delimiters.length, 2);
    assert.notEqual(delimiters[0], delimiters[1]);
  });

  it('refuses to write when the variable is unset or names no file: RUNNER_FILE_MISSING', () => {
    const runner = new Runner({ env: { GITHUB_OUTPUT: join(testDir(), 'absent') }, stdout: { write: () => 0 } });
    assert.equal(refusal(() => runner.setOutput('a', '1')).code, 'RUNNER_FILE_MISSING');
    assert.equal(refusal(() => runner.exportVariable('A', '1')).code, 'RUNNER_FILE_MISSING');
  });
});
