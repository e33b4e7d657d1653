/**
 * A matrix of 50 parallel jobs asks for credentials at once against an account limited to
 * 10 CreateSession/s: every one must succeed within its retry budget (default policy).
 */
import assert from 'node:assert/strict';
import { createSession, DEFAULT_RETRY, loadSigningMaterial, resolveSessionParameters } from '@iamra/core';
import { startEmulator } from '@iamra/emulator';
import { makePki } from '../support/pki.js';

describe('reliability: throttling', function () {
  this.timeout(120_000);

  it('50 concurrent requests at 10 CreateSession/s all succeed within the default retry budget', async () => {
    const pki = makePki({ subjectPrefix: 'throttle' });
    const emulator = await startEmulator({
      cas: [pki.root.certPem],
      rateLimit: { perSecond: 10, burst: 10 },
      lifetimeMs: 110_000,
    });
    try {
      const { material } = await loadSigningMaterial(
        { certificate: pki.ecLeaf.certPem, privateKey: pki.ecLeaf.keyPem, intermediates: [pki.intermediate.certPem] },
        { now: new Date() },
      );
      const params = resolveSessionParameters({
        trustAnchorArn: emulator.trustAnchorArns[0] ?? '',
        profileArn: emulator.profileArn,
        roleArn: emulator.roleArns[0] ?? '',
      });
      const started = Date.now();
      const results = await Promise.allSettled(
        Array.from({ length: 50 }, () => createSession({ material, params, endpoint: emulator.endpoint })),
      );
      const elapsedMs = Date.now() - started;
      const failures = results.filter((r) => r.status === 'rejected');
      assert.deepEqual(
        failures.map((f) => String((f as PromiseRejectedResult).reason)),
        [],
      );
      const attempts = results.map((r) => (r.status === 'fulfilled' ? r.value.attempts : 0));
      const stats = emulator.stats();
      assert.ok(Math.max(...attempts) <= DEFAULT_RETRY.maxAttempts);
      assert.equal(stats.createSessionOk, 50);
      assert.equal(
        stats.createSession,
        attempts.reduce((a, b) => a + b, 0),
      );
      assert.ok(stats.throttled > 0, 'the limit must actually have throttled some requests');
      console.log(
        `      50 requests: ${stats.createSession} attempts (${stats.throttled} throttled), max ${Math.max(...attempts)} per request, ${elapsedMs} ms in all`,
      );
    } finally {
      await emulator.stop();
    }
  });
});
