import assert from 'node:assert/strict';
import { boundedMemo } from '../src/memo.js';

describe('boundedMemo', () => {
  it('computes a key once, and starts over when full so memory stays bounded', () => {
    const memo = boundedMemo<number>(2);
    let calls = 0;
    const compute = (value: number) => () => {
      calls += 1;
      return value;
    };
    assert.equal(memo('a', compute(1)), 1);
    assert.equal(memo('a', compute(99)), 1);
    assert.equal(memo('b', compute(2)), 2);
    assert.equal(calls, 2);
    assert.equal(memo('c', compute(3)), 3); // full: cleared, then c stored
    assert.equal(memo('a', compute(4)), 4); // a was dropped, so computed again
    assert.equal(calls, 4);
  });

  it('remembers false results too (a signature that does not verify stays unverified)', () => {
    const memo = boundedMemo<boolean>(4);
    let calls = 0;
    const no = () => {
      calls += 1;
      return false;
    };
    assert.equal(memo('x', no), false);
    assert.equal(memo('x', no), false);
    assert.equal(calls, 1);
  });
});
