// The GitHub Action's main step (env mode) under Node 24 against the emulator, vs `node -e 0`.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compare } from '../compare.mjs';
import { actionInputs } from '../context.mjs';
import { actionStepEnv, newRunnerJob } from '../runner-env.mjs';
import { spawnChecked, spawnTimed } from '../spawn-timed.mjs';
import { startStubService } from '../stub-service.mjs';

export const ids = ['action-step', 'action-step-stub'];
export const needs = ['node24'];

/** One action step of a job; checks that the credentials (or the profile) landed in GITHUB_ENV. */
export async function runActionStep(ctx, job, inputs) {
  const expected = inputs['aws-profile'] ? 'AWS_PROFILE' : 'AWS_SESSION_TOKEN';
  const env = actionStepEnv(job, inputs);
  const result = await spawnChecked(
    'action step',
    ctx.peers.node24,
    [...ctx.nodeFlags, join(ctx.root, 'dist', 'main', 'index.js')],
    {
      env,
      cwd: job.home,
    },
  );
  if (!readFileSync(env.GITHUB_ENV, 'utf8').includes(expected)) {
    throw new Error(`action step exported no ${expected}`);
  }
  return result.ms;
}

export const bareNode = (node) => async () => (await spawnTimed(node, ['-e', '0'])).ms;

export async function run(ctx, only) {
  if (only('action-step')) await envMode(ctx);
  if (only('action-step-stub')) await againstStub(ctx);
}

async function envMode(ctx) {
  await compare(ctx, {
    id: 'action-step',
    name: 'Action step, env mode (Node 24)',
    goal: 1.5,
    candidate: () => runActionStep(ctx, newRunnerJob(ctx.dir('action')), actionInputs(ctx)),
    baseline: bareNode(ctx.peers.node24),
    command:
      'node24 dist/main/index.js with RUNNER_TEMP, GITHUB_ENV/OUTPUT/STATE/STEP_SUMMARY and INPUT_CERTIFICATE, INPUT_PRIVATE-KEY, INPUT_CERTIFICATE-CHAIN (EC P-256 PEM text), INPUT_TRUST-ANCHOR-ARN, INPUT_PROFILE-ARN, INPUT_ROLE-ARN, INPUT_ROLESANYWHERE-ENDPOINT=<emulator>',
    baselineCommand: 'node24 -e 0',
  });
}

/** The same step against an instant stub service: iamra's own cost, without the service's. */
async function againstStub(ctx) {
  const stub = await startStubService();
  try {
    await compare(ctx, {
      id: 'action-step-stub',
      name: 'Action step, env mode, instant stub service (Node 24)',
      goal: 1.5,
      candidate: () =>
        runActionStep(
          ctx,
          newRunnerJob(ctx.dir('action-stub')),
          actionInputs(ctx, { 'rolesanywhere-endpoint': stub.endpoint }),
        ),
      baseline: bareNode(ctx.peers.node24),
      command:
        'as "Action step, env mode" but INPUT_ROLESANYWHERE-ENDPOINT=<stub answering 201 at once, no verification>',
      baselineCommand: 'node24 -e 0',
      note: 'leaves out the service time (the emulator verifies the chain and signature; real AWS adds a round trip)',
    });
  } finally {
    await stub.stop();
  }
}
