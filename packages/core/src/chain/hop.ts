/**
 * One role to assume after CreateSession (a hop of a role chain), validated before any call so
 * a typo fails in the step, not halfway through the chain. Loads no node:crypto: the CLI's warm
 * path builds its cache key from these.
 */
import { type Partition, parseArn } from '../arn.js';
import { IamraError } from '../errors.js';

export interface SessionTag {
  key: string;
  value: string;
}

export interface RoleHopInput {
  roleArn: string;
  /** Defaults to the previous session's name (the certificate serial unless set), for CloudTrail. */
  roleSessionName?: string;
  externalId?: string;
  /** 900..3600: AWS refuses more than an hour for a role-chained session. */
  durationSeconds?: number;
  /** An inline session policy (JSON text). */
  policy?: string;
  /** Managed policy ARNs used as session policies. */
  policyArns?: string[];
  tags?: SessionTag[];
  transitiveTagKeys?: string[];
}

export interface RoleHop {
  roleArn: string;
  partition: Partition;
  accountId: string;
  roleSessionName: string | undefined;
  externalId: string | undefined;
  durationSeconds: number;
  /** Minified JSON, so the same policy written differently is the same cache key. */
  policy: string | undefined;
  policyArns: string[];
  tags: SessionTag[];
  transitiveTagKeys: string[];
}

/** AWS: a session from role chaining lasts at most one hour; AssumeRole fails above it. */
export const MAX_CHAINED_DURATION_SECONDS = 3600;
export const MIN_CHAINED_DURATION_SECONDS = 900;
/** AWS's limits on AssumeRole parameters (API reference). */
const MAX_POLICY_CHARS = 2048;
const MAX_POLICY_ARNS = 10;
const MAX_TAGS = 50;
const MAX_HOPS = 10;
const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;
const EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;
const POLICY_ARN = /^arn:(aws|aws-cn|aws-us-gov):iam::(\d{12}|aws):policy\/([\x21-\x7e]+\/)?[\w+=,.@-]{1,128}$/;
const TAG_KEY = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128}$/u;
const TAG_VALUE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{0,256}$/u;

function shown(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function fail(hop: number, message: string): never {
  throw new IamraError('ROLE_CHAIN_INVALID', `assumed role ${hop}: ${message}`);
}

function duration(hop: number, value: number | undefined): number {
  const seconds = value ?? MAX_CHAINED_DURATION_SECONDS;
  if (!Number.isInteger(seconds) || seconds < MIN_CHAINED_DURATION_SECONDS) {
    fail(hop, `duration must be a whole number of seconds from 900 to 3600; got ${String(value)}`);
  }
  if (seconds > MAX_CHAINED_DURATION_SECONDS) {
    fail(
      hop,
      `duration ${seconds} s is over 3600: AWS limits a role-chained session to 1 hour and refuses longer ones; give 900..3600`,
    );
  }
  return seconds;
}

function policy(hop: number, text: string | undefined): string | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    fail(hop, 'the inline session policy is not valid JSON');
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    fail(hop, 'the inline session policy must be a JSON object ({"Version":"2012-10-17","Statement":[...]})');
  }
  const minified = JSON.stringify(parsed);
  if (minified.length > MAX_POLICY_CHARS) {
    fail(hop, `the inline session policy has ${minified.length} characters once minified; AWS allows 2048`);
  }
  return minified;
}

function policyArns(hop: number, arns: string[] | undefined): string[] {
  const list = (arns ?? []).map((arn) => arn.trim()).filter(Boolean);
  if (list.length > MAX_POLICY_ARNS) fail(hop, `${list.length} managed session policies; AWS allows 10`);
  for (const arn of list) {
    if (!POLICY_ARN.test(arn))
      fail(hop, `'${shown(arn)}' is not a managed policy ARN (arn:aws:iam::ACCOUNT:policy/NAME)`);
  }
  return list;
}

function tags(hop: number, input: SessionTag[] | undefined): SessionTag[] {
  const list = input ?? [];
  if (list.length > MAX_TAGS) fail(hop, `${list.length} session tags; AWS allows 50`);
  const seen = new Set<string>();
  for (const tag of list) {
    if (!TAG_KEY.test(tag.key))
      fail(hop, `session tag key '${shown(tag.key)}' must be 1-128 letters, digits, spaces or _.:/=+-@`);
    if (!TAG_VALUE.test(tag.value))
      fail(hop, `session tag '${shown(tag.key)}' has a value that is not 0-256 letters, digits, spaces or _.:/=+-@`);
    if (/^aws:/i.test(tag.key)) fail(hop, `session tag key '${shown(tag.key)}' starts with aws:, which AWS reserves`);
    // Tag keys are case-insensitive in IAM: two spellings of one key is a mistake, not two tags.
    const folded = tag.key.toLowerCase();
    if (seen.has(folded)) fail(hop, `session tag key '${shown(tag.key)}' is given twice`);
    seen.add(folded);
  }
  return list.map((tag) => ({ key: tag.key, value: tag.value }));
}

function transitive(hop: number, keys: string[] | undefined, tagList: SessionTag[]): string[] {
  const list = (keys ?? []).map((key) => key.trim()).filter(Boolean);
  const known = new Set(tagList.map((tag) => tag.key.toLowerCase()));
  for (const key of list) {
    if (!known.has(key.toLowerCase()))
      fail(hop, `transitive tag key '${shown(key)}' is not one of this hop's session tags`);
  }
  return list;
}

export function resolveRoleHop(input: RoleHopInput, index: number): RoleHop {
  const hop = index + 1;
  const role = parseArn('role', input.roleArn);
  const roleSessionName = input.roleSessionName?.trim() || undefined;
  if (roleSessionName !== undefined && !SESSION_NAME.test(roleSessionName)) {
    fail(hop, `session name '${shown(roleSessionName)}' must be 2-64 letters, digits or +=,.@_-`);
  }
  const externalId = input.externalId?.trim() || undefined;
  if (externalId !== undefined && !EXTERNAL_ID.test(externalId)) {
    fail(hop, 'the external ID must be 2-1224 letters, digits or +=,.@:/_-');
  }
  const tagList = tags(hop, input.tags);
  return {
    roleArn: role.raw,
    partition: role.partition,
    accountId: role.account,
    roleSessionName,
    externalId,
    durationSeconds: duration(hop, input.durationSeconds),
    policy: policy(hop, input.policy),
    policyArns: policyArns(hop, input.policyArns),
    tags: tagList,
    transitiveTagKeys: transitive(hop, input.transitiveTagKeys, tagList),
  };
}

/** Every hop checked, and all in the partition of the session they start from. */
export function resolveRoleChain(inputs: RoleHopInput[], partition: Partition): RoleHop[] {
  if (inputs.length > MAX_HOPS) {
    throw new IamraError('ROLE_CHAIN_INVALID', `${inputs.length} roles to assume; iamra chains at most ${MAX_HOPS}`);
  }
  return inputs.map((input, index) => {
    const hop = resolveRoleHop(input, index);
    if (hop.partition !== partition) {
      fail(
        index + 1,
        `role ${hop.roleArn} is in partition '${hop.partition}', the session in '${partition}'; STS cannot cross partitions`,
      );
    }
    return hop;
  });
}

/** `KEY=VALUE` (as flags and inputs write a tag); the first `=` splits. */
export function parseSessionTag(text: string): SessionTag {
  const at = text.indexOf('=');
  if (at <= 0) {
    throw new IamraError('ROLE_CHAIN_INVALID', `session tag '${shown(text)}' must be KEY=VALUE`);
  }
  return { key: text.slice(0, at).trim(), value: text.slice(at + 1).trim() };
}
