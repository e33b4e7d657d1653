/** The task's inputs for keys on a PKCS#11 token: read, checked against the other inputs, declared, masked. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { IamraError } from '@iamra/core';
import { stepSecrets } from '../src/agent/secrets-first.js';
import { readTaskInputs } from '../src/inputs.js';

const ARNS = {
  trustAnchorArn: 'arn:aws:rolesanywhere:eu-west-1:111122223333:trust-anchor/0c5a2b1e-7f4f-4c3b-9d6e-1a2b3c4d5e6f',
  profileArn: 'arn:aws:rolesanywhere:eu-west-1:111122223333:profile/9f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0',
  roleArn: 'arn:aws:iam::111122223333:role/deploy',
};
const CERT_URI = 'pkcs11:token=YubiKey%20PIV;object=X.509%20Certificate%20for%20Digital%20Signature';
const KEY_URI = 'pkcs11:token=HSM;object=ci-key;type=private';

function read(given: Record<string, string>, env: NodeJS.ProcessEnv = {}) {
  const inputs: Record<string, string> = { ...ARNS, ...given };
  return readTaskInputs(
    (name) => inputs[name],
    () => () => undefined,
    () => undefined,
    env,
  );
}

const refused = (pattern: RegExp) => (error: unknown) => {
  assert.ok(error instanceof IamraError);
  assert.equal(error.code, 'CONFIG_INVALID');
  assert.match(error.message, pattern);
  return true;
};

describe('task inputs for keys on a PKCS#11 token', () => {
  it('reads the URIs, the module, the PIN input and reuse-pin', () => {
    const inputs = read({
      pkcs11Certificate: CERT_URI,
      pkcs11PrivateKey: KEY_URI,
      pkcs11Lib: '/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so',
      pkcs11Pin: '123456',
      pkcs11ReusePin: 'true',
    });
    assert.deepEqual(inputs.token, {
      certificate: CERT_URI,
      privateKey: KEY_URI,
      modulePath: '/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so',
      reusePin: true,
      pin: '123456',
    });
  });

  it('takes the PIN from IAMRA_PKCS11_PIN when the input is empty; a certificate file may go with a token key', () => {
    const inputs = read(
      { certificateFile: '/agent/cert.pem', pkcs11PrivateKey: KEY_URI },
      { IAMRA_PKCS11_PIN: '4711' },
    );
    assert.equal(inputs.token?.pin, '4711');
    assert.equal(inputs.token?.certificate, undefined);
    assert.deepEqual(inputs.files.certificate, { path: '/agent/cert.pem' });
  });

  it('has no token without a URI; the other token inputs alone are refused', () => {
    assert.equal(read({ certificateFile: '/c.pem', privateKeyFile: '/k.pem' }).token, undefined);
    assert.throws(
      () => read({ certificateFile: '/c.pem', privateKeyFile: '/k.pem', pkcs11Pin: '1234' }),
      refused(/pkcs11Lib, pkcs11Pin and pkcs11ReusePin need a pkcs11: URI/),
    );
  });

  it('refuses a URI input that is not a URI, a malformed URI, and a URI in a file input (the agent roots those)', () => {
    assert.throws(
      () => read({ pkcs11Certificate: '/etc/cert.pem' }),
      refused(/input pkcs11Certificate must be a pkcs11: URI/),
    );
    assert.throws(
      () => read({ pkcs11PrivateKey: 'pkcs11:colour=red' }),
      (error: unknown) => error instanceof IamraError && error.code === 'PKCS11_URI_INVALID',
    );
    assert.throws(
      () => read({ certificateFile: '/agent/_work/1/s/pkcs11:token=HSM;object=cert' }),
      refused(
        /input certificateFile holds a pkcs11: URI, which the agent treats as a path; give the URI in pkcs11Certificate/,
      ),
    );
  });

  it('refuses a token beside a PKCS#12 file or a service connection', () => {
    assert.throws(() => read({ pkcs11PrivateKey: KEY_URI, pkcs12File: '/b.p12' }), refused(/not both/));
    assert.throws(
      () =>
        readTaskInputs(
          (name) => ({ rolesAnywhereConnection: 'conn', pkcs11PrivateKey: KEY_URI })[name],
          () => () => undefined,
        ),
      refused(/rolesAnywhereConnection replaces pkcs11PrivateKey/),
    );
  });

  it('a certificate file still needs a key: a file or a token URI', () => {
    assert.throws(() => read({ certificateFile: '/c.pem' }), refused(/privateKeyFile or pkcs11PrivateKey/));
  });

  it('task.json declares the token inputs as strings (not filePath) in their own group', () => {
    const task = JSON.parse(
      readFileSync(
        join(import.meta.dirname, '..', '..', '..', 'tasks', 'RolesAnywhereCredentialsV1', 'task.json'),
        'utf8',
      ),
    ) as { inputs: { name: string; type: string; groupName: string }[] };
    const declared = Object.fromEntries(task.inputs.map((input) => [input.name, input]));
    for (const name of ['pkcs11Certificate', 'pkcs11PrivateKey', 'pkcs11Lib', 'pkcs11Pin']) {
      assert.equal(declared[name]?.type, 'string', name);
      assert.equal(declared[name]?.groupName, 'token', name);
    }
    assert.equal(declared.pkcs11ReusePin?.type, 'boolean');
  });

  it('masks the PIN input, IAMRA_PKCS11_PIN and a pin-value written in a URI input, before task-lib loads', () => {
    const secrets = stepSecrets({
      INPUT_PKCS11PIN: 'pin-from-input',
      IAMRA_PKCS11_PIN: 'pin-from-env',
      INPUT_PKCS11PRIVATEKEY: `${KEY_URI}?pin-value=pin%20value`,
      INPUT_PKCS11CERTIFICATE: CERT_URI,
    });
    for (const secret of ['pin-from-input', 'pin-from-env', 'pin%20value', 'pin value']) {
      assert.ok(secrets.includes(secret), secret);
    }
    assert.ok(!secrets.includes(CERT_URI), 'a URI names the key; it is not secret');
  });
});
