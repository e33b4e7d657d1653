/** One wall-clock bound per request, and an outer signal that stops it at once. */
import assert from 'node:assert/strict';
import { IamraError } from '@iamra/core';
import { interruptedError, whenAborted, withDeadline } from '../../src/client/deadline.js';

const never = (signal: AbortSignal) =>
  new Promise<never>((_resolve, reject) => signal.addEventListener('abort', () => reject(new Error('told to stop'))));

describe('withDeadline', () => {
  it('returns the work result and leaves no timer behind', async () => {
    assert.equal(await withDeadline(10_000, 'h', undefined, async () => 7), 7);
  });

  it('ends with TIMEOUT naming the host when the work outlives the bound', async () => {
    await assert.rejects(withDeadline(20, 'rolesanywhere.example:443', undefined, never), (error: unknown) => {
      assert.ok(error instanceof IamraError);
      assert.equal(error.code, 'TIMEOUT');
      assert.match(error.message, /no complete answer from rolesanywhere\.example:443 within 20 ms/);
      return true;
    });
  });

  it('ends with INTERRUPTED when the outer signal aborts, before or during the work', async () => {
    const before = new AbortController();
    before.abort();
    await assert.rejects(withDeadline(10_000, 'h', before.signal, never), { code: 'INTERRUPTED' });
    const during = new AbortController();
    const running = withDeadline(10_000, 'h', during.signal, never);
    during.abort();
    await assert.rejects(running, (error: unknown) => {
      assert.ok(error instanceof IamraError);
      assert.equal(error.code, 'INTERRUPTED');
      assert.match(error.message, /nothing was cached or written/);
      return true;
    });
  });

  it('passes the work failure through', async () => {
    await assert.rejects(
      withDeadline(10_000, 'h', undefined, async () => {
        throw interruptedError();
      }),
      { code: 'INTERRUPTED' },
    );
  });
});

describe('whenAborted', () => {
  it('rejects with the reason of an already aborted signal', async () => {
    const controller = new AbortController();
    controller.abort(new Error('why'));
    await assert.rejects(whenAborted(controller.signal), /why/);
  });
});
