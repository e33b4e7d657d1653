/** Which inputs are secrets the main step masks before anything else. */
import assert from 'node:assert/strict';
import { secretInputs } from '../src/inputs.js';
import { Runner } from '../src/runner/commands.js';

const runner = (inputs: Record<string, string>) => {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value;
  return new Runner({ env, stdout: { write: () => true } });
};

describe('action secret inputs', () => {
  it('are the key, the passphrases, the PKCS#12 and a proxy password (as written and decoded)', () => {
    const secrets = secretInputs(
      runner({
        'private-key': 'KEY',
        'private-key-passphrase': 'PASS',
        pkcs12: 'P12',
        'pkcs12-password': 'P12PASS',
        'http-proxy': 'http://user:p%40ss@proxy.corp:3128',
        certificate: 'not secret',
      }),
    );
    assert.deepEqual(secrets, ['KEY', 'PASS', 'P12', 'P12PASS', 'p%40ss', 'p@ss']);
  });

  it('leave a proxy without a password, or not a URL, alone', () => {
    assert.deepEqual(secretInputs(runner({ 'http-proxy': 'http://proxy.corp:3128' })), []);
    assert.deepEqual(secretInputs(runner({ 'http-proxy': 'http://[bad' })), []);
  });
});
