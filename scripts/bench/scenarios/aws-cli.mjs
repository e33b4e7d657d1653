// 20 AWS CLI calls in a row (`aws sts get-caller-identity` against the emulator's STS), each
// getting its credentials through a credential_process profile running our CLI: with its cache
// vs --no-cache (what the Go aws_signing_helper does on every call). The emulator adds 100 ms of
// service latency to every CreateSession, as a real network round trip would. The two batches
// alternate (rounds), and a third batch with static credentials in the environment shows what
// the AWS CLI costs by itself.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { credentialProcessArgs } from '../context.mjs';
import { printFigure } from '../report-console.mjs';
import { spawnChecked } from '../spawn-timed.mjs';
import { pairedRatio, summarize } from '../stats.mjs';

export const ids = ['aws-cli-20'];
export const needs = ['awsCli'];
const CALLS = 20;
const LATENCY_MS = 100;

function profileEnv(ctx, extra) {
  const dir = ctx.dir('awscli');
  const { buildCommandLine } = ctx.core;
  const command = buildCommandLine([
    ctx.peers.node20,
    join(ctx.root, 'dist', 'cli', 'index.js'),
    ...credentialProcessArgs(ctx, [...extra, '--cache-dir', join(dir, 'cache')]),
  ]);
  writeFileSync(join(dir, 'config'), `[default]\nregion = us-east-1\ncredential_process = ${command}\n`);
  return baseEnv(dir, { AWS_CONFIG_FILE: join(dir, 'config') });
}

function baseEnv(dir, extra) {
  return {
    PATH: process.env.PATH ?? '',
    HOME: dir,
    AWS_CONFIG_FILE: join(dir, 'no-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(dir, 'no-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_PAGER: '',
    ...extra,
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

export async function run(ctx) {
  const rounds = ctx.quick ? 1 : 2;
  const variants = {
    cache: { label: 'with cache', env: () => profileEnv(ctx, []), wall: [], calls: [] },
    noCache: {
      label: '--no-cache (like aws_signing_helper)',
      env: () => profileEnv(ctx, ['--no-cache']),
      wall: [],
      calls: [],
    },
    static: { label: 'static credentials in env', wall: [], calls: [] },
  };
  // Credentials for the floor: one session from the emulator, given to the AWS CLI directly.
  const { credentials } = await ctx.core.createSession(
    {
      material: (
        await ctx.core.loadSigningMaterial(
          {
            certificate: ctx.pem(ctx.pki.ec.certificate),
            privateKey: ctx.pem(ctx.pki.ec.privateKey),
            intermediates: [ctx.pem(ctx.pki.ec.chain)],
          },
          { now: new Date() },
        )
      ).material,
      params: ctx.core.resolveSessionParameters({
        trustAnchorArn: ctx.emulator.trustAnchorArns[0],
        profileArn: ctx.emulator.profileArn,
        roleArn: ctx.emulator.roleArns[0],
      }),
      endpoint: ctx.emulator.endpoint,
    },
    { transport: ctx.core.createNodeTransport({ proxy: 'none' }) },
  );
  variants.static.env = () =>
    baseEnv(ctx.dir('awscli-static'), {
      AWS_ACCESS_KEY_ID: credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      AWS_SESSION_TOKEN: credentials.sessionToken,
    });
  ctx.emulator.setFaults({ latencyMs: LATENCY_MS });
  try {
    for (let round = 0; round < rounds; round += 1) {
      const order = round % 2 === 0 ? ['cache', 'noCache', 'static'] : ['static', 'noCache', 'cache'];
      for (const key of order) {
        const variant = variants[key];
        const result = await batch(ctx, variant.env()); // a fresh cache and config per batch
        variant.wall.push(result.ms);
        variant.calls.push(result.createSession);
      }
    }
  } finally {
    ctx.emulator.setFaults(undefined);
  }
  const floor = { label: 'static credentials', wall: summarize(variants.static.wall) };
  for (const key of ['cache', 'noCache', 'static']) {
    const variant = variants[key];
    printFigure(
      ctx.record({
        id: 'aws-cli-20',
        kind: 'calls',
        name: `${CALLS} AWS CLI calls, ${variant.label}, ${LATENCY_MS} ms service latency`,
        createSession: Math.max(...variant.calls),
        wall: summarize(variant.wall),
        ...(key !== 'static' ? { baseline: floor, ratio: pairedRatio(variant.wall, variants.static.wall) } : {}),
        rounds,
        command:
          key === 'static'
            ? `${CALLS} x aws sts get-caller-identity --endpoint-url <emulator sts> with AWS_ACCESS_KEY_ID/SECRET/TOKEN in the environment`
            : `${CALLS} x aws sts get-caller-identity --endpoint-url <emulator sts>, AWS_CONFIG_FILE profile credential_process = node dist/cli/index.js credential-process ...${key === 'noCache' ? ' --no-cache' : ''} --cache-dir <fresh>`,
        reproduce: 'npm run bench -- --only=aws-cli-20',
      }),
    );
  }
}
