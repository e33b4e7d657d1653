// One candidate-vs-baseline timing figure: interleaved runs, medians, spreads, paired ratio.
import { interleave } from './interleave.mjs';
import { printFigure } from './report-console.mjs';
import { pairedRatio, summarize } from './stats.mjs';

/**
 * @typedef {{ id: string; name: string; goal?: number; goalText?: string; section?: string;
 *   command: string; baselineCommand: string; note?: string }} PairSpec
 */

/**
 * @param {object} ctx bench context
 * @param {PairSpec & { candidate: () => Promise<number>; baseline: () => Promise<number>; reps?: number }} spec
 */
export async function compare(ctx, spec) {
  const runs = await interleave(spec.candidate, spec.baseline, { reps: spec.reps ?? ctx.reps });
  return recordPair(ctx, runs.candidate, runs.baseline, spec);
}

/** Records and prints a ratio figure from two samples taken run by run in the same loop. */
export function recordPair(ctx, candidate, baseline, spec) {
  return printFigure(
    ctx.record({
      id: spec.id,
      kind: 'ratio',
      name: spec.name,
      ...(spec.section ? { section: spec.section } : {}),
      unit: 'ms',
      candidate: summarize(candidate),
      baseline: summarize(baseline),
      ratio: pairedRatio(candidate, baseline),
      ...(spec.goal !== undefined ? { goal: spec.goal } : {}),
      ...(spec.goalText ? { goalText: spec.goalText } : {}),
      ...(spec.note ? { note: spec.note } : {}),
      command: spec.command,
      baselineCommand: spec.baselineCommand,
      reproduce: `npm run bench -- --only=${spec.id}`,
    }),
  );
}
