/** Which inputs are secrets the main step masks before anything else. */
import assert from 'node:assert/strict';
import { readActionConfig, secretInputs } from '../src/inputs.js';
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

describe('action input use-fips-endpoint', () => {
  const base = {
    certificate: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n',
    'trust-anchor-arn':
      'arn:aws:rolesanywhere:eu-west-1:111122223333:trust-anchor/0c5a2b1e-7f4f-4c3b-9d6e-1a2b3c4d5e6f',
    'profile-arn': 'arn:aws:rolesanywhere:eu-west-1:111122223333:profile/9f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0',
    'role-arn': 'arn:aws:iam::111122223333:role/deploy',
  };

  it('resolves to the FIPS endpoint of the region; rolesanywhere-endpoint wins; false leaves it unset', () => {
    const fips = (extra: Record<string, string>) => readActionConfig(runner({ ...base, ...extra })).endpoint;
    assert.equal(fips({ 'use-fips-endpoint': 'true' }), 'https://rolesanywhere-fips.eu-west-1.amazonaws.com');
    assert.equal(
      fips({ 'use-fips-endpoint': 'true', 'rolesanywhere-region': 'eu-central-1' }),
      'https://rolesanywhere-fips.eu-central-1.amazonaws.com',
    );
    // aws-region is only what later steps get: CreateSession stays in the trust anchor's region.
    assert.equal(
      fips({ 'use-fips-endpoint': 'true', 'aws-region': 'eu-central-1' }),
      'https://rolesanywhere-fips.eu-west-1.amazonaws.com',
    );
    assert.equal(fips({ 'use-fips-endpoint': 'false' }), undefined);
    assert.equal(
      fips({ 'use-fips-endpoint': 'true', 'rolesanywhere-endpoint': 'http://127.0.0.1:9' }),
      'http://127.0.0.1:9',
    );
  });
});
