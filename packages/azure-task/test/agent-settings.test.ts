/** What the task takes from the agent before task-lib loads (secrets) and from its certificate settings. */
import assert from 'node:assert/strict';
import { tlsFilesFrom } from '../src/agent/certificates.js';
import { stepSecrets } from '../src/agent/secrets-first.js';

describe('step secrets, found before task-lib loads', () => {
  const key =
    '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\nBKcwggSjAgEAAoIBAQC7\n-----END PRIVATE KEY-----\n';

  it('masks secret inputs, secret variables, tickets and endpoint secrets line by line', () => {
    const secrets = stepSecrets({
      INPUT_PRIVATEKEYPASSPHRASE: 'key passphrase',
      INPUT_TRUSTANCHORARN: 'arn:aws:rolesanywhere:us-east-1:111122223333:trust-anchor/x',
      SECRET_AGENT_PROXYPASSWORD: 'proxy-password',
      SECUREFILE_TICKET_abc: 'ticket-abc',
      SECUREFILE_NAME_abc: 'leaf.pem',
      ENDPOINT_AUTH_PARAMETER_SYSTEMVSSCONNECTION_ACCESSTOKEN: 'job-token',
      ENDPOINT_AUTH_SCHEME_SYSTEMVSSCONNECTION: 'OAuth',
      ENDPOINT_AUTH_PARAMETER_CONN1_PRIVATEKEY: key,
      ENDPOINT_AUTH_PARAMETER_CONN1_ROLEARN: 'arn:aws:iam::111122223333:role/deploy',
      ENDPOINT_AUTH_CONN1: JSON.stringify({
        parameters: { privateKey: key, passphrase: 'conn passphrase', roleArn: 'arn:aws:iam::1:role/r' },
        scheme: 'None',
      }),
      PATH: '/bin',
    });
    for (const value of ['key passphrase', 'proxy-password', 'ticket-abc', 'job-token', 'conn passphrase']) {
      assert.ok(secrets.includes(value), value);
    }
    for (const line of key.trim().split('\n')) assert.ok(secrets.includes(line), line);
    assert.ok(
      secrets.every((secret) => !/[\r\n]/.test(secret)),
      'the agent masks single lines',
    );
    for (const shown of [
      'leaf.pem',
      'OAuth',
      '/bin',
      'arn:aws:iam::111122223333:role/deploy',
      'arn:aws:iam::1:role/r',
    ]) {
      assert.ok(!secrets.includes(shown), `${shown} is not a secret`);
    }
    assert.ok(!secrets.some((secret) => secret.startsWith('arn:aws:rolesanywhere')), 'plain inputs are not secrets');
  });

  it('tolerates an endpoint whose JSON does not parse (the whole value is still masked)', () => {
    assert.deepEqual(stepSecrets({ ENDPOINT_AUTH_X: '{not json' }), ['{not json']);
  });
});

describe("agent's certificate settings", () => {
  it('passes the CA, a PEM client certificate with its key and password, and SkipCertValidation', () => {
    assert.deepEqual(
      tlsFilesFrom(
        { caFile: '/ca.pem', certFile: '/c.pem', keyFile: '/k.pem', certArchiveFile: '/c.pfx', passphrase: 'pw' },
        'True',
      ),
      { caFile: '/ca.pem', certFile: '/c.pem', keyFile: '/k.pem', passphrase: 'pw', rejectUnauthorized: false },
    );
  });

  it('uses the archive when there is no PEM key, and nothing when the agent has no settings', () => {
    assert.deepEqual(tlsFilesFrom({ certFile: '/c.pem', certArchiveFile: '/c.pfx', passphrase: 'pw' }), {
      pfxFile: '/c.pfx',
      passphrase: 'pw',
    });
    assert.deepEqual(tlsFilesFrom(undefined, 'false'), {});
  });
});
