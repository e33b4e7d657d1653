// What the steps cannot avoid: Node loading the built-in modules any Roles Anywhere client needs
// (node:crypto to sign, node:https for the service), each vs `node -e 0` on the same Node.
// This is the floor under the step-time ratios above.
import { compare } from '../compare.mjs';
import { spawnChecked } from '../spawn-timed.mjs';
import { bareNode } from './action-step.mjs';

export const ids = ['startup-floor'];
export const needs = ['node24'];

export async function run(ctx) {
  const load = (node, code) => async () => (await spawnChecked(code, node, ['-e', code])).ms;
  for (const [label, node, version] of [
    ['node24', ctx.peers.node24, ctx.machine.node24],
    ['node', ctx.peers.node20, ctx.machine.node],
  ]) {
    for (const [what, code] of [
      ['node:crypto', "require('node:crypto')"],
      ['node:crypto + node:https', "require('node:crypto');require('node:https')"],
    ]) {
      await compare(ctx, {
        id: 'startup-floor',
        name: `Floor: loading ${what} (Node ${version})`,
        candidate: load(node, code),
        baseline: bareNode(node),
        command: `${label} -e "${code}"`,
        baselineCommand: `${label} -e 0`,
      });
    }
  }
}
