// 20 AWS CLI calls in a row (`aws sts get-caller-identity` against the emulator's STS), each
// getting its credentials through a credential_process profile: iamra's profile (as profile
// mode writes it: core's writeProfileFiles, its cache starting empty) under Node 20 and 24, with
// NODE_EXTRA_CA_CERTS unset and set, vs a profile running AWS's Go helper (no cache: one
// CreateSession per call), vs static credentials in the environment (the AWS CLI alone). The
// batches alternate, round by round, against the same emulator.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { credentialProcessArgs } from '../context.mjs';
import { baseEnv, caSettingsOf, goArgv, nodesOf } from '../launch.mjs';
import { printFigure } from '../report-console.mjs';
import { spawnChecked } from '../spawn-timed.mjs';
import { pairedRatio, summarize } from '../stats.mjs';

export const ids = ['aws-cli-20'];
export const needs = ['awsCli', 'goHelper'];
const CALLS = 20;
const SECTION = '20 AWS CLI calls through a profile: iamra vs the Go helper';

function cliEnv(dir, extra) {
  return baseEnv(dir, {
    AWS_CONFIG_FILE: join(dir, 'no-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(dir, 'no-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_PAGER: '',
    ...extra,
  });
}

/** A fresh iamra profile, written by core exactly as the Action's and the task's profile mode do. */
function iamraProfile(ctx, node, ca) {
  const dir = ctx.dir('awscli-iamra');
  const { configFile } = ctx.core.writeProfileFiles({
    tempDir: dir,
    profileName: 'bench',
    material: {
      certificate: ctx.pem(ctx.pki.ec.certificate),
      privateKey: ctx.pem(ctx.pki.ec.privateKey),
      intermediates: [ctx.pem(ctx.pki.ec.chain)],
    },
    params: sessionParams(ctx),
    endpoint: ctx.emulator.endpoint,
    nodePath: node.bin,
    cliPath: join(ctx.root, 'dist', 'cli', 'index.js'),
    env: ca.env,
    nodeVersion: node.version.replace(/^v/, ''),
    proxy: 'none',
  });
  return cliEnv(dir, { AWS_CONFIG_FILE: configFile, AWS_PROFILE: 'bench', ...ca.env });
}

function goProfile(ctx) {
  const dir = ctx.dir('awscli-go');
  const command = ctx.core.buildCommandLine(goArgv(ctx, credentialProcessArgs(ctx)));
  writeFileSync(join(dir, 'config'), `[default]\nregion = us-east-1\ncredential_process = ${command}\n`);
  return cliEnv(dir, { AWS_CONFIG_FILE: join(dir, 'config') });
}

const sessionParams = (ctx) =>
  ctx.core.resolveSessionParameters({
    trustAnchorArn: ctx.emulator.trustAnchorArns[0],
    profileArn: ctx.emulator.profileArn,
    roleArn: ctx.emulator.roleArns[0],
  });

async function staticCredentials(ctx) {
  const { material } = await ctx.core.loadSigningMaterial(
    {
      certificate: ctx.pem(ctx.pki.ec.certificate),
      privateKey: ctx.pem(ctx.pki.ec.privateKey),
      intermediates: [ctx.pem(ctx.pki.ec.chain)],
    },
    { now: new Date() },
  );
  const { credentials } = await ctx.core.createSession(
    { material, params: sessionParams(ctx), endpoint: ctx.emulator.endpoint },
    { transport: ctx.core.createNodeTransport({ proxy: 'none' }) },
  );
  return {
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    AWS_SESSION_TOKEN: credentials.sessionToken,
  };
}

async function batch(ctx, env) {
  const before = ctx.emulator.stats().createSession;
  const start = performance.now();
  for (let i = 0; i < CALLS; i += 1) {
    await spawnChecked(
      'aws sts get-caller-identity',
      ctx.peers.awsCli,
      ['sts', 'get-caller-identity', '--endpoint-url', ctx.emulator.stsEndpoint, '--region', 'us-east-1'],
      { env },
    );
  }
  return { ms: performance.now() - start, createSession: ctx.emulator.stats().createSession - before };
}

/** The batches of one latency: { key: { label, env() } }, the Go helper's first. */
function variantsAt(ctx, latencyMs, staticEnv) {
  const variants = { go: { label: 'Go helper profile', env: () => goProfile(ctx) } };
  for (const node of nodesOf(ctx)) {
    for (const ca of caSettingsOf()) {
      // The full matrix at 100 ms (the goal's latency); Node 20 without extra CAs at 0 ms.
      if (latencyMs === 0 && (node.key !== 'node20' || ca.key !== 'ca-unset')) continue;
      if (ctx.quick && node.key !== 'node20') continue;
      variants[`${node.key} ${ca.key}`] = {
        label: `iamra profile, ${node.label}, ${ca.label}`,
        env: () => iamraProfile(ctx, node, ca),
      };
    }
  }
  if (latencyMs === 100) {
    variants.static = {
      label: 'static credentials (the AWS CLI alone)',
      env: () => cliEnv(ctx.dir('static'), staticEnv),
    };
  }
  return variants;
}

async function measure(ctx, latencyMs, staticEnv) {
  const variants = variantsAt(ctx, latencyMs, staticEnv);
  const keys = Object.keys(variants);
  const rounds = ctx.quick || latencyMs === 0 ? 1 : 2;
  for (const key of keys) Object.assign(variants[key], { wall: [], calls: [] });
  ctx.emulator.setFaults({ latencyMs });
  try {
    for (let round = 0; round < rounds; round += 1) {
      for (const key of round % 2 === 0 ? keys : [...keys].reverse()) {
        const result = await batch(ctx, variants[key].env()); // a fresh profile and cache per batch
        variants[key].wall.push(result.ms);
        variants[key].calls.push(result.createSession);
      }
    }
  } finally {
    ctx.emulator.setFaults(undefined);
  }
  const go = variants.go;
  for (const key of keys) {
    const variant = variants[key];
    const versusGo = key !== 'go' && key !== 'static';
    printFigure(
      ctx.record({
        id: 'aws-cli-20',
        kind: 'calls',
        section: SECTION,
        name: `${CALLS} AWS CLI calls, ${variant.label}, ${latencyMs} ms latency`,
        createSession: Math.max(...variant.calls),
        wall: summarize(variant.wall),
        ...(versusGo
          ? {
              baseline: { label: 'Go helper profile', wall: summarize(go.wall) },
              ratio: pairedRatio(variant.wall, go.wall),
              ...(latencyMs === 100 ? { goal: 1, goalText: '< 1x (faster than the Go helper)' } : {}),
            }
          : {}),
        rounds,
        command:
          key === 'static'
            ? `${CALLS} x aws sts get-caller-identity --endpoint-url <emulator sts> with AWS_ACCESS_KEY_ID/SECRET/TOKEN in the environment`
            : key === 'go'
              ? `${CALLS} x aws sts get-caller-identity, AWS_CONFIG_FILE: credential_process = rolesanywhere-credential-helper credential-process ...`
              : `${CALLS} x aws sts get-caller-identity, AWS_CONFIG_FILE written by core writeProfileFiles (credential_process = node dist/cli/index.js credential-process ...), empty cache`,
        reproduce: 'npm run bench -- --only=aws-cli-20',
      }),
    );
  }
}

export async function run(ctx) {
  const staticEnv = await staticCredentials(ctx);
  await measure(ctx, 100, staticEnv);
  await measure(ctx, 0, staticEnv);
}
