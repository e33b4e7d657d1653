// The GitHub Action's main step (env mode) under Node 24 against the emulator, vs `node -e 0`.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { agentStepEnv, taskSucceeded } from '../agent-env.mjs';
import { compare } from '../compare.mjs';
import { actionInputs } from '../context.mjs';
import { actionStepEnv, newRunnerJob } from '../runner-env.mjs';
import { spawnChecked, spawnTimed } from '../spawn-timed.mjs';
import { startStubService } from '../stub-service.mjs';
import { TASK_MAIN, taskInputs } from './task-step.mjs';

export const ids = ['action-step', 'action-step-stub', 'step-floor'];
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
  if (only('step-floor')) await stepFloor(ctx);
}

/** The minimal step (scripts/bench/minimal-step.cjs) against the same stub as the action step. */
async function runMinimalStep(ctx, job, inputs, node = ctx.peers.node24) {
  const env = actionStepEnv(job, inputs);
  const result = await spawnChecked('minimal step', node, [join(ctx.root, 'scripts', 'bench', 'minimal-step.cjs')], {
    env,
    cwd: job.home,
  });
  if (!readFileSync(env.GITHUB_ENV, 'utf8').includes('AWS_ACCESS_KEY_ID'))
    throw new Error('minimal step exported nothing');
  return result.ms;
}

/**
 * The floor under the action step's ratio: the least any Node step can do (load crypto and
 * http, parse, sign once, POST once, write one line) vs bare Node; then iamra's step vs that.
 */
async function stepFloor(ctx) {
  const stub = await startStubService();
  const inputs = actionInputs(ctx, { 'rolesanywhere-endpoint': stub.endpoint });
  try {
    await compare(ctx, {
      id: 'step-floor',
      name: 'Floor: a minimal hand-written step, instant stub service (Node 24)',
      candidate: () => runMinimalStep(ctx, newRunnerJob(ctx.dir('minimal')), inputs),
      baseline: bareNode(ctx.peers.node24),
      command: 'node24 scripts/bench/minimal-step.cjs (same inputs and stub as the action step)',
      baselineCommand: 'node24 -e 0',
      note: 'no checks, no masking, no errors: only what every Roles Anywhere step must do',
    });
    await compare(ctx, {
      id: 'step-floor',
      name: 'Action step vs the minimal step, instant stub service (Node 24)',
      candidate: () => runActionStep(ctx, newRunnerJob(ctx.dir('action-floor')), inputs),
      baseline: () => runMinimalStep(ctx, newRunnerJob(ctx.dir('minimal')), inputs),
      goal: 1.3,
      command: 'node24 dist/main/index.js (as "Action step, env mode, instant stub service")',
      baselineCommand: 'node24 scripts/bench/minimal-step.cjs',
      note: "iamra's own cost above the floor: pre-flight checks, masking, outputs, summary, errors",
    });
    for (const [node, version] of [
      [ctx.peers.node20, ctx.machine.node],
      [ctx.peers.node24, ctx.machine.node24],
    ]) {
      await compare(ctx, {
        id: 'step-floor',
        name: `Task step vs the minimal step, instant stub service (Node ${version})`,
        goal: 1.6,
        candidate: () => runTaskStep(ctx, node, { ...taskInputs(ctx), endpoint: stub.endpoint }),
        baseline: () => runMinimalStep(ctx, newRunnerJob(ctx.dir('minimal')), inputs, node),
        command:
          'node tasks/RolesAnywhereCredentialsV1/main/index.js (agent env, credentialProcess mode, stub endpoint)',
        baselineCommand: 'node scripts/bench/minimal-step.cjs',
        note: "the task's own cost above the floor: its agent contract, checks, the profile files and primed cache",
      });
    }
  } finally {
    await stub.stop();
  }
}

/** One task step in a fresh agent environment; checks that it reported success. */
async function runTaskStep(ctx, node, inputs) {
  const env = agentStepEnv(ctx.dir('task-floor'), inputs);
  return (
    await spawnChecked('task step', node, [...ctx.nodeFlags, join(ctx.root, ...TASK_MAIN)], { env }, taskSucceeded)
  ).ms;
}

async function envMode(ctx) {
  await compare(ctx, {
    id: 'action-step',
    name: 'Action step, env mode (Node 24)',
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
