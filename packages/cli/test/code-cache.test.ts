/**
 * Where the bundled CLI keeps V8's code cache: beside the credential entries of credential-process
 * calls only. How a cache is read and written safely is core's (packages/core/test/code-cache).
 */
import assert from 'node:assert/strict';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { codeCacheDir } from '../src/code-cache/location.js';

const posix = process.platform !== 'win32';

describe('code cache of the bundled CLI: where it lives', () => {
  it('lives in the credential cache directory of credential-process calls only', () => {
    const env = { IAMRA_CACHE_DIR: '/env/dir', XDG_CACHE_HOME: '/xdg' };
    const cases: [string[], NodeJS.ProcessEnv, string | undefined][] = [
      [['credential-process', '--cache-dir', '/flag/dir', '--cache-dir', '/second'], env, '/flag/dir'],
      [['credential-process', '--role-arn', 'R', '--cache-dir=/eq/dir'], env, '/eq/dir'],
      [['credential-process'], env, '/env/dir'],
      [['credential-process'], { XDG_CACHE_HOME: '/xdg' }, join('/xdg', 'iamra')],
      [['credential-process'], {}, join(homedir(), '.cache', 'iamra')],
      [['credential-process', '--cache-dir', '/flag/dir', '--no-cache'], env, undefined],
      [['credential-process', '--no-cache=true'], env, undefined],
      [['serve', '--cache-dir', '/flag/dir'], env, undefined],
      [[], env, undefined],
    ];
    for (const [argv, caseEnv, expected] of cases) {
      assert.equal(codeCacheDir(argv, caseEnv), posix ? expected : codeCacheDir(argv, caseEnv), argv.join(' '));
    }
  });
});
