/**
 * Role chaining flags: `--assume-role-arn` once per hop, in order; each hop's own flags follow
 * the `--assume-role-arn` they belong to. The guard and the STS endpoint apply to the chain.
 */
import { readFileSync } from 'node:fs';
import { IamraError, parseSessionTag, type RoleHopInput, readFileOrFail } from '@iamra/core/light';
import type { FlagSpecs, ParsedFlags } from '../args.js';

const HOP = 'applies to the --assume-role-arn before it';

export const CHAIN_FLAGS: FlagSpecs = {
  'assume-role-arn': {
    value: true,
    repeatable: true,
    placeholder: 'ARN',
    description: 'after CreateSession, assume this role with STS (repeat for a chain; flags below follow it)',
  },
  'assume-role-session-name': {
    value: true,
    repeatable: true,
    placeholder: 'NAME',
    description: `session name (default: the previous session's); ${HOP}`,
  },
  'assume-role-external-id': { value: true, repeatable: true, placeholder: 'ID', description: `external ID; ${HOP}` },
  'assume-role-duration-seconds': {
    value: true,
    repeatable: true,
    placeholder: 'SECONDS',
    description: `900..3600 (AWS caps chained sessions at 1 hour; default 3600); ${HOP}`,
  },
  'inline-session-policy': {
    value: true,
    repeatable: true,
    placeholder: 'JSON',
    description: `inline session policy (at most 2048 characters); ${HOP}`,
  },
  'inline-session-policy-file': {
    value: true,
    repeatable: true,
    placeholder: 'FILE',
    description: `file holding the inline session policy; ${HOP}`,
  },
  'managed-session-policies': {
    value: true,
    repeatable: true,
    placeholder: 'ARNS',
    description: `managed policy ARNs as session policies (comma separated, at most 10); ${HOP}`,
  },
  'assume-role-tag': {
    value: true,
    repeatable: true,
    placeholder: 'KEY=VALUE',
    description: `session tag (repeatable; the role must allow sts:TagSession); ${HOP}`,
  },
  'assume-role-transitive-tag-key': {
    value: true,
    repeatable: true,
    placeholder: 'KEY',
    description: `make this session tag transitive (repeatable); ${HOP}`,
  },
  'allowed-account-ids': {
    value: true,
    placeholder: 'IDS',
    description: 'fail unless the final credentials are for one of these accounts (comma separated)',
  },
  'sts-endpoint': {
    value: true,
    placeholder: 'URL',
    description: 'STS endpoint for the chain (default AWS_ENDPOINT_URL_STS, else https://sts.REGION.amazonaws.com)',
  },
};

/** Flags that a hop may carry once. */
const ONCE = new Set([
  'assume-role-session-name',
  'assume-role-external-id',
  'assume-role-duration-seconds',
  'inline-session-policy',
  'inline-session-policy-file',
  'managed-session-policies',
]);
const PER_HOP = new Set([...ONCE, 'assume-role-tag', 'assume-role-transitive-tag-key']);

function durationSeconds(text: string): number {
  if (!/^\d+$/.test(text.trim())) {
    throw new IamraError(
      'ROLE_CHAIN_INVALID',
      `--assume-role-duration-seconds must be whole seconds, 900..3600; got '${text}'`,
    );
  }
  return Number(text.trim());
}

function apply(hop: RoleHopInput, name: string, value: string): void {
  switch (name) {
    case 'assume-role-session-name':
      hop.roleSessionName = value;
      break;
    case 'assume-role-external-id':
      hop.externalId = value;
      break;
    case 'assume-role-duration-seconds':
      hop.durationSeconds = durationSeconds(value);
      break;
    case 'inline-session-policy':
      hop.policy = value;
      break;
    case 'inline-session-policy-file':
      hop.policy = readFileOrFail(value, readFileSync, 'session policy file').toString('utf8');
      break;
    case 'managed-session-policies':
      hop.policyArns = value.split(',');
      break;
    case 'assume-role-tag':
      hop.tags = [...(hop.tags ?? []), parseSessionTag(value)];
      break;
    default:
      hop.transitiveTagKeys = [...(hop.transitiveTagKeys ?? []), value];
  }
}

/** The hops in command-line order (validated by core's resolveRoleChain afterwards). */
export function chainInputs(flags: ParsedFlags): RoleHopInput[] {
  const hops: RoleHopInput[] = [];
  let seen = new Set<string>();
  for (const [name, value] of flags.sequence) {
    if (name === 'assume-role-arn') {
      hops.push({ roleArn: value });
      seen = new Set();
      continue;
    }
    if (!PER_HOP.has(name)) continue;
    const hop = hops.at(-1);
    if (!hop) throw new IamraError('CONFIG_INVALID', `--${name} must follow the --assume-role-arn it belongs to`);
    if (name === 'inline-session-policy-file' || name === 'inline-session-policy') {
      if (seen.has('inline-session-policy') || seen.has('inline-session-policy-file')) {
        throw new IamraError('CONFIG_INVALID', `hop ${hops.length} has two inline session policies; give one`);
      }
    }
    if (ONCE.has(name) && seen.has(name)) {
      throw new IamraError(
        'CONFIG_INVALID',
        `--${name} is given twice for hop ${hops.length}; give it once per --assume-role-arn`,
      );
    }
    seen.add(name);
    apply(hop, name, value);
  }
  return hops;
}
