/** Credential formats, INI editing and credential_process command lines. */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import {
  buildCommandLine,
  credentialSecrets,
  readIniSection,
  removeIniSection,
  type SessionCredentials,
  toCredentialProcessJson,
  toEnvironment,
  upsertIniSection,
} from '@iamra/core';

const credentials: SessionCredentials = {
  accessKeyId: 'ASIAEXAMPLE',
  secretAccessKey: 'secret',
  sessionToken: 'token',
  expiration: new Date('2030-01-01T00:00:00Z'),
  assumedRoleArn: 'arn:aws:sts::123456789012:assumed-role/r/s',
  assumedRoleId: 'AROA:s',
  roleArn: 'arn:aws:iam::123456789012:role/r',
  sourceIdentity: 'CN=x',
  accountId: '123456789012',
  subjectArn: undefined,
};

describe('formats', () => {
  it('credential_process JSON in the documented order', () => {
    assert.equal(
      toCredentialProcessJson(credentials),
      '{"Version":1,"AccessKeyId":"ASIAEXAMPLE","SecretAccessKey":"secret","SessionToken":"token","Expiration":"2030-01-01T00:00:00.000Z"}',
    );
  });

  it('environment variables and the secrets to mask', () => {
    assert.deepEqual(toEnvironment(credentials, 'eu-west-1'), {
      AWS_ACCESS_KEY_ID: 'ASIAEXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'secret',
      AWS_SESSION_TOKEN: 'token',
      AWS_REGION: 'eu-west-1',
      AWS_DEFAULT_REGION: 'eu-west-1',
    });
    assert.deepEqual(credentialSecrets(credentials), ['ASIAEXAMPLE', 'secret', 'token']);
  });

  describe('INI', () => {
    const original =
      '# top comment\n[default]\nregion = us-east-1\n\n[profile other] ; keep me\n# inner comment\nregion = eu-west-1\noutput = json\n';

    it('adds a section at the end, keeping everything else', () => {
      const updated = upsertIniSection(original, 'profile ci', { region: 'us-east-2', credential_process: 'iamra x' });
      assert.ok(updated.startsWith(original));
      assert.match(updated, /\n\n\[profile ci\]\nregion = us-east-2\ncredential_process = iamra x\n$/);
      assert.equal(upsertIniSection('', 'default', { a: '1' }), '[default]\na = 1\n');
    });

    it('replaces its own keys in an existing section, keeping comments and foreign keys', () => {
      const updated = upsertIniSection(original, 'profile other', { region: 'ap-south-1' });
      assert.equal(readIniSection(updated, 'profile other')?.region, 'ap-south-1');
      assert.equal(readIniSection(updated, 'profile other')?.output, 'json');
      assert.match(updated, /# inner comment/);
      assert.match(updated, /^# top comment\n\[default\]\nregion = us-east-1\n/);
      const middle = upsertIniSection(original, 'default', { region: 'x' });
      assert.match(middle, /\[default\]\nregion = x\n\n\[profile other\]/);
    });

    it('removes a section and nothing else', () => {
      const removed = removeIniSection(original, 'profile other');
      assert.equal(removed, '# top comment\n[default]\nregion = us-east-1\n\n');
      assert.equal(removeIniSection(original, 'missing'), original);
      assert.equal(removeIniSection('[only]\na = 1\n', 'only'), '');
      assert.equal(readIniSection(original, 'missing'), undefined);
    });
  });

  describe('credential_process command lines', () => {
    const argv = [
      '/usr/bin/node',
      '/tmp/run ner/cli.js',
      'credential-process',
      '--role-session-name',
      'a"b$c`d\\e\'f',
      '--x',
      '',
      '/a dir #1/; b',
    ];

    it('POSIX: no whitespace before # or ; (the JS SDK reads it as an inline comment)', () => {
      const line = buildCommandLine(argv, 'linux');
      assert.doesNotMatch(line, /\s[#;]/);
    });

    it('POSIX: /bin/sh (the JS SDK) parses it back to the same argv', () => {
      const line = buildCommandLine(argv, 'linux');
      const parsed = execFileSync('/bin/sh', ['-c', `printf '%s\\n' ${line.split(' ').slice(1).join(' ')}`]).toString();
      assert.deepEqual(parsed.split('\n').slice(0, -1), argv.slice(1));
    });

    it('POSIX: Python shlex (the AWS CLI) parses it back to the same argv', () => {
      const line = buildCommandLine(argv, 'linux');
      const parsed = execFileSync('python3', [
        '-c',
        'import json,shlex,sys; print(json.dumps(shlex.split(sys.argv[1])))',
        line,
      ]).toString();
      assert.deepEqual(JSON.parse(parsed), argv);
    });

    it('Windows: quotes paths with spaces, doubles a trailing backslash run, refuses quotes', () => {
      assert.equal(
        buildCommandLine(['C:\\Program Files\\node.exe', 'C:\\a\\cli.js', 'say hi', 'dir\\'], 'win32'),
        '"C:\\Program Files\\node.exe" C:\\a\\cli.js "say hi" dir\\',
      );
      assert.equal(buildCommandLine(['x', 'with space\\'], 'win32'), 'x "with space\\\\"');
      assert.throws(() => buildCommandLine(['x', 'say "hi"'], 'win32'), /COMMAND_LINE_UNSAFE|double quote/);
    });
  });
});
