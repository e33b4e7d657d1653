// Several accounts in one job: 10 action steps in profile mode (aws-profile account0..account9,
// one RUNNER_TEMP, so each step adds a profile to the same config file) vs a job with 1 step.
// Figure: time of the 10-step job / (10 x time of the 1-step job), i.e. the per-step cost of
// the 10th profile being configured next to 9 others vs a job's only profile; goal <= 1.5.
import { readFileSync } from 'node:fs';
import { compare } from '../compare.mjs';
import { actionInputs } from '../context.mjs';
import { newRunnerJob } from '../runner-env.mjs';
import { runActionStep } from './action-step.mjs';

export const ids = ['profiles-10'];
export const needs = ['node24'];

async function job(ctx, profiles) {
  const runner = newRunnerJob(ctx.dir(`job${profiles}`));
  let total = 0;
  let configFile = '';
  for (let p = 0; p < profiles; p += 1) {
    total += await runActionStep(ctx, runner, actionInputs(ctx, { 'aws-profile': `account${p}` }));
    configFile = readFileSync(`${runner.dir}/step-${runner.steps}/env`, 'utf8');
  }
  const config = /AWS_CONFIG_FILE<<(\S+)\n(.*)\n/.exec(configFile)?.[2] ?? /AWS_CONFIG_FILE=(.*)/.exec(configFile)?.[1];
  if (!config) throw new Error('profile mode exported no AWS_CONFIG_FILE');
  const sections = readFileSync(config.trim(), 'utf8').match(/^\[profile account\d+\]/gm) ?? [];
  if (sections.length !== profiles)
    throw new Error(`expected ${profiles} profiles in ${config}, found ${sections.length}`);
  return total / profiles;
}

export async function run(ctx) {
  await compare(ctx, {
    id: 'profiles-10',
    name: 'Profile mode, 10 accounts in one job, per step vs a 1-step job (Node 24)',
    goal: 1.5,
    reps: ctx.quick ? 3 : 8,
    candidate: () => job(ctx, 10),
    baseline: () => job(ctx, 1),
    command:
      '10 x node24 dist/main/index.js with INPUT_AWS-PROFILE=account0..account9, one RUNNER_TEMP (per-step mean of the job)',
    baselineCommand: '1 x node24 dist/main/index.js with INPUT_AWS-PROFILE=account0 in a fresh RUNNER_TEMP',
  });
}
