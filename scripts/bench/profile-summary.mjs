#!/usr/bin/env node
// Summarizes a V8 .cpuprofile (node --cpu-prof) for startup analysis: self time per script and
// the heaviest functions, so a missed step-time goal can be traced to a module or an import.
//   node scripts/bench/profile-summary.mjs PROFILE.cpuprofile [--top=25]
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

/** Self time in ms per node id, from the sample timeline (time deltas between samples). */
export function selfTimes(profile) {
  const self = new Map();
  const { samples = [], timeDeltas = [] } = profile;
  for (let i = 0; i < samples.length; i += 1) {
    // A sample's time is the delta to the next one (the last sample has none).
    const ms = (timeDeltas[i + 1] ?? 0) / 1000;
    self.set(samples[i], (self.get(samples[i]) ?? 0) + ms);
  }
  return self;
}

/** Self time grouped by script (URL, shortened) and by function (name @ script:line). */
export function summarizeProfile(profile, top = 25) {
  const self = selfTimes(profile);
  const byScript = new Map();
  const byFunction = new Map();
  let total = 0;
  for (const node of profile.nodes) {
    const ms = self.get(node.id) ?? 0;
    if (!ms) continue;
    total += ms;
    const frame = node.callFrame;
    const script = shortUrl(frame.url) || `(${frame.functionName || 'native'})`;
    byScript.set(script, (byScript.get(script) ?? 0) + ms);
    const name = `${frame.functionName || '(anonymous)'} @ ${script}:${frame.lineNumber + 1}:${frame.columnNumber + 1}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + ms);
  }
  const sorted = (map) =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, ms]) => ({ name, ms }));
  return {
    totalMs: total,
    wallMs: (profile.endTime - profile.startTime) / 1000,
    scripts: sorted(byScript),
    functions: sorted(byFunction),
  };
}

const shortUrl = (url) => url.replace(/^file:\/\/.*?\/(dist|tasks|node_modules|packages)\//, '$1/');

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values, positionals } = parseArgs({
    options: { top: { type: 'string', default: '25' } },
    allowPositionals: true,
  });
  for (const file of positionals) {
    const summary = summarizeProfile(JSON.parse(readFileSync(file, 'utf8')), Number(values.top));
    console.log(`${file}: ${summary.wallMs.toFixed(1)} ms profiled, ${summary.totalMs.toFixed(1)} ms sampled`);
    console.log('self time by script:');
    for (const row of summary.scripts) console.log(`  ${row.ms.toFixed(1).padStart(7)} ms  ${row.name}`);
    console.log('self time by function:');
    for (const row of summary.functions) console.log(`  ${row.ms.toFixed(1).padStart(7)} ms  ${row.name}`);
  }
}
