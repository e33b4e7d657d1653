// The settings every side-by-side figure runs under (Node 20 and Node 24; NODE_EXTRA_CA_CERTS
// unset and set to the system bundle, as agents behind TLS inspection have it) and the two
// programs compared: iamra started as its profiles start it, and AWS's Go helper.
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const SYSTEM_CA_BUNDLE = '/etc/ssl/certs/ca-certificates.crt';

/** The Node versions to run iamra under: [{ key, label, bin, version }]. */
export function nodesOf(ctx) {
  const major = (version) => version.replace(/^v/, '').split('.')[0];
  return [
    { key: 'node20', label: `Node ${major(ctx.machine.node)}`, bin: ctx.peers.node20, version: ctx.machine.node },
    ...(ctx.peers.node24
      ? [
          {
            key: 'node24',
            label: `Node ${major(ctx.machine.node24)}`,
            bin: ctx.peers.node24,
            version: ctx.machine.node24,
          },
        ]
      : []),
  ];
}

/** NODE_EXTRA_CA_CERTS unset, and set when the system bundle exists: [{ key, label, env }]. */
export function caSettingsOf(bundle = SYSTEM_CA_BUNDLE) {
  return [
    { key: 'ca-unset', label: 'NODE_EXTRA_CA_CERTS unset', env: {} },
    ...(existsSync(bundle)
      ? [{ key: 'ca-set', label: 'NODE_EXTRA_CA_CERTS set', env: { NODE_EXTRA_CA_CERTS: bundle } }]
      : []),
  ];
}

/** The argv an iamra profile runs under this Node and environment (core decides the launcher). */
export function iamraArgv(ctx, node, env, args) {
  const cli = join(ctx.root, 'dist', 'cli', 'index.js');
  return ctx.core.credentialProcessArgv([node.bin, ...ctx.nodeFlags, cli, ...args], {
    platform: process.platform,
    env,
    nodeVersion: node.version.replace(/^v/, ''),
  });
}

export const goArgv = (ctx, args) => [ctx.peers.goHelper, ...args];

export const baseEnv = (home, extra = {}) => ({ PATH: process.env.PATH ?? '', HOME: home, ...extra });

/** Checks a credential_process answer; returns its AccessKeyId. */
export function credentialsPrinted(stdout) {
  const output = JSON.parse(stdout);
  if (output.Version !== 1 || !output.SessionToken || !output.AccessKeyId) {
    throw new Error('credential-process printed no credentials');
  }
  return output.AccessKeyId;
}
