/** Runs a scenario through @actions/core in a child process: its stdout is captured whole, as bytes. */
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../peers.js';
import { testDir } from '../pki.js';
import { type Outcome, prepareFiles, readFiles, type Scenario } from './calls.js';

const DRIVER = join(repoRoot, 'test', 'support', 'runner-protocol', 'actions-core-driver.ts');

export async function runActionsCore(scenario: Scenario): Promise<Outcome> {
  const dir = testDir();
  const fileEnv = prepareFiles(dir, scenario);
  const scenarioPath = join(dir, 'scenario.json');
  const resultPath = join(dir, 'result.json');
  writeFileSync(scenarioPath, JSON.stringify(scenario));
  // The child's environment is exactly the scenario's: nothing inherited can change an answer.
  const env = { ...scenario.env, ...fileEnv };
  const stdout = await new Promise<Buffer>((resolve, reject) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', DRIVER, scenarioPath, resultPath],
      { env, cwd: repoRoot, encoding: 'buffer', timeout: 30_000 },
      (error, out, err) => (error ? reject(new Error(`@actions/core driver failed: ${err.toString()}`)) : resolve(out)),
    );
  });
  const result = JSON.parse(readFileSync(resultPath, 'utf8')) as Pick<Outcome, 'results' | 'env' | 'uuidsUsed'>;
  return { stdout: stdout.toString('latin1'), files: readFiles(fileEnv), ...result };
}
