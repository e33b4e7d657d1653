// Turns a recorded figure into the words of the report (console, Markdown): value with spread,
// baseline, ratio and goal verdict. One place, so both reports always agree.
const ms = (v) => `${v.toFixed(1)} ms`;
const spread = (s, fmt) => `${fmt(s.median)} (p10 ${fmt(s.p10)}, p90 ${fmt(s.p90)})`;
const kb = (bytes) => `${(bytes / 1024).toFixed(0)} kB`;
const verdict = (met) => (met ? 'met' : 'MISSED');

export function describeFigure(f) {
  switch (f.kind) {
    case 'ratio':
      return {
        value: spread(f.candidate, ms),
        baseline: spread(f.baseline, ms),
        ratio: `${f.ratio.median.toFixed(2)}x (p10 ${f.ratio.p10.toFixed(2)}, p90 ${f.ratio.p90.toFixed(2)})`,
        goal:
          f.goal !== undefined ? `${f.goalText ?? `<= ${f.goal}x`} ${verdict(f.ratio.median <= f.goal)}` : undefined,
      };
    case 'rate':
      return {
        value: spread(f.rate, (v) => `${v.toFixed(0)}/s`),
        baseline: undefined,
        ratio: undefined,
        goal: undefined,
      };
    case 'latency':
      return { value: spread(f.latency, ms), baseline: undefined, ratio: undefined, goal: undefined };
    case 'size':
      return {
        value: f.bytes === undefined ? 'missing' : kb(f.bytes),
        baseline: undefined,
        ratio: undefined,
        goal:
          f.goalBytes !== undefined && f.bytes !== undefined
            ? `<= ${kb(f.goalBytes)} ${verdict(f.bytes <= f.goalBytes)}`
            : undefined,
      };
    case 'memory':
      return {
        value: `${spread(f.peak, (v) => `${v.toFixed(1)} MB`)}${f.gnuTime ? `; GNU time ${f.gnuTime.median.toFixed(1)} MB` : ''}`,
        baseline: `${f.baseline.median.toFixed(1)} MB`,
        ratio: undefined,
        goal: f.goalMb !== undefined ? `<= ${f.goalMb} MB ${verdict(f.peak.median <= f.goalMb)}` : undefined,
      };
    case 'calls':
      return {
        value: `${f.createSession} CreateSession, ${spread(f.wall, (v) => `${(v / 1000).toFixed(2)} s`)}`,
        baseline: f.baseline ? `${f.baseline.label} ${(f.baseline.wall.median / 1000).toFixed(2)} s` : undefined,
        ratio: f.ratio ? `${f.ratio.median.toFixed(2)}x` : undefined,
        goal:
          f.goal !== undefined && f.ratio
            ? `${f.goalText ?? `< ${f.goal}x`} ${verdict(f.ratio.median < f.goal)}`
            : undefined,
      };
    case 'throughput': {
      const rate = (r, p99) =>
        `${r.median.toFixed(0)}/s (p10 ${r.p10.toFixed(0)}, p90 ${r.p90.toFixed(0)}), p99 ${ms(p99.median)}`;
      return {
        value: rate(f.rate, f.p99),
        baseline: f.baseline ? `${f.baseline.label} ${rate(f.baseline.rate, f.baseline.p99)}` : undefined,
        ratio: f.baseline ? `${(f.rate.median / f.baseline.rate.median).toFixed(2)}x the rate` : undefined,
        goal: undefined,
      };
    }
    default:
      throw new Error(`unknown figure kind ${f.kind}`);
  }
}
