/** The same calls through our Runner and @actions/core, asserted identical byte for byte. */
import assert from 'node:assert/strict';
import { EOL } from 'node:os';
import { neutralizeForLog } from '@iamra/core';
import { runActionsCore } from './actions-core.js';
import type { Call, Outcome, Scenario } from './calls.js';
import { runOurs } from './ours.js';

const uuid = (n: number) => `3f2a9c4e-7b1d-4e8a-9c6f-${n.toString(16).padStart(12, '0')}`;
/** The heredoc delimiters' randomness, the same on both sides. */
export const UUIDS = Array.from({ length: 32 }, (_, i) => uuid(i + 1));
/** The delimiter of the n-th file-command write (1-based). */
export const delimiter = (n: number) => `ghadelimiter_${uuid(n)}`;
/** The n-th write's record as both sides must write it. */
export const heredoc = (name: string, value: string, n: number) =>
  `${name}<<${delimiter(n)}${EOL}${value}${EOL}${delimiter(n)}${EOL}`;

/**
 * @actions/core given what ours prints: ours neutralises log text and titles its annotations
 * "iamra" unless told otherwise (both named in runner-protocol-differences.test.ts). On ordinary
 * text (see assertOrdinary) this changes nothing, so the raw calls are what is compared there.
 */
export function coreView(calls: Call[]): Call[] {
  return calls.map((call) => {
    if (call.op === 'info') return { ...call, message: neutralizeForLog(call.message, Number.POSITIVE_INFINITY) };
    if (call.op === 'warning' || call.op === 'error') {
      return {
        ...call,
        message: neutralizeForLog(call.message, Number.POSITIVE_INFINITY),
        title: call.title ?? 'iamra',
      };
    }
    return call;
  });
}

export function assertOrdinary(calls: Call[]): void {
  for (const call of calls) {
    if (call.op === 'info' || call.op === 'warning' || call.op === 'error') {
      assert.equal(neutralizeForLog(call.message, Number.POSITIVE_INFINITY), call.message, 'ordinary text');
    }
  }
}

/** Results compared by kind: a value, nothing, or a throw (the messages differ: ours are IamraErrors). */
function comparable(outcome: Outcome): Outcome {
  return { ...outcome, results: outcome.results.map((r) => ('threw' in r ? { threw: 'threw' } : r)) };
}

export async function differential(scenario: Scenario): Promise<{ ours: Outcome; core: Outcome }> {
  const ours = runOurs(scenario);
  const core = await runActionsCore({ ...scenario, calls: coreView(scenario.calls) });
  assert.equal(ours.stdout, core.stdout, 'stdout, byte for byte');
  for (const name of new Set([...Object.keys(ours.files), ...Object.keys(core.files)]) as Set<keyof Outcome['files']>) {
    assert.equal(ours.files[name], core.files[name], name);
  }
  assert.deepEqual(comparable(ours), comparable(core));
  return { ours, core };
}
