// Where the programs measured against live (same defaults as test/support/peers.ts). The Go
// helper is the baseline of the side-by-side figures: when it is missing, the bench builds it
// with the peer installer's own step (scripts/peers/setup.mjs) if Go is there to build it.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { goTools } from '../peers/catalog.mjs';
import { ensureGoTool } from '../peers/setup.mjs';

export const GO_HELPER = goTools.find((tool) => tool.bin === 'rolesanywhere-credential-helper');

function locateGoHelper(root, env) {
  if (env.IAMRA_GO_HELPER) return existsSync(env.IAMRA_GO_HELPER) ? env.IAMRA_GO_HELPER : undefined;
  // ensureGoTool only probes when the stamped build is there (a stale one is rebuilt).
  if (spawnSync('go', ['version']).status === 0) return ensureGoTool(GO_HELPER);
  const built = join(root, '.tools', 'bin', GO_HELPER.bin);
  return existsSync(built) ? built : undefined;
}

export function locatePeers(root, env = process.env) {
  const node24 = env.IAMRA_NODE24 || join(root, '.tools', 'node24', 'node_modules', 'node', 'bin', 'node');
  const awsCandidate = env.IAMRA_AWS_CLI || '/usr/bin/aws';
  const awsVersion = existsSync(awsCandidate) ? spawnSync(awsCandidate, ['--version']).stdout?.toString() : '';
  return {
    node20: process.execPath,
    node24: existsSync(node24) ? node24 : undefined,
    awsCli: awsVersion?.startsWith('aws-cli/2') ? awsCandidate : undefined,
    awsVersion: awsVersion?.trim().split(' ')[0],
    goHelper: locateGoHelper(root, env),
    goHelperVersion: GO_HELPER.module.split('@')[1],
  };
}

export const nodeVersion = (bin) => execFileSync(bin, ['--version']).toString().trim();
