/**
 * Defect 6: planted symlinks. Someone who can write the job's temp directory (or the cache
 * directory) plants links where iamra writes private files; no write may go through one. Each
 * path iamra writes is tried: the profile's key files, the job-scoped AWS config, the primed
 * cache entry, a directory level, the CLI's cache entry, the task's secure file and summary.
 */
import assert from 'node:assert/strict';
import { lstatSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  cacheEntryFileName,
  IamraError,
  resolveSessionParameters,
  type SessionCredentials,
  writePrivateFile,
  writeProfileFiles,
} from '@iamra/core';
import { downloadSecureFile } from '../../packages/azure-task/src/secure-files.js';
import { CredentialCache } from '../../packages/cli/src/cache/store.js';
import { makePki, testDir } from '../support/pki.js';
import { PROFILE_ARN, ROLE_ARN, TRUST_ANCHOR_ARN } from './fixtures.js';

const CREDENTIALS: SessionCredentials = {
  accessKeyId: 'ASIASYMLINKTEST00001',
  secretAccessKey: 'symlink-secret',
  sessionToken: 'symlink-token',
  expiration: new Date(Date.now() + 3_600_000),
  assumedRoleArn: 'arn:aws:sts::123456789012:assumed-role/deploy/s',
  assumedRoleId: 'AROA:s',
  roleArn: ROLE_ARN,
  sourceIdentity: 'CN=x',
  accountId: '123456789012',
  subjectArn: undefined,
};

/** A file an attacker wants overwritten (or read), with the content it must keep. */
function victim(): { path: string; content: string } {
  const path = join(testDir(), 'victim.txt');
  writeFileSync(path, 'precious', { mode: 0o644 });
  return { path, content: 'precious' };
}

function assertUntouched(target: { path: string; content: string }): void {
  assert.equal(readFileSync(target.path, 'utf8'), target.content, 'the link target was written through');
}

function assertPrivateRegularFile(path: string, content?: string): void {
  const stat = lstatSync(path);
  assert.ok(stat.isFile() && !stat.isSymbolicLink(), `${path} is a regular file`);
  assert.equal(stat.mode & 0o777, 0o600);
  if (content !== undefined) assert.equal(readFileSync(path, 'utf8'), content);
}

describe('security: planted symlinks are never followed', () => {
  const pki = makePki({ subjectPrefix: 'symlink' });
  const params = resolveSessionParameters({
    trustAnchorArn: TRUST_ANCHOR_ARN,
    profileArn: PROFILE_ARN,
    roleArn: ROLE_ARN,
  });

  function profile(tempDir: string) {
    return writeProfileFiles({
      tempDir,
      profileName: 'p',
      material: { certificate: pki.ecLeaf.certPem, privateKey: pki.ecLeaf.keyPem, privateKeyPassphrase: 'pass' },
      params,
      nodePath: '/usr/bin/node',
      cliPath: '/opt/iamra/cli.js',
      credentials: CREDENTIALS,
    });
  }

  for (const name of ['private-key', 'certificate', 'private-key-passphrase']) {
    it(`a link planted at $RUNNER_TEMP/iamra/profiles/p/${name} is replaced, its target untouched`, () => {
      const tempDir = testDir();
      const target = victim();
      mkdirSync(join(tempDir, 'iamra', 'profiles', 'p'), { recursive: true, mode: 0o700 });
      symlinkSync(target.path, join(tempDir, 'iamra', 'profiles', 'p', name));
      const files = profile(tempDir);
      assertUntouched(target);
      assertPrivateRegularFile(join(files.profileDir, name));
    });
  }

  it('a link planted at the primed cache entry is replaced, its target untouched', () => {
    const tempDir = testDir();
    const first = profile(testDir());
    const entryName = readdirNames(first.cacheDir)[0] ?? '';
    assert.equal(entryName.length, cacheEntryFileName('x'.repeat(64)).length);
    const target = victim();
    mkdirSync(join(tempDir, 'iamra', 'cache'), { recursive: true, mode: 0o700 });
    symlinkSync(target.path, join(tempDir, 'iamra', 'cache', entryName));
    const files = profile(tempDir);
    assertUntouched(target);
    assertPrivateRegularFile(join(files.cacheDir, entryName));
  });

  it('a link planted at the AWS config file is refused: not read, not written through', () => {
    const tempDir = testDir();
    const target = victim();
    mkdirSync(join(tempDir, 'iamra'), { recursive: true, mode: 0o700 });
    symlinkSync(target.path, join(tempDir, 'iamra', 'aws-config'));
    assert.throws(
      () => profile(tempDir),
      (error: unknown) => error instanceof IamraError && error.code === 'PATH_UNSAFE',
    );
    assertUntouched(target);
  });

  for (const level of ['iamra', join('iamra', 'profiles'), join('iamra', 'profiles', 'p'), join('iamra', 'cache')]) {
    it(`a directory link planted at ${level} is refused with PATH_UNSAFE, nothing written into its target`, () => {
      const tempDir = testDir();
      const elsewhere = testDir();
      const parent = join(tempDir, level, '..');
      mkdirSync(parent, { recursive: true, mode: 0o700 });
      symlinkSync(elsewhere, join(tempDir, level));
      assert.throws(
        () => profile(tempDir),
        (error: unknown) => error instanceof IamraError && error.code === 'PATH_UNSAFE',
      );
      assert.deepEqual(readdirNames(elsewhere), []);
    });
  }

  it("the CLI's cache replaces a link planted at an entry's name", async () => {
    const dir = join(testDir(), 'cache');
    mkdirSync(dir, { mode: 0o700 });
    const target = victim();
    const key = 'a'.repeat(64);
    symlinkSync(target.path, join(dir, cacheEntryFileName(key)));
    const cache = new CredentialCache(
      { dir, refreshSeconds: 300, lockTimeoutMs: 1000 },
      {
        now: () => new Date(),
        sleep: async () => {},
        uid: process.getuid?.(),
        debug: () => {},
        pid: process.pid,
        isProcessAlive: () => true,
      },
    );
    assert.equal(await cache.read(key, 3600), undefined, 'a link is never read');
    await cache.write(key, CREDENTIALS);
    assertUntouched(target);
    assertPrivateRegularFile(join(dir, cacheEntryFileName(key)));
    assert.equal((await cache.read(key, 3600))?.accessKeyId, CREDENTIALS.accessKeyId);
  });

  it("the task's secure-file download replaces a link planted at its path", async () => {
    const tempDir = testDir();
    const dir = join(tempDir, 'iamra', 'secure-files');
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const target = victim();
    const id = '11111111-aaaa-4bbb-8ccc-000000000001';
    symlinkSync(target.path, join(dir, `${id}-key.pem`));
    const path = await downloadSecureFile(id, 'privateKeySecureFile', {
      collectionUri: 'http://127.0.0.1:1/',
      project: 'p',
      accessToken: 'token',
      ticket: () => 'ticket',
      name: () => 'key.pem',
      transport: async () => ({
        status: 200,
        headers: {},
        body: pki.ecLeaf.keyPem,
        bytes: Buffer.from(pki.ecLeaf.keyPem),
      }),
      sleep: async () => {},
      debug: () => {},
      dir,
      root: tempDir,
    } as Parameters<typeof downloadSecureFile>[2]);
    assertUntouched(target);
    assertPrivateRegularFile(path, pki.ecLeaf.keyPem);
  });

  it('writePrivateFile refuses a directory that is a link or belongs to someone else', () => {
    const real = testDir();
    const link = join(testDir(), 'link');
    symlinkSync(real, link);
    assert.throws(() => writePrivateFile(join(link, 'f'), 'x'), /PATH_UNSAFE|symbolic link/);
    writePrivateFile(join(real, 'f'), 'x');
    assert.equal(statSync(join(real, 'f')).mode & 0o777, 0o600);
  });
});

function readdirNames(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
