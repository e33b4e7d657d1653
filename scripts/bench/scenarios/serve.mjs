// `serve` side by side with the Go helper's: each started against the same emulator, then 8
// concurrent AWS SDK clients (scripts/bench/imds-clients.mjs) resolve credentials from it for a
// fixed time; requests/s and p99 latency per round, servers alternating round by round. The
// service latency only touches start-up (both serve from memory), so 0 ms runs fewer variants.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { credentialProcessArgs } from '../context.mjs';
import { baseEnv, caSettingsOf, nodesOf } from '../launch.mjs';
import { printFigure } from '../report-console.mjs';
import { spawnChecked } from '../spawn-timed.mjs';
import { quantile, summarize } from '../stats.mjs';

export const ids = ['serve-8-clients'];
export const needs = ['goHelper'];
const CLIENTS = 8;
const SECTION = '`serve` under 8 concurrent SDK clients: iamra vs the Go helper';

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer().once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function waitReady(port, child) {
  const until = Date.now() + 15_000;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`the server exited (${child.exitCode}) before serving`);
    try {
      const response = await fetch(`http://127.0.0.1:${port}/latest/api/token`, {
        method: 'PUT',
        headers: { 'x-aws-ec2-metadata-token-ttl-seconds': '60' },
      });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('the server did not serve within 15 s');
}

/** Starts one server, runs the clients against it, stops it: { rate, p99 } of the round. */
async function round(ctx, argvFor, env, durationMs) {
  const port = await freePort();
  const argv = argvFor(port);
  const child = spawn(argv[0], argv.slice(1), { env, stdio: ['ignore', 'ignore', 'ignore'] });
  try {
    await waitReady(port, child);
    const result = await spawnChecked(
      'imds clients',
      ctx.peers.node20,
      [join(ctx.root, 'scripts', 'bench', 'imds-clients.mjs'), String(durationMs), String(CLIENTS)],
      {
        env: baseEnv(ctx.dir('clients'), { AWS_EC2_METADATA_SERVICE_ENDPOINT: `http://127.0.0.1:${port}/` }),
        cwd: ctx.root,
      },
    );
    const { seconds, failures, latencies } = JSON.parse(result.stdout);
    if (failures > 0 || latencies.length === 0) throw new Error(`${failures} SDK credential resolutions failed`);
    return { rate: latencies.length / seconds, p99: quantile(latencies, 0.99) };
  } finally {
    child.kill('SIGTERM');
  }
}

function servers(ctx, latencyMs) {
  const flags = credentialProcessArgs(ctx).slice(1); // without the command name
  const home = ctx.dir('serve-home');
  const list = {
    go: {
      label: 'Go helper serve',
      argv: (port) => [ctx.peers.goHelper, 'serve', '--port', String(port), ...flags],
      env: baseEnv(home),
    },
  };
  for (const node of nodesOf(ctx)) {
    for (const ca of caSettingsOf()) {
      if ((latencyMs === 0 || ctx.quick) && (node.key !== 'node20' || ca.key !== 'ca-unset')) continue;
      list[`${node.key} ${ca.key}`] = {
        label: `iamra serve, ${node.label}, ${ca.label}`,
        argv: (port) => [
          node.bin,
          join(ctx.root, 'dist', 'cli', 'index.js'),
          'serve',
          '--port',
          String(port),
          ...flags,
        ],
        env: baseEnv(home, ca.env),
      };
    }
  }
  return list;
}

async function measure(ctx, latencyMs) {
  const list = servers(ctx, latencyMs);
  const keys = Object.keys(list);
  const rounds = ctx.quick ? 1 : 3;
  const durationMs = ctx.quick ? 1000 : 2000;
  const results = Object.fromEntries(keys.map((key) => [key, []]));
  ctx.emulator.setFaults({ latencyMs });
  try {
    for (let r = 0; r < rounds; r += 1) {
      for (const key of r % 2 === 0 ? keys : [...keys].reverse()) {
        results[key].push(await round(ctx, list[key].argv, list[key].env, durationMs));
      }
    }
  } finally {
    ctx.emulator.setFaults(undefined);
  }
  const of = (key, field) => summarize(results[key].map((r) => r[field]));
  for (const key of keys) {
    printFigure(
      ctx.record({
        id: 'serve-8-clients',
        kind: 'throughput',
        section: SECTION,
        name: `${list[key].label}, ${CLIENTS} SDK clients, ${latencyMs} ms latency`,
        rate: of(key, 'rate'),
        p99: of(key, 'p99'),
        ...(key !== 'go' ? { baseline: { label: 'Go helper', rate: of('go', 'rate'), p99: of('go', 'p99') } } : {}),
        rounds,
        command: `${key === 'go' ? 'rolesanywhere-credential-helper serve' : 'node dist/cli/index.js serve'} --port P <credential flags>; ${CLIENTS} x fromInstanceMetadata() in a loop for ${durationMs / 1000} s (scripts/bench/imds-clients.mjs)`,
        reproduce: 'npm run bench -- --only=serve-8-clients',
      }),
    );
  }
}

export async function run(ctx) {
  await measure(ctx, 100);
  await measure(ctx, 0);
}
