// Peak RSS of the action step (Node 24), and of the task step and a warm credential_process,
// each next to a bare `node -e 0` measured the same way. Method in ../peak-rss.mjs.
import { join } from 'node:path';
import { agentStepEnv, taskSucceeded } from '../agent-env.mjs';
import { actionInputs, credentialProcessArgs } from '../context.mjs';
import { hasGnuTime, peakRssByGnuTime, peakRssByHook } from '../peak-rss.mjs';
import { printFigure } from '../report-console.mjs';
import { actionStepEnv, newRunnerJob } from '../runner-env.mjs';
import { summarize } from '../stats.mjs';
import { TASK_MAIN, taskInputs } from './task-step.mjs';

export const ids = ['peak-rss'];
export const needs = ['node24'];

export async function run(ctx) {
  const reps = ctx.quick ? 3 : 7;
  const cacheDir = ctx.dir('rss-cache');
  const cases = [
    {
      name: 'Action step peak RSS (Node 24)',
      node: ctx.peers.node24,
      goalMb: 80,
      command: 'node24 dist/main/index.js (runner env, env mode, emulator)',
      args: () => {
        const env = actionStepEnv(newRunnerJob(ctx.dir('rss-action')), actionInputs(ctx));
        return { args: [join(ctx.root, 'dist', 'main', 'index.js')], options: { env }, ok: undefined };
      },
    },
    {
      name: 'Task step peak RSS (Node 24)',
      node: ctx.peers.node24,
      command: 'node24 tasks/RolesAnywhereCredentialsV1/main/index.js (agent env, emulator)',
      args: () => ({
        args: [join(ctx.root, ...TASK_MAIN)],
        options: { env: agentStepEnv(ctx.dir('rss-task'), taskInputs(ctx)) },
        ok: taskSucceeded,
      }),
    },
    {
      name: `credential_process warm peak RSS (Node ${ctx.machine.node})`,
      node: ctx.peers.node20,
      command: 'node dist/cli/index.js credential-process ... with IAMRA_CACHE_DIR primed',
      args: () => ({
        args: [join(ctx.root, 'dist', 'cli', 'index.js'), ...credentialProcessArgs(ctx)],
        options: { env: { PATH: process.env.PATH ?? '', HOME: cacheDir, IAMRA_CACHE_DIR: cacheDir } },
        ok: undefined,
      }),
    },
  ];
  // Primes the credential cache so every measured credential_process run is a warm one.
  const prime = cases[2].args();
  await peakRssByHook('prime the cache', ctx.peers.node20, prime.args, prime.options);
  for (const c of cases) {
    const hook = [];
    const gnu = [];
    const bare = [];
    for (let i = 0; i < reps; i += 1) {
      const a = c.args();
      hook.push(await peakRssByHook(c.name, c.node, a.args, a.options, a.ok));
      bare.push(await peakRssByHook('node -e 0', c.node, ['-e', '0']));
      if (hasGnuTime()) {
        const b = c.args();
        gnu.push(await peakRssByGnuTime(c.name, c.node, b.args, b.options, b.ok));
      }
    }
    printFigure(
      ctx.record({
        id: 'peak-rss',
        kind: 'memory',
        name: c.name,
        peak: summarize(hook),
        baseline: summarize(bare),
        ...(gnu.length ? { gnuTime: summarize(gnu) } : {}),
        ...(c.goalMb ? { goalMb: c.goalMb } : {}),
        method:
          'process.resourceUsage().maxRSS in the child at exit (--import hook); cross-checked with /usr/bin/time -v',
        command: `${c.command}; peak by node --import <maxRSS-at-exit hook> and /usr/bin/time -v`,
        baselineCommand: 'node --import <hook> -e 0',
        reproduce: 'npm run bench -- --only=peak-rss',
      }),
    );
  }
}
