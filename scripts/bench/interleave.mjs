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
