/**
 * The task's secure files on a Windows agent (platform injected, no Windows machine here): the
 * downloaded key's directories and file get the current user's ACL before a byte is written,
 * and a failing icacls fails the download with one line and no key on disk.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileProtectionFor, IamraError } from '@iamra/core';
import { aclRecorder, icaclsCalls, TEST_SID } from '../../../test/support/acl-recorder.js';
import { makePki, testDir } from '../../../test/support/pki.js';
import { downloadSecureFile, type SecureFileContext } from '../src/secure-files.js';

const ID = '11111111-aaaa-4bbb-8ccc-000000000001';

describe('task secure files on a Windows agent (injected)', () => {
  const pki = makePki({ subjectPrefix: 'winsecure' });
  const context = (root: string, run: ReturnType<typeof aclRecorder>['run']): SecureFileContext => ({
    collectionUri: 'http://127.0.0.1:1/',
    project: 'p',
    accessToken: 'token',
    ticket: () => 'ticket',
    name: () => 'key.pem',
    transport: async () => ({ status: 200, headers: {}, body: '', bytes: Buffer.from(pki.ecLeaf.keyPem) }),
    sleep: async () => {},
    debug: () => {},
    dir: join(root, 'iamra', 'secure-files'),
    root,
    protection: fileProtectionFor('win32', run, { SystemRoot: 'C:\\Windows' }),
  });

  it('restricts iamra, secure-files and the key file (empty) before writing the key', async () => {
    const root = testDir();
    const recorder = aclRecorder();
    const path = await downloadSecureFile(ID, 'privateKeySecureFile', context(root, recorder.run));
    assert.equal(readFileSync(path, 'utf8'), pki.ecLeaf.keyPem);
    const calls = icaclsCalls(recorder);
    assert.deepEqual(
      calls.map((call) => [call.args[0], call.args[3]]),
      [
        [join(root, 'iamra'), `*${TEST_SID}:(OI)(CI)F`],
        [join(root, 'iamra', 'secure-files'), `*${TEST_SID}:(OI)(CI)F`],
        [calls[2]?.args[0], `*${TEST_SID}:F`],
      ],
    );
    assert.match(calls[2]?.args[0] ?? '', new RegExp(`\\.${ID}-key\\.pem\\.[^/]+\\.tmp$`));
    assert.equal(calls[2]?.sizeThen, 0);
  });

  it('a failing icacls fails the download with FILE_ACL_FAILED; no key is left', async () => {
    const root = testDir();
    await assert.rejects(
      downloadSecureFile(ID, 'privateKeySecureFile', context(root, aclRecorder({ fail: 5 }).run)),
      (error: unknown) => error instanceof IamraError && error.code === 'FILE_ACL_FAILED',
    );
    assert.equal(existsSync(join(root, 'iamra')), false);
  });
});
