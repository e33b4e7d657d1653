/**
 * Profile mode for a Windows runner, checked on Linux with the platform and the command runner
 * injected: the line botocore splits with Windows rules starts node.exe on the bundle (no .cmd
 * shim, no shell), every file and directory is restricted before a byte is written, and what no
 * Windows client could read is refused before anything lands on disk.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import {
  awsSharedFilePath,
  IamraError,
  type ProfileFilesInput,
  readIniSection,
  resolveSessionParameters,
  windowsAcl,
  writeProfileFiles,
} from '@iamra/core';
import { aclRecorder, icaclsCalls, TEST_SID } from '../../../../test/support/acl-recorder.js';
import { botocoreReads } from '../../../../test/support/config-readers.js';
import { makePki, testDir } from '../../../../test/support/pki.js';

const NODE = 'C:\\actions runner\\externals\\node24\\bin\\node.exe';
const CLI = 'C:\\actions runner\\_work\\_actions\\iamra\\iamra\\v1\\dist\\cli\\index.js';

const params = resolveSessionParameters({
  trustAnchorArn: 'arn:aws:rolesanywhere:eu-west-1:123456789012:trust-anchor/0c5a2b1e-7f4f-4c3b-9d6e-1a2b3c4d5e6f',
  profileArn: 'arn:aws:rolesanywhere:eu-west-1:123456789012:profile/9f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0',
  roleArn: 'arn:aws:iam::123456789012:role/deploy',
});

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

describe('core: profile mode on a Windows runner (platform injected)', () => {
  const pki = makePki({ subjectPrefix: 'winprofile' });
  const input = (tempDir: string, extra: Partial<ProfileFilesInput> = {}): ProfileFilesInput => ({
    tempDir,
    profileName: 'dev',
    material: { certificate: pki.ecLeaf.certPem, privateKey: pki.ecLeaf.keyPem, privateKeyPassphrase: 'pw' },
    params,
    nodePath: NODE,
    cliPath: CLI,
    platform: 'win32',
    env: {},
    ...extra,
  });

  it('botocore (win32 rules) splits the profile line into node.exe, the bundle and every argument', () => {
    const tempDir = join(testDir(), 'job & co #1');
    mkdirSync(tempDir);
    const recorder = aclRecorder();
    const files = writeProfileFiles(input(tempDir, { fileProtection: windowsAcl(recorder.run, {}) }));
    const [read] = botocoreReads([{ file: files.configFile, section: 'profile dev', platform: 'win32' }]);
    const argv = read?.argv ?? [];
    assert.deepEqual(argv.slice(0, 3), [NODE, CLI, 'credential-process']);
    const value = (flag: string) => argv[argv.indexOf(flag) + 1];
    assert.equal(value('--certificate'), join(files.profileDir, 'certificate'));
    assert.equal(value('--private-key'), join(files.profileDir, 'private-key'));
    assert.equal(value('--private-key-passphrase-file'), join(files.profileDir, 'private-key-passphrase'));
    assert.equal(value('--cache-dir'), files.cacheDir);
    assert.equal(value('--region'), 'eu-west-1');
    const line = readIniSection(readFileSync(files.configFile, 'utf8'), 'profile dev')?.credential_process ?? '';
    assert.doesNotMatch(line, /\s[#;]/, 'no inline comment for the JS and Go INI readers');
    assert.doesNotMatch(line, /pw|PRIVATE KEY/, 'no secret on the line');
  });

  it('restricts every directory and every file (empty, under its temp name) before writing it', () => {
    const tempDir = testDir();
    const recorder = aclRecorder();
    const files = writeProfileFiles(
      input(tempDir, {
        fileProtection: windowsAcl(recorder.run, {}),
        credentials: {
          accessKeyId: 'ASIAEXAMPLE',
          secretAccessKey: 'secret',
          sessionToken: 'token',
          expiration: new Date(Date.now() + 3_600_000),
          assumedRoleArn: 'arn:aws:sts::123456789012:assumed-role/deploy/x',
          assumedRoleId: 'AROA:x',
          roleArn: params.roleArn,
          sourceIdentity: 'CN=x',
          accountId: '123456789012',
          subjectArn: undefined,
        },
      }),
    );
    const calls = icaclsCalls(recorder);
    const directories = calls.filter((call) => call.isDirectory).map((call) => call.args[0]);
    const root = join(tempDir, 'iamra');
    assert.deepEqual(directories, [root, join(root, 'profiles'), files.profileDir, files.cacheDir]);
    const written = filesUnder(root);
    assert.equal(written.length, 5, 'certificate, key, passphrase, config, cache entry');
    for (const file of written) {
      const call = calls.find(
        (each) =>
          !each.isDirectory &&
          dirname(each.args[0] ?? '') === dirname(file) &&
          basename(each.args[0] ?? '').startsWith(`.${basename(file)}.`),
      );
      assert.ok(call, `${file} restricted`);
      assert.equal(call.sizeThen, 0, `${file}: nothing written before its ACL`);
      assert.equal(call.args[3], `*${TEST_SID}:F`);
    }
  });

  it('refuses a Windows profile without an ACL, writing nothing', () => {
    const tempDir = testDir();
    assert.throws(
      () => writeProfileFiles(input(tempDir)),
      (error: unknown) => error instanceof IamraError,
    );
    assert.equal(existsSync(join(tempDir, 'iamra')), false);
  });

  it('refuses non-ASCII paths on Windows (the AWS CLI reads the config in the code page), writing nothing', () => {
    const tempDir = join(testDir(), 'José');
    mkdirSync(tempDir);
    const recorder = aclRecorder();
    assert.throws(
      () => writeProfileFiles(input(tempDir, { fileProtection: windowsAcl(recorder.run, {}) })),
      (error: unknown) =>
        error instanceof IamraError && error.code === 'COMMAND_LINE_UNSAFE' && /code page/.test(error.message),
    );
    assert.deepEqual(readdirSync(tempDir), []);
    assert.deepEqual(recorder.calls, []);
  });

  it('refuses a % in the temp directory on Windows (cmd.exe would expand it), writing nothing', () => {
    const tempDir = join(testDir(), '100%');
    mkdirSync(tempDir);
    assert.throws(
      () => writeProfileFiles(input(tempDir, { fileProtection: windowsAcl(aclRecorder().run, {}) })),
      (error: unknown) => error instanceof IamraError && error.code === 'COMMAND_LINE_UNSAFE',
    );
    assert.deepEqual(readdirSync(tempDir), []);
  });

  it('refuses a profile differing only in case from one of the job (macOS and Windows ignore case)', () => {
    const tempDir = testDir();
    writeProfileFiles(input(tempDir, { platform: 'darwin' }));
    assert.throws(
      () => writeProfileFiles(input(tempDir, { platform: 'darwin', profileName: 'Dev' })),
      (error: unknown) =>
        error instanceof IamraError && error.code === 'CONFIG_INVALID' && /only in case/.test(error.message),
    );
    assert.deepEqual(readdirSync(join(tempDir, 'iamra', 'profiles')), ['dev']);
    writeProfileFiles(input(tempDir, { platform: 'darwin', profileName: 'dev' }));
  });

  it("finds the user's AWS files where the AWS CLI does on Windows: USERPROFILE, even with HOME set", () => {
    const env = { HOME: '/c/Users/u', USERPROFILE: 'C:\\Users\\u' };
    assert.equal(awsSharedFilePath(env, 'config', 'win32'), 'C:\\Users\\u\\.aws\\config');
    assert.equal(
      awsSharedFilePath({ ...env, AWS_SHARED_CREDENTIALS_FILE: '~\\ci\\creds' }, 'credentials', 'win32'),
      'C:\\Users\\u\\ci\\creds',
    );
    assert.equal(awsSharedFilePath({ ...env, AWS_CONFIG_FILE: 'D:\\x\\config' }, 'config', 'win32'), 'D:\\x\\config');
    assert.equal(awsSharedFilePath(env, 'config', 'linux'), '/c/Users/u/.aws/config');
  });
});
