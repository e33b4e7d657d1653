// `iamra credential-process` (the CLI bundle) warm from its cache and cold (--no-cache), vs
// `node -e 0` on the same Node.
import { join } from 'node:path';
import { compare } from '../compare.mjs';
import { credentialProcessArgs } from '../context.mjs';
import { spawnChecked } from '../spawn-timed.mjs';
import { bareNode } from './action-step.mjs';

export const ids = ['credential-process-warm', 'credential-process-cold'];
export const needs = [];

function parseOutput(stdout) {
  const output = JSON.parse(stdout);
  if (output.Version !== 1 || !output.SessionToken) throw new Error('credential-process printed no credentials');
}

export async function run(ctx, only) {
  const cacheDir = ctx.dir('cache');
  const node = ctx.peers.node20;
  const cli = join(ctx.root, 'dist', 'cli', 'index.js');
  const env = { PATH: process.env.PATH ?? '', HOME: ctx.dir('home'), IAMRA_CACHE_DIR: cacheDir };
  const call = (extra) => async () => {
    const result = await spawnChecked(
      'credential-process',
      node,
      [...ctx.nodeFlags, cli, ...credentialProcessArgs(ctx, extra)],
      { env },
    );
    parseOutput(result.stdout);
    return result.ms;
  };
  const shown = `node dist/cli/index.js credential-process --certificate leaf.pem --private-key leaf.key --intermediates chain.pem --trust-anchor-arn <ta> --profile-arn <p> --role-arn <r> --endpoint <emulator>`;
  if (only('credential-process-warm')) {
    await call([])(); // primes the cache
    const before = ctx.emulator.stats().createSession;
    const figure = await compare(ctx, {
      id: 'credential-process-warm',
      name: `credential_process, warm cache (Node ${ctx.machine.node})`,
      goal: 1.3,
      candidate: call([]),
      baseline: bareNode(node),
      command: `IAMRA_CACHE_DIR=<primed> ${shown}`,
      baselineCommand: 'node -e 0',
    });
    const calls = ctx.emulator.stats().createSession - before;
    if (calls !== 0) throw new Error(`warm credential-process called CreateSession ${calls} times: the cache missed`);
    figure.note = 'no CreateSession during the warm runs (emulator stats)';
  }
  if (only('credential-process-cold')) {
    await compare(ctx, {
      id: 'credential-process-cold',
      name: `credential_process, cold --no-cache (Node ${ctx.machine.node})`,
      candidate: call(['--no-cache']),
      baseline: bareNode(node),
      command: `${shown} --no-cache`,
      baselineCommand: 'node -e 0',
    });
  }
}
