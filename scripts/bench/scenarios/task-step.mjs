// The Azure DevOps task's main step (default output mode: a credential_process profile) under
// Node 20 and Node 24, each vs `node -e 0` on the same Node.
import { join } from 'node:path';
import { agentStepEnv, taskSucceeded } from '../agent-env.mjs';
import { compare } from '../compare.mjs';
import { spawnChecked } from '../spawn-timed.mjs';
import { bareNode } from './action-step.mjs';

export const ids = ['task-step-node20', 'task-step-node24'];
export const needs = [];

export function taskInputs(ctx) {
  return {
    certificateFile: ctx.pki.ec.certificate,
    privateKeyFile: ctx.pki.ec.privateKey,
    certificateChainFile: ctx.pki.ec.chain,
    trustAnchorArn: ctx.emulator.trustAnchorArns[0],
    profileArn: ctx.emulator.profileArn,
    roleArn: ctx.emulator.roleArns[0],
    endpoint: ctx.emulator.endpoint,
  };
}

export const TASK_MAIN = ['tasks', 'RolesAnywhereCredentialsV1', 'main', 'index.js'];

export async function run(ctx, only) {
  const variants = [
    ['task-step-node20', ctx.peers.node20, ctx.machine.node],
    ['task-step-node24', ctx.peers.node24, ctx.machine.node24],
  ];
  for (const [id, node, version] of variants) {
    if (!only(id)) continue;
    if (!node) {
      console.log(`\n${id}: skipped (Node 24 not found; set IAMRA_NODE24)`);
      continue;
    }
    const step = async () => {
      const env = agentStepEnv(ctx.dir('task'), taskInputs(ctx));
      const result = await spawnChecked(
        'task step',
        node,
        [...ctx.nodeFlags, join(ctx.root, ...TASK_MAIN)],
        { env },
        taskSucceeded,
      );
      return result.ms;
    };
    await compare(ctx, {
      id,
      name: `Task step, credentialProcess mode (Node ${version})`,
      candidate: step,
      baseline: bareNode(node),
      command: `node tasks/RolesAnywhereCredentialsV1/main/index.js with AGENT_TEMPDIRECTORY and INPUT_CERTIFICATEFILE, INPUT_PRIVATEKEYFILE, INPUT_CERTIFICATECHAINFILE (paths), INPUT_TRUSTANCHORARN, INPUT_PROFILEARN, INPUT_ROLEARN, INPUT_ENDPOINT=<emulator>`,
      baselineCommand: 'node -e 0',
    });
  }
}
