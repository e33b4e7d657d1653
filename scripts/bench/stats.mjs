// Order statistics for repeated measurements: median and spread, never a mean (one slow outlier
// from the machine would move it).

/** Linear-interpolated quantile (q in 0..1) of numbers, the same definition as numpy's default. */
export function quantile(values, q) {
  if (values.length === 0) throw new Error('quantile of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const position = (sorted.length - 1) * q;
  const low = Math.floor(position);
  const high = Math.ceil(position);
  const lowValue = sorted[low] ?? 0;
  const highValue = sorted[high] ?? lowValue;
  return lowValue + (highValue - lowValue) * (position - low);
}

/** Median, p10/p90, quartiles and range of a sample. */
export function summarize(values) {
  return {
    n: values.length,
    median: quantile(values, 0.5),
    p10: quantile(values, 0.1),
    p90: quantile(values, 0.9),
    q1: quantile(values, 0.25),
    q3: quantile(values, 0.75),
    min: Math.min(...values),
    max: Math.max(...values),
  };
}

/**
 * The ratio of two paired samples: the median of per-pair ratios (pairs ran back to back, so
 * they saw the same machine state) with its p10/p90, plus the ratio of the medians.
 */
export function pairedRatio(candidate, baseline) {
  if (candidate.length !== baseline.length) throw new Error('paired samples differ in length');
  const ratios = candidate.map((value, i) => value / (baseline[i] ?? Number.NaN));
  const spread = summarize(ratios);
  return {
    median: spread.median,
    p10: spread.p10,
    p90: spread.p90,
    ofMedians: quantile(candidate, 0.5) / quantile(baseline, 0.5),
  };
}
