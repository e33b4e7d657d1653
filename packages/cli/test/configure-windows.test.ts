/**
 * `iamra configure` writing a profile for Windows (the platform injected through CliIo): botocore's
 * own Windows splitter reads back this Node, this iamra and every flag; a path no Windows client
 * could carry is refused with one line and the file is left as it was.
 */
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { botocoreReads } from '../../../test/support/config-readers.js';
import { repoRoot } from '../../../test/support/peers.js';
import { makePki, testDir } from '../../../test/support/pki.js';
import { main } from '../src/index.js';

const ARNS = [
  '--trust-anchor-arn',
  'arn:aws:rolesanywhere:eu-west-1:111122223333:trust-anchor/0c5a2b1e-7f4f-4c3b-9d6e-1a2b3c4d5e6f',
  '--profile-arn',
  'arn:aws:rolesanywhere:eu-west-1:111122223333:profile/9f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0',
  '--role-arn',
  'arn:aws:iam::111122223333:role/deploy',
];
const CLI = join(repoRoot, 'packages', 'cli', 'bin', 'iamra.js');

describe('iamra configure for Windows (platform injected)', function () {
  this.timeout(60_000);
  const pki = makePki({ subjectPrefix: 'confwin' });

  async function configure(keyDir: string, file: string): Promise<{ code: number; stderr: string }> {
    mkdirSync(keyDir, { recursive: true });
    copyFileSync(pki.ecLeaf.certPath, join(keyDir, 'leaf.pem'));
    copyFileSync(pki.ecLeaf.keyPath, join(keyDir, 'leaf.key'));
    let stderr = '';
    const flags = ['--certificate', join(keyDir, 'leaf.pem'), '--private-key', join(keyDir, 'leaf.key')];
    const code = await main(['configure', '--profile', 'ci', '--config-file', file, '--cli', CLI, ...flags, ...ARNS], {
      stdout: { write: () => true },
      stderr: { write: (text: string) => (stderr += text) },
      env: { PATH: process.env.PATH ?? '' },
      platform: 'win32',
    });
    return { code, stderr };
  }

  it('botocore (win32 rules) reads back node, iamra and every flag, paths with spaces and & included', async () => {
    const dir = testDir();
    const keyDir = join(dir, 'R&D keys #1');
    const file = join(dir, 'aws', 'config');
    const { code, stderr } = await configure(keyDir, file);
    assert.equal(code, 0, stderr);
    const [read] = botocoreReads([{ file, section: 'profile ci', platform: 'win32' }]);
    assert.deepEqual(read?.argv, [
      process.execPath,
      realpathSync(CLI),
      'credential-process',
      '--certificate',
      join(keyDir, 'leaf.pem'),
      '--private-key',
      join(keyDir, 'leaf.key'),
      ...ARNS,
    ]);
  });

  it('refuses a % in a path (cmd.exe expands it): one line, exit 2, no file written', async () => {
    const dir = testDir();
    const file = join(dir, 'aws', 'config');
    const { code, stderr } = await configure(join(dir, '100% keys'), file);
    assert.equal(code, 2);
    assert.match(stderr, /^iamra: COMMAND_LINE_UNSAFE: .*%.*\n$/);
    assert.equal(existsSync(file), false);
  });
});
