// A minimal GitHub runner environment for one action step: the file commands, RUNNER_TEMP and
// inputs as INPUT_<NAME>. (test/support/github-runner.ts does the same for tests, in TypeScript
// and tied to the test temp dir, so the bench keeps this small copy in plain JavaScript.)
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A job: one RUNNER_TEMP and HOME shared by all its steps. */
export function newRunnerJob(dir) {
  const job = { dir, runnerTemp: join(dir, 'runner-temp'), home: join(dir, 'home'), steps: 0 };
  mkdirSync(job.runnerTemp, { recursive: true });
  mkdirSync(job.home, { recursive: true });
  return job;
}

/** The environment of the job's next step, with fresh (empty) file-command files. */
export function actionStepEnv(job, inputs) {
  job.steps += 1;
  const stepDir = join(job.dir, `step-${job.steps}`);
  mkdirSync(stepDir, { recursive: true });
  const files = {
    GITHUB_ENV: join(stepDir, 'env'),
    GITHUB_OUTPUT: join(stepDir, 'output'),
    GITHUB_STATE: join(stepDir, 'state'),
    GITHUB_STEP_SUMMARY: join(stepDir, 'summary'),
  };
  for (const path of Object.values(files)) writeFileSync(path, '');
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: job.home,
    RUNNER_TEMP: job.runnerTemp,
    GITHUB_ACTIONS: 'true',
    ...files,
  };
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value;
  return env;
}
