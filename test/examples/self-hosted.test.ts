/**
 * The systemd units in examples/self-hosted are valid units (systemd-analyze verify; only the
 * agent's Node is missing on this machine) and run iamra with flags it accepts: run here, they
 * get as far as reading the certificate, which does not exist on this machine.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { main } from '@iamra/cli';
import { runCli } from '../support/cli-run.js';
import { repoRoot } from '../support/peers.js';

const run = promisify(execFile);
const dir = join(repoRoot, 'examples', 'self-hosted');
const units = readdirSync(dir).filter((name) => name.endsWith('.service'));

/** ExecStart with its continuation lines joined, split on whitespace (the units quote nothing). */
function execStart(unit: string): string[] {
  const text = readFileSync(join(dir, unit), 'utf8').replace(/\\\n/g, ' ');
  const line = /^ExecStart=(.*)$/m.exec(text)?.[1] ?? '';
  return line.trim().split(/\s+/);
}

describe('self-hosted examples', () => {
  it('has a unit for update and one for serve, run as the agent user', () => {
    assert.deepEqual(units.sort(), ['iamra-serve.service', 'iamra-update.service']);
    for (const unit of units) assert.match(readFileSync(join(dir, unit), 'utf8'), /^User=\w+$/m);
  });

  for (const unit of units) {
    it(`${unit} passes systemd-analyze verify but for the agent's own Node`, async function () {
      if (!existsSync('/usr/bin/systemd-analyze')) this.skip();
      const result = await run('systemd-analyze', ['verify', join(dir, unit)]).catch(
        (error: { stderr: string }) => error,
      );
      const problems = result.stderr.split('\n').filter((line) => line && !/node is not executable/.test(line));
      assert.deepEqual(problems, []);
    });

    it(`${unit} runs iamra with flags it accepts`, async () => {
      const argv = execStart(unit);
      const script = argv.findIndex((arg) => arg.endsWith('/bin/iamra.cjs'));
      assert.ok(script > 0, 'runs the installed bin with the agent Node');
      const result = await runCli(main, argv.slice(script + 1), {});
      assert.equal(result.exitCode, 2);
      assert.match(result.stderr, /^iamra: FILE_UNREADABLE: .*\/etc\/iamra\/agent\.pem/);
    });
  }
});
