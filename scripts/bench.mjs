#!/usr/bin/env node
// `npm run bench`: speed, size and memory of iamra against baselines, measured on the machine at
// hand. Candidate and baseline run interleaved, many repetitions, median and p10/p90. A full run
// writes bench/results/bench.json, bench.md and chart.svg. Figures, never verdicts of a test.
//   node scripts/bench.mjs [--quick] [--only=id,id] [--out=dir] [--list] [--cpu-prof=dir]
// --cpu-prof writes a V8 CPU profile of every candidate step (summarize them with
// scripts/bench/profile-summary.mjs); profiled timings are slower, so nothing is written then.
// Run `npm run build` first (the bench measures the committed bundles and the built packages).
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createContext } from './bench/context.mjs';
import { locatePeers } from './bench/peers.mjs';
import { renderChart } from './bench/report-chart.mjs';
import { renderMarkdown } from './bench/report-markdown.mjs';
import * as actionStep from './bench/scenarios/action-step.mjs';
import * as awsCli from './bench/scenarios/aws-cli.mjs';
import * as credentialProcess from './bench/scenarios/credential-process.mjs';
import * as emulator from './bench/scenarios/emulator.mjs';
import * as peakRss from './bench/scenarios/peak-rss.mjs';
import * as profiles from './bench/scenarios/profiles.mjs';
import * as serve from './bench/scenarios/serve.mjs';
import * as signing from './bench/scenarios/signing.mjs';
import * as sizes from './bench/scenarios/sizes.mjs';
import * as startupFloor from './bench/scenarios/startup-floor.mjs';
import * as taskStep from './bench/scenarios/task-step.mjs';

const SCENARIOS = [
  credentialProcess,
  awsCli,
  serve,
  actionStep,
  taskStep,
  profiles,
  startupFloor,
  peakRss,
  signing,
  emulator,
  sizes,
];
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const REQUIRED = [
  'dist/main/index.js',
  'dist/post/index.js',
  'dist/cli/index.js',
  'packages/cli/bundle/index.js',
  'tasks/RolesAnywhereCredentialsV1/main/index.js',
  'packages/core/dist/index.js',
  'packages/emulator/dist/index.js',
];

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    out: { type: 'string' },
    list: { type: 'boolean', default: false },
    'cpu-prof': { type: 'string' },
  },
});
const allIds = SCENARIOS.flatMap((s) => s.ids);
if (values.list) {
  console.log(allIds.join('\n'));
  process.exit(0);
}
const wanted = values.only ? new Set(values.only.split(',').map((id) => id.trim())) : undefined;
for (const id of wanted ?? []) {
  if (!allIds.includes(id)) {
    console.error(`bench: unknown id '${id}'; one of: ${allIds.join(', ')}`);
    process.exit(2);
  }
}
for (const file of REQUIRED) {
  if (!existsSync(join(root, file))) {
    console.error(`bench: ${file} is missing; run npm run build first`);
    process.exit(2);
  }
}
const only = (id) => !wanted || wanted.has(id);
const peers = locatePeers(root);
const started = Date.now();
const cpuProf = values['cpu-prof'] ? resolve(values['cpu-prof']) : undefined;
const ctx = await createContext({ root, quick: values.quick, peers, cpuProf });
console.log(
  `iamra bench: ${ctx.machine.cpus} cores, Node ${ctx.machine.node}${ctx.machine.node24 ? ` and ${ctx.machine.node24}` : ''}, ${ctx.reps} interleaved repetitions per timing${values.quick ? ' (--quick)' : ''}`,
);
try {
  for (const scenario of SCENARIOS) {
    if (!scenario.ids.some(only)) continue;
    const missing = scenario.needs.filter((peer) => !peers[peer]);
    if (missing.length) {
      console.log(
        `\n${scenario.ids.join(', ')}: skipped, ${missing.join(' and ')} not found (see test/support/peers.ts)`,
      );
      continue;
    }
    await scenario.run(ctx, only);
  }
} finally {
  await ctx.close();
}
const results = {
  machine: { ...ctx.machine, seconds: Math.round((Date.now() - started) / 1000) },
  figures: ctx.figures,
};
// A partial run (--only) does not overwrite the committed results unless told where to write.
const out = cpuProf
  ? undefined
  : values.out
    ? resolve(values.out)
    : wanted
      ? undefined
      : join(root, 'bench', 'results');
if (out) {
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'bench.json'), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(join(out, 'bench.md'), renderMarkdown(results));
  writeFileSync(join(out, 'chart.svg'), renderChart(results));
  console.log(`\nwrote ${ctx.rel(join(out, 'bench.json'))}, bench.md, chart.svg (${results.machine.seconds} s)`);
} else {
  console.log(`\n${results.machine.seconds} s; partial run, nothing written (give --out=DIR to write)`);
}
