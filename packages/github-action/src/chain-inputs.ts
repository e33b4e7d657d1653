/**
 * Role chaining inputs: `assume-role-arn` lines are the hops in order. A per-hop input given
 * once applies to the last hop (the one exported); given once per hop, line N is hop N. Session
 * policies shape the final session, so they apply to the last hop. allowed-account-ids (inputs.ts)
 * is checked against the last role's account.
 */
import { IamraError, type RoleHopInput } from '@iamra/core';
import type { Runner } from './runner/commands.js';

export interface ChainInputs {
  assumeRoles: RoleHopInput[];
  stsEndpoint: string | undefined;
}

function lines(value: string): string[] {
  return value
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean);
}

function perHop(runner: Runner, name: string, hops: number): (string | undefined)[] {
  const values = lines(runner.input(name));
  if (values.length === 0) return Array(hops).fill(undefined);
  if (values.length === hops) return values;
  if (values.length === 1) return [...Array(hops - 1).fill(undefined), values[0]];
  throw new IamraError(
    'CONFIG_INVALID',
    `input ${name} has ${values.length} lines for ${hops} assume-role-arn lines; give one line, or one per role`,
  );
}

function duration(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text))
    throw new IamraError('CONFIG_INVALID', `input assume-role-duration-seconds must be whole seconds; got '${text}'`);
  return Number(text);
}

export function readChainInputs(runner: Runner): ChainInputs {
  const arns = lines(runner.input('assume-role-arn'));
  const externalIds = perHop(runner, 'assume-role-external-id', arns.length);
  const names = perHop(runner, 'assume-role-session-name', arns.length);
  const durations = perHop(runner, 'assume-role-duration-seconds', arns.length);
  const policy = runner.input('inline-session-policy').trim();
  const managed = runner
    .input('managed-session-policies')
    .split(/[\s,]+/)
    .filter(Boolean);
  if (arns.length === 0 && (policy || managed.length)) {
    throw new IamraError('CONFIG_INVALID', 'inline-session-policy and managed-session-policies need assume-role-arn');
  }
  const assumeRoles = arns.map((roleArn, i): RoleHopInput => {
    const last = i === arns.length - 1;
    const seconds = duration(durations[i]);
    return {
      roleArn,
      ...(externalIds[i] ? { externalId: externalIds[i] } : {}),
      ...(names[i] ? { roleSessionName: names[i] } : {}),
      ...(seconds !== undefined ? { durationSeconds: seconds } : {}),
      ...(last && policy ? { policy } : {}),
      ...(last && managed.length ? { policyArns: managed } : {}),
    };
  });
  return {
    assumeRoles,
    stsEndpoint: runner.input('sts-endpoint').trim() || undefined,
  };
}
