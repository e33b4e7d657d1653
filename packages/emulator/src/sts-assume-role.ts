/**
 * STS AssumeRole as the service answers a role-chained call: the trust policy (principal,
 * sts:ExternalId condition, sts:TagSession), the 1-hour cap on chained sessions, the session
 * policy limits, and AWS's error codes and messages.
 */
import { createHash } from 'node:crypto';
import { type IssuedCredentials, type IssuedStore, newAccessKeyId, newSecret, newSessionToken } from './issued.js';
import type { AssumableRole, EmulatorModel } from './model.js';
import { element, type StsAnswer, StsError, xmlResult } from './sts-xml.js';

export interface AssumeRoleContext {
  model: EmulatorModel;
  issued: IssuedStore;
  now: Date;
  random: (size: number) => Buffer;
  requestId: string;
}

const ROLE_ARN = /^arn:(aws|aws-cn|aws-us-gov):iam::(\d{12}):role\/(?:[\x21-\x7e]*\/)?([\w+=,.@-]{1,64})$/;
const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;
const EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;

const validation = (message: string) => new StsError(400, 'ValidationError', message);

function notAuthorized(caller: IssuedCredentials, action: string, roleArn: string): StsError {
  return new StsError(
    403,
    'AccessDenied',
    `User: ${caller.assumedRoleArn} is not authorized to perform: ${action} on resource: ${roleArn}`,
  );
}

/** Tags.member.N.Key/Value and the like, in member order; a gap ends the list. */
function members(form: URLSearchParams, prefix: string, suffix = ''): string[] {
  const out: string[] = [];
  for (let i = 1; form.has(`${prefix}.member.${i}${suffix}`); i += 1)
    out.push(form.get(`${prefix}.member.${i}${suffix}`) ?? '');
  return out;
}

function trusts(role: AssumableRole, caller: IssuedCredentials): boolean {
  const account = caller.roleArn.split(':')[4];
  const partition = caller.roleArn.split(':')[1];
  return role.trustedPrincipals.some(
    (principal) =>
      principal === '*' || principal === caller.roleArn || principal === `arn:${partition}:iam::${account}:root`,
  );
}

function parsePolicy(text: string | null): string | undefined {
  if (text === null) return undefined;
  if (text.length > 2048) {
    throw validation(
      "1 validation error detected: Value at 'policy' failed to satisfy constraint: Member must have length less than or equal to 2048",
    );
  }
  try {
    const value: unknown = JSON.parse(text);
    if (!value || typeof value !== 'object' || Array.isArray(value)) throw new Error('not an object');
  } catch {
    throw new StsError(400, 'MalformedPolicyDocument', 'The policy is not in the valid JSON format.');
  }
  return text;
}

function duration(form: URLSearchParams, role: AssumableRole): number {
  const text = form.get('DurationSeconds') ?? '3600';
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < 900 || value > 43_200) {
    throw validation(
      `1 validation error detected: Value '${text}' at 'durationSeconds' failed to satisfy constraint: Member must have value between 900 and 43200`,
    );
  }
  // Every caller here is a role session (from Roles Anywhere or AssumeRole): this is role chaining.
  if (value > 3600) {
    throw validation(
      'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.',
    );
  }
  if (value > role.maxSessionDurationSeconds) {
    throw validation('The requested DurationSeconds exceeds the MaxSessionDuration set for this role.');
  }
  return value;
}

function tags(form: URLSearchParams): { key: string; value: string }[] {
  const keys = members(form, 'Tags', '.Key');
  const values = members(form, 'Tags', '.Value');
  if (keys.length > 50)
    throw validation('1 validation error detected: Member must have length less than or equal to 50');
  return keys.map((key, i) => ({ key, value: values[i] ?? '' }));
}

/** AWS reports how full the packed policies and tags are, in percent; this approximates it. */
function packedPolicySize(
  policy: string | undefined,
  arns: string[],
  tagList: { key: string; value: string }[],
): number {
  const size =
    (policy?.length ?? 0) + arns.length * 64 + tagList.reduce((sum, t) => sum + t.key.length + t.value.length, 0);
  return Math.ceil((size * 100) / 2048);
}

export function assumeRole(form: URLSearchParams, caller: IssuedCredentials, context: AssumeRoleContext): StsAnswer {
  const roleArn = form.get('RoleArn') ?? '';
  const sessionName = form.get('RoleSessionName') ?? '';
  const match = ROLE_ARN.exec(roleArn);
  if (!match) throw validation(`${roleArn.slice(0, 100)} is invalid`);
  if (!SESSION_NAME.test(sessionName)) {
    throw validation(
      "1 validation error detected: Value at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*",
    );
  }
  const externalId = form.get('ExternalId') ?? undefined;
  if (externalId !== undefined && !EXTERNAL_ID.test(externalId)) {
    throw validation(
      "1 validation error detected: Value at 'externalId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@:\\/-]*",
    );
  }
  const policy = parsePolicy(form.get('Policy'));
  const policyArns = members(form, 'PolicyArns', '.arn');
  if (policyArns.length > 10)
    throw validation('1 validation error detected: policyArns must have length less than or equal to 10');
  const tagList = tags(form);
  const transitive = members(form, 'TransitiveTagKeys');
  const tagKeys = new Set(tagList.map((t) => t.key.toLowerCase()));
  if (transitive.some((key) => !tagKeys.has(key.toLowerCase()))) {
    throw new StsError(400, 'InvalidParameterValue', 'TransitiveTagKeys must be a subset of the session tag keys.');
  }

  const role = context.model.roles.find((candidate) => candidate.arn === roleArn);
  if (!role || !trusts(role, caller)) throw notAuthorized(caller, 'sts:AssumeRole', roleArn);
  if (role.externalId !== undefined && role.externalId !== externalId)
    throw notAuthorized(caller, 'sts:AssumeRole', roleArn);
  // Transitive tags from earlier hops are passed on, and passing tags needs sts:TagSession.
  const inherited = (caller.tags ?? []).filter((t) => caller.transitiveTagKeys?.includes(t.key));
  if ((tagList.length > 0 || inherited.length > 0) && !role.allowTagSession) {
    throw notAuthorized(caller, 'sts:TagSession', roleArn);
  }
  const seconds = duration(form, role);

  const [, partition = 'aws', account = '', roleName = 'role'] = match;
  const roleId = `AROA${createHash('sha256').update(roleArn).digest('hex').slice(0, 17).toUpperCase()}`;
  const expiration = new Date(context.now.getTime() + seconds * 1000);
  const issued: IssuedCredentials = {
    accessKeyId: newAccessKeyId(context.random),
    secretAccessKey: newSecret(context.random),
    sessionToken: newSessionToken(context.random),
    expiration,
    assumedRoleArn: `arn:${partition}:sts::${account}:assumed-role/${roleName}/${sessionName}`,
    assumedRoleId: `${roleId}:${sessionName}`,
    accountId: account,
    roleArn,
    sourceIdentity: caller.sourceIdentity,
    chained: true,
    ...(policy !== undefined ? { sessionPolicy: policy } : {}),
    policyArns,
    tags: [...inherited.filter((t) => !tagKeys.has(t.key.toLowerCase())), ...tagList],
    transitiveTagKeys: [...new Set([...(caller.transitiveTagKeys ?? []), ...transitive])],
  };
  context.issued.add(issued);
  const fields =
    `<AssumedRoleUser>${element('AssumedRoleId', issued.assumedRoleId)}${element('Arn', issued.assumedRoleArn)}</AssumedRoleUser>` +
    `<Credentials>${element('AccessKeyId', issued.accessKeyId)}${element('SecretAccessKey', issued.secretAccessKey)}` +
    `${element('SessionToken', issued.sessionToken)}${element('Expiration', expiration.toISOString())}</Credentials>` +
    element('PackedPolicySize', String(packedPolicySize(policy, policyArns, tagList))) +
    (issued.sourceIdentity ? element('SourceIdentity', issued.sourceIdentity) : '');
  return xmlResult('AssumeRole', fields, context.requestId);
}
