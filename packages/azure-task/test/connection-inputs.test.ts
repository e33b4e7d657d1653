/** A service connection as the task's only input: what it supplies, what it replaces, what it lacks. */
import assert from 'node:assert/strict';
import { IamraError } from '@iamra/core';
import type { ConnectionValues } from '../src/connection.js';
import { readTaskInputs } from '../src/inputs.js';

const ARNS = {
  trustAnchorArn: 'arn:aws:rolesanywhere:eu-west-1:111122223333:trust-anchor/0c5a2b1e-7f4f-4c3b-9d6e-1a2b3c4d5e6f',
  profileArn: 'arn:aws:rolesanywhere:eu-west-1:111122223333:profile/9f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0',
  roleArn: 'arn:aws:iam::111122223333:role/deploy',
};
const KEY = '-----BEGIN PRIVATE KEY-----\r\nMIGHAgEAMBMG\r\n-----END PRIVATE KEY-----\r\n';

function inputs(given: Record<string, string>, connection: Partial<ConnectionValues>) {
  return readTaskInputs(
    (name) => given[name],
    (id) => (name) => (id === 'conn-1' ? connection[name] : undefined),
  );
}

describe('service connection inputs', () => {
  const full = { certificate: ' -----BEGIN CERTIFICATE-----\n...\n', privateKey: KEY, passphrase: 'pw', ...ARNS };

  it('supplies the key material, passphrase, ARNs and region; awsRegion still wins', () => {
    const read = inputs({ rolesAnywhereConnection: 'conn-1' }, { ...full, region: 'eu-central-1' });
    assert.equal(read.connection?.privateKey, '-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMG\n-----END PRIVATE KEY-----');
    assert.equal(read.connection?.certificate, '-----BEGIN CERTIFICATE-----\n...');
    assert.equal(read.privateKeyPassphrase, 'pw');
    // A region is what later steps get; CreateSession goes to the trust anchor's region.
    assert.deepEqual(read.session, ARNS);
    assert.equal(read.awsRegion, 'eu-central-1');
    const override = inputs(
      { rolesAnywhereConnection: 'conn-1', awsRegion: 'us-west-2' },
      { ...full, region: 'eu-central-1' },
    );
    assert.equal(override.awsRegion, 'us-west-2');
  });

  it('refuses the inputs it replaces, naming them', () => {
    assert.throws(
      () => inputs({ rolesAnywhereConnection: 'conn-1', roleArn: ARNS.roleArn, certificateSecureFile: 'x' }, full),
      /^IamraError: input rolesAnywhereConnection replaces certificateSecureFile, roleArn: give the connection alone$/,
    );
  });

  it('says which field the connection lacks, never quoting a secret', () => {
    assert.throws(
      () => inputs({ rolesAnywhereConnection: 'conn-1' }, { ...full, privateKey: '  ' }),
      (error: unknown) =>
        error instanceof IamraError &&
        error.code === 'CONFIG_INVALID' &&
        /the service connection conn-1 \(input rolesAnywhereConnection\) has no Private key; edit the connection/.test(
          error.message,
        ),
    );
    assert.throws(() => inputs({ rolesAnywhereConnection: 'other' }, full), /has no Certificate/);
  });
});
