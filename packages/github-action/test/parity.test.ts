/**
 * Inputs users bring from aws-actions/configure-aws-credentials: allowed-account-ids,
 * disable-retry, output-env-credentials, no-proxy, action-timeout-s (their effect on a whole
 * step: test/action/parity-inputs.test.ts).
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { IamraError } from '@iamra/core';
import { testDir } from '../../../test/support/pki.js';
import { parseActionTimeout, type StartTimer, withinActionTimeout } from '../src/action-timeout.js';
import { readActionConfig } from '../src/inputs.js';
import { runMain } from '../src/main.js';
import { Runner } from '../src/runner/commands.js';

const ARNS = {
  'trust-anchor-arn': 'arn:aws:rolesanywhere:eu-west-1:111122223333:trust-anchor/0c5a2b1e-7f4f-4c3b-9d6e-1a2b3c4d5e6f',
  'profile-arn': 'arn:aws:rolesanywhere:eu-west-1:111122223333:profile/9f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0',
  'role-arn': 'arn:aws:iam::111122223333:role/deploy',
  certificate: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----',
};

function inputEnv(inputs: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value;
  return env;
}

describe('configure-aws-credentials parity inputs', () => {
  it('allowed-account-ids refuses another account before any request, exporting nothing (unset included)', async () => {
    const dir = testDir();
    const files = ['GITHUB_ENV', 'GITHUB_OUTPUT', 'GITHUB_STATE', 'GITHUB_STEP_SUMMARY'];
    const env = inputEnv({
      ...ARNS,
      'allowed-account-ids': '444455556666, 777788889999',
      'unset-current-credentials': 'true',
      'rolesanywhere-endpoint': 'http://127.0.0.1:9',
    });
    for (const name of files) {
      env[name] = join(dir, name);
      writeFileSync(join(dir, name), '');
    }
    let stdout = '';
    const code = await runMain(env, { write: (text: string) => (stdout += text) });
    assert.equal(code, 1);
    assert.match(
      stdout,
      /::error title=iamra::ACCOUNT_NOT_ALLOWED: account 111122223333 is not in the allowed account ids/,
    );
    assert.equal(readFileSync(join(dir, 'GITHUB_ENV'), 'utf8'), '', 'no variable exported or unset');
    assert.equal(readFileSync(join(dir, 'GITHUB_OUTPUT'), 'utf8'), '');
  });

  it('allowed-account-ids: a malformed id is a configuration error', () => {
    const runner = new Runner({
      env: inputEnv({ ...ARNS, 'allowed-account-ids': '1234' }),
      stdout: { write: () => 0 },
    });
    assert.throws(() => readActionConfig(runner), /allowed account id '1234' is not a 12-digit AWS account id/);
  });

  it('disable-retry makes one attempt whatever retry-max-attempts says', () => {
    const config = (extra: Record<string, string>) =>
      readActionConfig(new Runner({ env: inputEnv({ ...ARNS, ...extra }), stdout: { write: () => 0 } }));
    assert.equal(config({ 'disable-retry': 'true', 'retry-max-attempts': '8' }).retryMaxAttempts, 1);
    assert.equal(config({ 'disable-retry': 'false', 'retry-max-attempts': '8' }).retryMaxAttempts, 8);
    assert.equal(config({}).retryMaxAttempts, undefined);
    assert.deepEqual(config({ 'allowed-account-ids': '111122223333' }).allowedAccountIds, ['111122223333']);
  });

  const config = (extra: Record<string, string>) =>
    readActionConfig(new Runner({ env: inputEnv({ ...ARNS, ...extra }), stdout: { write: () => 0 } }));

  it('output-env-credentials: unset is undefined (the mode decides), else true or false', () => {
    assert.equal(config({}).outputEnvCredentials, undefined);
    assert.equal(config({ 'output-env-credentials': 'false' }).outputEnvCredentials, false);
    assert.equal(config({ 'output-env-credentials': 'TRUE' }).outputEnvCredentials, true);
  });

  it('no-proxy: hosts separated by commas or whitespace, written back with commas', () => {
    assert.equal(config({}).noProxy, undefined);
    assert.equal(
      config({ 'no-proxy': ' a.example, .corp.example\n10.0.0.1  h:8443,*.x,[::1] ' }).noProxy,
      'a.example,.corp.example,10.0.0.1,h:8443,*.x,[::1]',
    );
    assert.throws(() => config({ 'no-proxy': 'a.example b/c' }), /input no-proxy .* 'b\/c' is none of these/);
  });

  it('action-timeout-s: whole seconds, 0 or empty for none', () => {
    assert.equal(parseActionTimeout(''), undefined);
    assert.equal(parseActionTimeout('0'), undefined);
    assert.equal(parseActionTimeout('90'), 90);
    for (const bad of ['-1', '1.5', '1e3', '86401', ' 9']) {
      assert.throws(() => parseActionTimeout(bad), { code: 'CONFIG_INVALID' }, bad);
    }
  });

  it('action-timeout-s: the timeout, not what the interrupted work says, is the error; no bound runs as is', async () => {
    let fire = () => {};
    const startTimer: StartTimer = (_ms, onExpiry) => {
      fire = onExpiry;
      return () => {};
    };
    const interrupted = withinActionTimeout(5, startTimer, (signal) => {
      const work = new Promise<never>((_resolve, reject) => {
        signal.addEventListener('abort', () => reject(new IamraError('INTERRUPTED', 'stopped by a signal')));
      });
      fire();
      return work;
    });
    await assert.rejects(interrupted, { code: 'TIMEOUT', message: /action-timeout-s \(5 s\)/ });
    await assert.rejects(
      withinActionTimeout(5, startTimer, async () => {
        throw new IamraError('CONFIG_INVALID', 'bad');
      }),
      { code: 'CONFIG_INVALID' },
    );
    assert.equal(await withinActionTimeout(undefined, startTimer, async (signal) => signal.aborted), false);
  });
});
