// One candidate-vs-baseline timing figure: interleaved runs, medians, spreads, paired ratio.
import { interleave } from './interleave.mjs';
import { printFigure } from './report-console.mjs';
import { pairedRatio, summarize } from './stats.mjs';

/**
 * @param {object} ctx bench context
 * @param {{ id: string; name: string; goal?: number; command: string; baselineCommand: string;
 *   candidate: () => Promise<number>; baseline: () => Promise<number>; reps?: number; note?: string }} spec
 */
export async function compare(ctx, spec) {
  const runs = await interleave(spec.candidate, spec.baseline, { reps: spec.reps ?? ctx.reps });
  return printFigure(
    ctx.record({
      id: spec.id,
      kind: 'ratio',
      name: spec.name,
      unit: 'ms',
      candidate: summarize(runs.candidate),
      baseline: summarize(runs.baseline),
      ratio: pairedRatio(runs.candidate, runs.baseline),
      ...(spec.goal !== undefined ? { goal: spec.goal } : {}),
      ...(spec.note ? { note: spec.note } : {}),
      command: spec.command,
      baselineCommand: spec.baselineCommand,
      reproduce: `npm run bench -- --only=${spec.id}`,
    }),
  );
}
