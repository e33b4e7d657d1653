// `credential-process` side by side with AWS's Go helper, against the same emulator, interleaved
// in one loop: iamra warm (answered from its cache) and cold (an empty cache: CreateSession,
// then the entry written), under Node 20 and 24, with NODE_EXTRA_CA_CERTS unset and set, the
// installed `iamra` bin, and `node -e 0`. Cold runs twice over: a first call (an empty cache
// directory) and a refresh (the entry gone from a directory earlier calls used, which keeps the
// CLI's code cache: what every later cold call of a profile or a machine is). At 100 ms of
// service latency (a real round trip) and at 0 ms (the programs' own cost).
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { recordPair } from '../compare.mjs';
import { credentialProcessArgs } from '../context.mjs';
import { interleaveGroup } from '../interleave.mjs';
import { baseEnv, caSettingsOf, credentialsPrinted, goArgv, iamraArgv, nodesOf } from '../launch.mjs';
import { spawnChecked } from '../spawn-timed.mjs';

export const ids = ['credential-process-100ms', 'credential-process-0ms'];
export const needs = ['goHelper'];
const SECTION = 'credential_process: iamra vs the Go helper';

async function timed(label, argv, env, check) {
  const result = await spawnChecked(label, argv[0], argv.slice(1), { env });
  check(result.stdout);
  return result.ms;
}

/** A cache directory whose credential entries are removed before each run; the rest stays. */
function refreshDir(ctx, label) {
  const dir = ctx.dir(label);
  return () => {
    for (const name of readdirSync(dir)) if (name.endsWith('.json')) rmSync(join(dir, name));
    return dir;
  };
}

/** One loop's variants ({ name: () => ms }) and the cache entries its warm variants need first. */
function variants(ctx, withWarm) {
  const args = credentialProcessArgs(ctx);
  const home = ctx.dir('home');
  const primes = [];
  const primedKeys = new Set();
  // A warm answer must be a primed entry: a cache miss would be a cold run in disguise.
  const fromCache = (stdout) => {
    if (!primedKeys.has(credentialsPrinted(stdout))) throw new Error('a warm credential-process missed its cache');
  };
  const warmRun = (label, argv, env) => {
    primes.push({ label, argv, env });
    return () => timed(label, argv, env, fromCache);
  };
  const runs = { go: () => timed('Go helper', goArgv(ctx, args), baseEnv(home), credentialsPrinted) };
  for (const node of nodesOf(ctx)) {
    for (const ca of caSettingsOf()) {
      const env = baseEnv(home, ca.env);
      runs[`cold ${node.key} ${ca.key}`] = () =>
        timed(
          'iamra cold',
          iamraArgv(ctx, node, env, [...args, '--cache-dir', ctx.dir('cold-cache')]),
          env,
          credentialsPrinted,
        );
      if (withWarm) {
        const argv = iamraArgv(ctx, node, env, [...args, '--cache-dir', ctx.dir('warm-cache')]);
        runs[`warm ${node.key} ${ca.key}`] = warmRun('iamra warm', argv, env);
      }
    }
    const refresh = refreshDir(ctx, `refresh-cache-${node.key}`);
    const env = baseEnv(home);
    runs[`refresh ${node.key}`] = () =>
      timed('iamra refresh', iamraArgv(ctx, node, env, [...args, '--cache-dir', refresh()]), env, credentialsPrinted);
    runs[`bare ${node.key}`] = () => timed('node -e 0', [node.bin, '-e', '0'], baseEnv(home), () => {});
  }
  if (withWarm) {
    // What npm links as `iamra` when the package is installed: its package.json bin, run as is.
    const cliPackage = join(ctx.root, 'packages', 'cli');
    const bin = join(cliPackage, JSON.parse(readFileSync(join(cliPackage, 'package.json'), 'utf8')).bin.iamra);
    runs.bin = warmRun('installed iamra bin', [bin, ...args, '--cache-dir', ctx.dir('bin-cache')], baseEnv(home));
  }
  const prime = async () => {
    for (const { label, argv, env } of primes) {
      const result = await spawnChecked(`${label} (priming)`, argv[0], argv.slice(1), { env });
      primedKeys.add(credentialsPrinted(result.stdout));
    }
  };
  return { runs, prime };
}

const CLI =
  'node dist/cli/index.js credential-process --certificate leaf.pem --private-key leaf.key --intermediates chain.pem --trust-anchor-arn TA --profile-arn P --role-arn R --endpoint EMULATOR';
const GO = `rolesanywhere-credential-helper credential-process (same flags)`;

async function loop(ctx, { id, latencyMs, withWarm }) {
  const { runs, prime } = variants(ctx, withWarm);
  await prime();
  ctx.emulator.setFaults({ latencyMs });
  let samples;
  try {
    samples = await interleaveGroup(runs, { reps: ctx.reps });
  } finally {
    ctx.emulator.setFaults(undefined);
  }
  const pair = (candidate, baseline, spec) =>
    samples[candidate] && samples[baseline]
      ? recordPair(ctx, samples[candidate], samples[baseline], { id, section: SECTION, ...spec })
      : undefined;
  return { pair, latency: `${latencyMs} ms latency` };
}

async function at100ms(ctx) {
  const id = 'credential-process-100ms';
  const { pair, latency } = await loop(ctx, { id, latencyMs: 100, withWarm: true });
  for (const node of nodesOf(ctx)) {
    for (const ca of caSettingsOf()) {
      pair(`warm ${node.key} ${ca.key}`, 'go', {
        name: `Warm vs Go helper, ${latency}, ${node.label}, ${ca.label}`,
        goal: 1 / 3,
        goalText: '>= 3x faster',
        command: `${ca.key === 'ca-set' ? 'NODE_EXTRA_CA_CERTS=<system bundle> ' : ''}${CLI} --cache-dir <primed> (as its profile runs it)`,
        baselineCommand: GO,
      });
    }
    pair(`warm ${node.key} ca-unset`, `bare ${node.key}`, {
      name: `Warm vs bare Node, ${node.label}`,
      goal: 1.25,
      command: `${CLI} --cache-dir <primed>`,
      baselineCommand: 'node -e 0',
    });
    pair(`warm ${node.key} ca-set`, `warm ${node.key} ca-unset`, {
      name: `Warm with NODE_EXTRA_CA_CERTS set vs unset, ${node.label}`,
      goal: 1.1,
      command: `NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt, the profile's command line`,
      baselineCommand: 'the same, NODE_EXTRA_CA_CERTS unset',
    });
    for (const ca of caSettingsOf()) {
      pair(`cold ${node.key} ${ca.key}`, 'go', {
        name: `Cold vs Go helper, ${latency}, ${node.label}, ${ca.label}`,
        goal: 1.3,
        command: `${CLI} --cache-dir <empty> (CreateSession, then the cache entry written)`,
        baselineCommand: GO,
      });
    }
    pair(`refresh ${node.key}`, 'go', {
      name: `Cold refresh vs Go helper, ${latency}, ${node.label}`,
      goal: 1.3,
      command: `${CLI} --cache-dir <used before, its entry removed> (CreateSession with the code cache of earlier calls)`,
      baselineCommand: GO,
    });
  }
  pair('bin', 'warm node20 ca-unset', {
    name: 'Installed iamra bin vs the bundle, warm, Node 20',
    goal: 1.1,
    goalText: '<= 1.1x (as fast)',
    command:
      'iamra credential-process ... --cache-dir <primed> (the bin of packages/cli/package.json, as npm links it)',
    baselineCommand: `${CLI} --cache-dir <primed>`,
  });
}

async function at0ms(ctx) {
  const id = 'credential-process-0ms';
  const { pair, latency } = await loop(ctx, { id, latencyMs: 0, withWarm: false });
  for (const node of nodesOf(ctx)) {
    for (const ca of caSettingsOf()) {
      pair(`cold ${node.key} ${ca.key}`, 'go', {
        name: `Cold vs Go helper, ${latency}, ${node.label}, ${ca.label}`,
        goal: 3,
        command: `${CLI} --cache-dir <empty>`,
        baselineCommand: GO,
      });
    }
    pair(`refresh ${node.key}`, 'go', {
      name: `Cold refresh vs Go helper, ${latency}, ${node.label}`,
      goal: 3,
      command: `${CLI} --cache-dir <used before, its entry removed>`,
      baselineCommand: GO,
    });
  }
}

export async function run(ctx, only) {
  if (only('credential-process-100ms')) await at100ms(ctx);
  if (only('credential-process-0ms')) await at0ms(ctx);
}
