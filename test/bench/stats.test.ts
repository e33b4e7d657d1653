import assert from 'node:assert/strict';
import { benchModule } from './load.js';

interface Summary {
  n: number;
  median: number;
  p10: number;
  p90: number;
  q1: number;
  q3: number;
  min: number;
  max: number;
}
interface StatsModule {
  quantile(values: number[], q: number): number;
  summarize(values: number[]): Summary;
  pairedRatio(a: number[], b: number[]): { median: number; p10: number; p90: number; ofMedians: number };
}
interface InterleaveModule {
  interleave(
    candidate: (i: number) => Promise<number>,
    baseline: (i: number) => Promise<number>,
    options: { reps: number; warmup?: number },
  ): Promise<{ candidate: number[]; baseline: number[] }>;
  interleaveGroup(
    variants: Record<string, (i: number) => Promise<number>>,
    options: { reps: number; warmup?: number },
  ): Promise<Record<string, number[]>>;
}

describe('bench statistics', () => {
  it('interpolates quantiles like numpy and ignores input order', async () => {
    const { quantile, summarize } = await benchModule<StatsModule>('stats.mjs');
    assert.equal(quantile([4, 1, 3, 2], 0.5), 2.5);
    assert.equal(quantile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], 0.1), 2);
    assert.equal(quantile([10, 20], 0.25), 12.5);
    assert.equal(quantile([7], 0.9), 7);
    assert.throws(() => quantile([], 0.5), /no values/);
    assert.deepEqual(summarize([5, 1, 3, 2, 4]), { n: 5, median: 3, p10: 1.4, p90: 4.6, q1: 2, q3: 4, min: 1, max: 5 });
  });

  it('pairs ratios run by run, so a slow pair does not skew the ratio', async () => {
    const { pairedRatio } = await benchModule<StatsModule>('stats.mjs');
    const ratio = pairedRatio([20, 40, 22, 300], [10, 20, 11, 150]);
    assert.equal(ratio.median, 2);
    assert.equal(ratio.p10, 2);
    assert.equal(ratio.ofMedians, 31 / 15.5);
    assert.throws(() => pairedRatio([1], [1, 2]), /differ in length/);
  });

  it('interleaves candidate and baseline, flips the order each repetition and drops the warm-up', async () => {
    const { interleave } = await benchModule<InterleaveModule>('interleave.mjs');
    const order: string[] = [];
    const runs = await interleave(
      async (i) => {
        order.push(`c${i}`);
        return 100 + i;
      },
      async (i) => {
        order.push(`b${i}`);
        return i;
      },
      { reps: 3, warmup: 1 },
    );
    assert.deepEqual(order, ['c0', 'b0', 'b1', 'c1', 'c2', 'b2', 'b3', 'c3']);
    assert.deepEqual(runs, { candidate: [101, 102, 103], baseline: [1, 2, 3] });
  });

  it('runs a group of variants once each per repetition, rotating who goes first, warm-up dropped', async () => {
    const { interleaveGroup } = await benchModule<InterleaveModule>('interleave.mjs');
    const order: string[] = [];
    const variant = (name: string, base: number) => async (i: number) => {
      order.push(`${name}${i}`);
      return base + i;
    };
    const runs = await interleaveGroup({ a: variant('a', 0), b: variant('b', 10), c: variant('c', 20) }, { reps: 3 });
    assert.deepEqual(order, ['a0', 'b0', 'c0', 'b1', 'c1', 'a1', 'c2', 'a2', 'b2', 'a3', 'b3', 'c3']);
    assert.deepEqual(runs, { a: [1, 2, 3], b: [11, 12, 13], c: [21, 22, 23] });
  });
});
