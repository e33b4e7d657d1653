/** Process helpers for the peer installer: quiet probes, loud failures in one line. */
import { spawnSync } from 'node:child_process';

/** True when `command args` runs and its output matches `expect`. */
export function probe(command, args, expect) {
  const result = spawnSync(command, args, { encoding: 'utf8', timeout: 30_000 });
  if (result.error || result.status !== 0) return false;
  return expect.test(`${result.stdout}${result.stderr}`.trim());
}

/** Runs an installer step; on failure, says which step failed, why, and how to do it by hand. */
export function run(command, args, { cwd, env, what, fix }) {
  const result = spawnSync(command, args, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (result.error || result.status !== 0) {
    const output = `${result.stderr ?? ''}${result.stdout ?? ''}`.trim().split('\n').filter(Boolean);
    const why = result.error ? result.error.message : (output.at(-1) ?? `exit ${result.status}`);
    fail(what, why, fix);
  }
}

export function fail(what, why, fix) {
  process.stderr.write(`peers: ${what} could not be installed: ${why.slice(0, 300)}. Install it with: ${fix}\n`);
  process.exit(1);
}
