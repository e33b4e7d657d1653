/** useFipsEndpoint: the FIPS URL of the session's region, resolved once; a custom endpoint wins. */
import assert from 'node:assert/strict';
import { readTaskInputs } from '../src/inputs.js';

const ARNS = {
  trustAnchorArn: 'arn:aws:rolesanywhere:eu-west-1:111122223333:trust-anchor/0c5a2b1e-7f4f-4c3b-9d6e-1a2b3c4d5e6f',
  profileArn: 'arn:aws:rolesanywhere:eu-west-1:111122223333:profile/9f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0',
  roleArn: 'arn:aws:iam::111122223333:role/deploy',
};

describe('task input useFipsEndpoint', () => {
  const base = { rolesAnywhereConnection: 'conn-1' };
  const connection = { certificate: '-----BEGIN CERTIFICATE-----\n', privateKey: 'k', ...ARNS };
  const withConnection = (given: Record<string, string>) =>
    readTaskInputs(
      (name) => ({ ...base, ...given })[name],
      () => (name) => connection[name as keyof typeof connection],
    );

  it("turns into the FIPS endpoint of the trust anchor's region (awsRegion only sets what later steps get)", () => {
    assert.equal(
      withConnection({ useFipsEndpoint: 'true' }).endpoint,
      'https://rolesanywhere-fips.eu-west-1.amazonaws.com',
    );
    assert.equal(
      withConnection({ useFipsEndpoint: 'true', awsRegion: 'us-east-1' }).endpoint,
      'https://rolesanywhere-fips.eu-west-1.amazonaws.com',
    );
    assert.equal(withConnection({ useFipsEndpoint: 'false' }).endpoint, undefined);
    assert.equal(
      withConnection({ useFipsEndpoint: 'true', endpoint: 'http://127.0.0.1:9' }).endpoint,
      'http://127.0.0.1:9',
    );
  });
});
