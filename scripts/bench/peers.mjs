// Where the programs measured against live (same defaults as test/support/peers.ts).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export function locatePeers(root, env = process.env) {
  const node24 = env.IAMRA_NODE24 || join(root, '.tools', 'node24', 'node_modules', 'node', 'bin', 'node');
  const awsCandidate = env.IAMRA_AWS_CLI || '/usr/bin/aws';
  const awsVersion = existsSync(awsCandidate) ? spawnSync(awsCandidate, ['--version']).stdout?.toString() : '';
  return {
    node20: process.execPath,
    node24: existsSync(node24) ? node24 : undefined,
    awsCli: awsVersion?.startsWith('aws-cli/2') ? awsCandidate : undefined,
    awsVersion: awsVersion?.trim().split(' ')[0],
  };
}

export const nodeVersion = (bin) => execFileSync(bin, ['--version']).toString().trim();
