/** `npm start` (the main job) runs end to end on this machine and reports what it did. */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from '../support/peers.js';

const run = promisify(execFile);

describe('the demo (npm start)', function () {
  this.timeout(120_000);

  it('runs the Action and the task on the emulator, calls STS, cleans up, exits 0', async () => {
    const { stdout, stderr } = await run(process.execPath, [join(repoRoot, 'scripts', 'demo.mjs')], { cwd: repoRoot });
    assert.equal(stderr.includes('failed'), false, stderr);
    for (const line of [
      /ok +\d+ ms {2}GitHub Action, env mode/,
      /ok +\d+ ms {2}GitHub Action, profile mode/,
      /ok +\d+ ms {2}Azure DevOps task, credentialProcess mode/,
      /post-job step removes the key files: 0 files left/,
      /Identity obtained \(AWS (CLI v2|SDK for JavaScript v3)\): arn:aws:sts::123456789012:assumed-role\/iamra-demo\//,
      /Total: \d+ ms; temporary files removed\./,
    ]) {
      assert.match(stdout, line);
    }
    assert.doesNotMatch(stdout, /FAIL/);
    assert.doesNotMatch(stdout, /SecretAccessKey|secretAccessKey/);
  });
});
