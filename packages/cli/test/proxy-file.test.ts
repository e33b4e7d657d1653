/** --proxy-file: a proxy URL (with its password) from a private file, never from argv. */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { IamraError } from '@iamra/core';
import { leafFlags, makePki, testDir } from '../../../test/support/pki.js';
import { parseFlags } from '../src/args.js';
import { CREDENTIAL_FLAGS } from '../src/config/flags.js';
import { loadHelperConfig } from '../src/config/load.js';

const ARNS = [
  '--trust-anchor-arn',
  'arn:aws:rolesanywhere:us-east-1:123456789012:trust-anchor/0c5a2b1e-7f4f-4c3b-9d6e-1a2b3c4d5e6f',
  '--profile-arn',
  'arn:aws:rolesanywhere:us-east-1:123456789012:profile/9f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0',
  '--role-arn',
  'arn:aws:iam::123456789012:role/deploy',
];
const silent = { write: () => true };

describe('--proxy-file', () => {
  const pki = makePki({ subjectPrefix: 'proxyfile' });
  const dir = testDir();
  const load = (extra: string[]) =>
    loadHelperConfig(
      parseFlags(
        'credential-process',
        [...leafFlags(pki.ecLeaf, pki.intermediate), ...ARNS, ...extra],
        CREDENTIAL_FLAGS,
      ),
      { env: {}, stdout: silent, stderr: silent },
    );
  const file = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text, { mode: 0o600 });
    return path;
  };

  it('defaults to the environment, --no-proxy to none', async () => {
    assert.equal((await load([])).proxy, 'env');
    assert.equal((await load(['--no-proxy'])).proxy, 'none');
  });

  it('reads the URL (credentials included, trailing newline dropped; no scheme means http)', async () => {
    assert.equal(
      (await load(['--proxy-file', file('p1', 'http://user:p%40ss@proxy.corp:3128\n')])).proxy,
      'http://user:p%40ss@proxy.corp:3128/',
    );
    assert.equal((await load(['--proxy-file', file('p2', 'proxy.corp:8080')])).proxy, 'http://proxy.corp:8080/');
  });

  it('refuses a file that holds no proxy URL without quoting it, and --no-proxy with it', async () => {
    for (const text of ['', 'ftp://proxy:21', 'http://[bad secret']) {
      await assert.rejects(
        load(['--proxy-file', file('bad', text)]),
        (error: unknown) =>
          error instanceof IamraError &&
          error.code === 'CONFIG_INVALID' &&
          /does not hold a proxy URL/.test(error.message) &&
          !error.message.includes('secret'),
      );
    }
    await assert.rejects(
      load(['--proxy-file', file('p3', 'http://proxy:1'), '--no-proxy']),
      /give --proxy-file or --no-proxy, not both/,
    );
    await assert.rejects(load(['--proxy-file', join(dir, 'missing')]), (error: unknown) => {
      return error instanceof IamraError && error.code === 'FILE_UNREADABLE';
    });
  });
});
