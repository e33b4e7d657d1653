// Runs a candidate and its baseline alternately so both see the same machine state (thermal,
// page cache, a noisy neighbour). The order flips every repetition (ABBA...) so neither side
// always runs right after the other.

/**
 * @param {(i: number) => Promise<number>} candidate one measurement per call
 * @param {(i: number) => Promise<number>} baseline one measurement per call
 * @param {{ reps: number; warmup?: number }} options warm-up pairs are run and dropped
 */
export async function interleave(candidate, baseline, { reps, warmup = 1 }) {
  const a = [];
  const b = [];
  for (let i = 0; i < warmup + reps; i += 1) {
    let x;
    let y;
    if (i % 2 === 0) {
      x = await candidate(i);
      y = await baseline(i);
    } else {
      y = await baseline(i);
      x = await candidate(i);
    }
    if (i < warmup) continue;
    a.push(x);
    b.push(y);
  }
  return { candidate: a, baseline: b };
}

/**
 * Several variants measured together: one run of each per repetition, the order rotated every
 * repetition so each variant takes every position equally often. Any two of them then pair up
 * run by run (see pairedRatio), as candidate and baseline do above.
 * @param {Record<string, (i: number) => Promise<number>>} variants
 * @param {{ reps: number; warmup?: number }} options
 * @returns {Promise<Record<string, number[]>>}
 */
export async function interleaveGroup(variants, { reps, warmup = 1 }) {
  const names = Object.keys(variants);
  const runs = Object.fromEntries(names.map((name) => [name, []]));
  for (let i = 0; i < warmup + reps; i += 1) {
    const shift = i % names.length;
    for (const name of [...names.slice(shift), ...names.slice(0, shift)]) {
      const ms = await variants[name](i);
      if (i >= warmup) runs[name].push(ms);
    }
  }
  return runs;
}
