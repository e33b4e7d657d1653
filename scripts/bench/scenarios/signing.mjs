// Signatures per second: core signCreateSession in this process, fixed material, fixed date and
// parameters (so every iteration does the same work). Timed in batches; the figure is the median
// batch rate with p10/p90 across batches.
import { performance } from 'node:perf_hooks';
import { KEY_SPECS, makeLeaf } from '../material.mjs';
import { printFigure } from '../report-console.mjs';
import { summarize } from '../stats.mjs';

export const ids = ['signing'];
export const needs = [];

/**
 * Rate of `work` in calls per second over `batches` batches of about `batchMs` each. Each call is
 * awaited (signing goes through the signer seam, which may be hardware), one at a time.
 */
export async function measureRate(work, { batches, batchMs }) {
  // Calibrate the batch size so a batch lasts about batchMs (and warm up the JIT on the way).
  let size = 1;
  for (;;) {
    const start = performance.now();
    for (let i = 0; i < size; i += 1) await work();
    const took = performance.now() - start;
    if (took >= batchMs / 4) {
      size = Math.max(1, Math.round((size * batchMs) / took));
      break;
    }
    size *= 2;
  }
  const rates = [];
  for (let b = 0; b < batches; b += 1) {
    const start = performance.now();
    for (let i = 0; i < size; i += 1) await work();
    rates.push(size / ((performance.now() - start) / 1000));
  }
  return { rates, batchSize: size };
}

export async function run(ctx) {
  const { loadSigningMaterial, resolveSessionParameters, signCreateSession } = ctx.core;
  const params = resolveSessionParameters({
    trustAnchorArn: ctx.emulator.trustAnchorArns[0],
    profileArn: ctx.emulator.profileArn,
    roleArn: ctx.emulator.roleArns[0],
  });
  const date = new Date('2026-01-01T00:00:00Z');
  for (const spec of Object.keys(KEY_SPECS)) {
    const { material } = await loadSigningMaterial(makeLeaf(ctx.dir('sign'), spec), { now: new Date() });
    const sign = () => signCreateSession({ material, params, endpoint: ctx.emulator.endpoint, date });
    const { rates, batchSize } = await measureRate(sign, {
      batches: ctx.quick ? 5 : 15,
      batchMs: ctx.quick ? 60 : 150,
    });
    printFigure(
      ctx.record({
        id: 'signing',
        kind: 'rate',
        name: `Signing, ${spec} (signCreateSession, Node ${ctx.machine.node})`,
        rate: summarize(rates),
        batchSize,
        command: `signCreateSession({ material: ${spec} leaf, params, endpoint, date: fixed }) in a loop, ${rates.length} batches of ${batchSize}`,
        reproduce: 'npm run bench -- --only=signing',
      }),
    );
  }
}
