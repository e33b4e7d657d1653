/** The committed dist/ (what action.yml runs from a tag) must be exactly what a fresh build makes. */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from '../support/peers.js';
import { testDir } from '../support/pki.js';

const run = promisify(execFile);

function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
    .sort();
}

describe('committed action bundles', function () {
  this.timeout(180_000);

  it('dist/ equals a fresh build, byte for byte (run npm run build and commit dist/ if this fails)', async () => {
    const out = testDir();
    await run(process.execPath, [join(repoRoot, 'scripts', 'bundle.mjs'), '--out', out], { cwd: repoRoot });
    const committed = join(repoRoot, 'dist');
    const fresh = join(out, 'dist');
    assert.deepEqual(listFiles(committed), listFiles(fresh));
    for (const file of listFiles(fresh)) {
      assert.ok(
        readFileSync(join(committed, file)).equals(readFileSync(join(fresh, file))),
        `dist/${file} differs from a fresh build`,
      );
    }
  });

  it('action.yml runs the committed bundles on node24', () => {
    const text = readFileSync(join(repoRoot, 'action.yml'), 'utf8');
    assert.match(text, /using: ['"]node24['"]/);
    assert.match(text, /main: ['"]dist\/main\/index.js['"]/);
    assert.match(text, /post: ['"]dist\/post\/index.js['"]/);
  });
});
