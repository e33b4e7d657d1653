/** Inputs users bring from aws-actions/configure-aws-credentials: allowed-account-ids, disable-retry. */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { testDir } from '../../../test/support/pki.js';
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
});
