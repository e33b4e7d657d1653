/** The running machine as adapters see it: the platform, and programs run without a shell. */
import assert from 'node:assert/strict';
import { currentHost, runCommandSync } from '../../src/host/host.js';

describe('host', () => {
  it('is this process’s platform, running programs through runCommandSync', () => {
    const host = currentHost();
    assert.equal(host.platform, process.platform);
    assert.equal(host.runCommand, runCommandSync);
  });

  it('returns a program’s stdout and passes arguments without a shell', () => {
    const out = runCommandSync(process.execPath, ['-e', 'process.stdout.write(process.argv[1])', '$(echo no) & ;']);
    assert.equal(out, '$(echo no) & ;');
  });

  it('throws when the program exits non-zero', () => {
    assert.throws(() => runCommandSync(process.execPath, ['-e', 'process.exit(3)']));
  });
});
