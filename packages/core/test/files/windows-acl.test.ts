/**
 * Private files on Windows: the exact icacls and whoami command lines, run without a shell, and
 * their order (an empty file is restricted before any byte is written), checked on Linux with
 * an injected runner; every failure refuses the write and leaves nothing behind.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ensurePrivateDirectory,
  fileProtectionFor,
  IamraError,
  parseWhoamiSid,
  runCommandSync,
  windowsAcl,
  writePrivateFile,
} from '@iamra/core';
import { aclRecorder, icaclsCalls, SYSTEM32, TEST_SID } from '../../../../test/support/acl-recorder.js';
import { testDir } from '../../../../test/support/pki.js';

const ENV = { SystemRoot: 'C:\\Windows' };

function isAclFailure(error: unknown): boolean {
  return error instanceof IamraError && error.code === 'FILE_ACL_FAILED' && !error.toLine().includes('\n');
}

describe('core: private files on Windows (ACL)', () => {
  it('restricts the new, empty temp file to the user SID before writing, then renames it', () => {
    const recorder = aclRecorder();
    const dir = testDir();
    const path = join(dir, 'private-key');
    writePrivateFile(path, '-----BEGIN PRIVATE KEY-----\n', windowsAcl(recorder.run, ENV));
    assert.deepEqual(recorder.calls[0]?.file, `${SYSTEM32}\\whoami.exe`);
    assert.deepEqual(recorder.calls[0]?.args, ['/user', '/fo', 'csv', '/nh']);
    const [call, ...more] = icaclsCalls(recorder);
    assert.equal(more.length, 0);
    assert.equal(call?.file, `${SYSTEM32}\\icacls.exe`);
    const temp = call?.args[0] ?? '';
    assert.match(temp, /[/\\]\.private-key\.[^/\\]+\.tmp$/, 'the temp file, before it takes the name');
    assert.deepEqual(call?.args.slice(1), ['/inheritance:r', '/grant:r', `*${TEST_SID}:F`, '/q']);
    assert.equal(call?.sizeThen, 0, 'nothing written before the ACL');
    assert.equal(readFileSync(path, 'utf8'), '-----BEGIN PRIVATE KEY-----\n');
    assert.deepEqual(readdirSync(dir), ['private-key'], 'no temp file left');
  });

  it('restricts each directory it creates (inherited by files made later), not one that exists', () => {
    const recorder = aclRecorder();
    const root = testDir();
    ensurePrivateDirectory(root, join(root, 'iamra'));
    ensurePrivateDirectory(root, join(root, 'iamra', 'profiles', 'dev'), windowsAcl(recorder.run, ENV));
    const calls = icaclsCalls(recorder);
    assert.deepEqual(
      calls.map((call) => call.args),
      [join(root, 'iamra', 'profiles'), join(root, 'iamra', 'profiles', 'dev')].map((dir) => [
        dir,
        '/inheritance:r',
        '/grant:r',
        `*${TEST_SID}:(OI)(CI)F`,
        '/q',
      ]),
    );
    assert.ok(calls.every((call) => call.isDirectory));
  });

  it('asks whoami once per protection, and finds the programs under SystemRoot', () => {
    const recorder = aclRecorder();
    const protection = windowsAcl(recorder.run, { SystemRoot: 'D:\\WINNT' });
    const dir = testDir();
    writePrivateFile(join(dir, 'a'), 'x', protection);
    writePrivateFile(join(dir, 'b'), 'y', protection);
    assert.deepEqual(
      recorder.calls.map((call) => call.file),
      ['D:\\WINNT\\System32\\whoami.exe', 'D:\\WINNT\\System32\\icacls.exe', 'D:\\WINNT\\System32\\icacls.exe'],
    );
  });

  it('fails closed when icacls fails: FILE_ACL_FAILED, one line, no file and no temp file left', () => {
    const recorder = aclRecorder({ fail: 5 });
    const dir = testDir();
    assert.throws(() => writePrivateFile(join(dir, 'private-key'), 'KEY', windowsAcl(recorder.run, ENV)), isAclFailure);
    assert.deepEqual(readdirSync(dir), []);
  });

  it('fails closed when a directory cannot be restricted: the new directory is removed', () => {
    const recorder = aclRecorder({ fail: 1332 });
    const root = testDir();
    assert.throws(() => ensurePrivateDirectory(root, join(root, 'iamra'), windowsAcl(recorder.run, ENV)), isAclFailure);
    assert.equal(existsSync(join(root, 'iamra')), false);
  });

  it('fails closed when whoami gives no SID (nothing written)', () => {
    const recorder = aclRecorder({ whoami: 'ERROR: access denied\r\n' });
    const dir = testDir();
    assert.throws(() => writePrivateFile(join(dir, 'k'), 'KEY', windowsAcl(recorder.run, ENV)), isAclFailure);
    assert.deepEqual(readdirSync(dir), []);
  });

  it('parses whoami /user /fo csv /nh, and refuses anything but a SID', () => {
    assert.equal(parseWhoamiSid('"nt authority\\network service","S-1-5-20"\r\n'), 'S-1-5-20');
    assert.equal(parseWhoamiSid(`"d\\u","${TEST_SID}"`), TEST_SID);
    assert.equal(parseWhoamiSid('"d\\u","S-1-5-20 /grant Everyone:F"'), undefined);
    assert.equal(parseWhoamiSid(''), undefined);
  });

  it('Windows gets an ACL; Linux and macOS keep 0600 / 0700 (no command run)', () => {
    const recorder = aclRecorder();
    assert.ok(fileProtectionFor('win32', recorder.run, ENV));
    assert.equal(fileProtectionFor('linux', recorder.run, ENV), undefined);
    assert.equal(fileProtectionFor('darwin', recorder.run, ENV), undefined);
    assert.deepEqual(recorder.calls, []);
  });
});

describe('core: runCommandSync', () => {
  it('runs the program itself, no shell: metacharacters reach it as they are', () => {
    assert.equal(runCommandSync('/bin/echo', ['a;b', '$HOME', '&', '%PATH%']), 'a;b $HOME & %PATH%\n');
  });

  it('throws with the exit status when the program fails', () => {
    assert.throws(
      () => runCommandSync('/bin/false', []),
      (error: unknown) => (error as { status?: number }).status === 1,
    );
  });
});
