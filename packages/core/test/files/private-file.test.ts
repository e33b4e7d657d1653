/**
 * The private-file writer in core, tested directly (test/security/symlinks.test.ts drives it
 * through every front end): what it refuses, what it repairs, and what it leaves behind.
 */
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensurePrivateDirectory, IamraError, readPrivateFile, writePrivateFile } from '@iamra/core';
import { testDir } from '../../../../test/support/pki.js';

const unsafe = (why: RegExp) => (error: unknown) => {
  assert.ok(error instanceof IamraError, String(error));
  assert.equal(error.code, 'PATH_UNSAFE');
  assert.match(error.message, why);
  return true;
};

describe('private files (core)', () => {
  let root: string;
  beforeEach(() => {
    root = testDir();
  });

  it('creates each missing level 0700 and writes 0600', () => {
    const dir = join(root, 'a', 'b');
    ensurePrivateDirectory(root, dir);
    writePrivateFile(join(dir, 'key.pem'), 'secret');
    assert.equal(statSync(join(root, 'a')).mode & 0o777, 0o700);
    assert.equal(statSync(dir).mode & 0o777, 0o700);
    assert.equal(statSync(join(dir, 'key.pem')).mode & 0o777, 0o600);
    assert.equal(readPrivateFile(join(dir, 'key.pem')), 'secret');
  });

  it('takes back a level that others could write (0777 becomes 0700)', () => {
    const dir = join(root, 'open');
    mkdirSync(dir, { mode: 0o777 });
    chmodSync(dir, 0o777);
    ensurePrivateDirectory(root, dir);
    assert.equal(statSync(dir).mode & 0o777, 0o700);
  });

  it('refuses a directory outside the root, a linked level and a file in the way', () => {
    assert.throws(() => ensurePrivateDirectory(root, join(root, '..', 'elsewhere')), unsafe(/is outside/));
    mkdirSync(join(root, 'real'));
    symlinkSync(join(root, 'real'), join(root, 'link'));
    assert.throws(() => ensurePrivateDirectory(root, join(root, 'link', 'x')), unsafe(/is a symbolic link/));
    writeFileSync(join(root, 'file'), '');
    assert.throws(() => ensurePrivateDirectory(root, join(root, 'file', 'x')), unsafe(/is not a directory/));
  });

  it('writes raw bytes, and replaces a file atomically without leaving temp files', () => {
    const path = join(root, 'entry.bin');
    writePrivateFile(path, 'old');
    writePrivateFile(path, new Uint8Array([0, 1, 2, 255]));
    assert.deepEqual([...readFileSync(path)], [0, 1, 2, 255]);
    assert.deepEqual(readdirSync(root), ['entry.bin']);
  });

  it('removes its temp file when the final rename fails', () => {
    const path = join(root, 'taken');
    mkdirSync(join(path, 'inside'), { recursive: true });
    assert.throws(
      () => writePrivateFile(path, 'x'),
      (error: unknown) => (error as NodeJS.ErrnoException).code !== undefined,
    );
    assert.deepEqual(readdirSync(root), ['taken']);
  });

  it('reads nothing for a missing file and refuses to read through a link', () => {
    assert.equal(readPrivateFile(join(root, 'missing')), undefined);
    writeFileSync(join(root, 'target'), 'x');
    symlinkSync(join(root, 'target'), join(root, 'planted'));
    assert.throws(() => readPrivateFile(join(root, 'planted')), unsafe(/is a symbolic link/));
    assert.throws(
      () => readPrivateFile(join(root, 'target', 'below')),
      (error: unknown) => !(error instanceof IamraError),
    );
  });
});
