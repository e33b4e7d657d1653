/**
 * The session must be the one asked for: an endpoint (broken, spoofed, or a proxy that rewrites
 * answers) could return credentials for another account or role, and a pipeline would deploy
 * there. Checked on every CreateSession answer, before anything is cached, exported or written.
 */
import { IamraError } from '../errors.js';
import type { SessionParameters } from '../parameters.js';
import { neutralizeForLog } from '../text/untrusted.js';
import type { SessionCredentials } from './credentials.js';

/** arn:PARTITION:sts::ACCOUNT:assumed-role/ROLE-NAME/SESSION-NAME, as STS writes it. */
const ASSUMED_ROLE_ARN =
  /^arn:(aws|aws-cn|aws-us-gov):sts::(\d{12}):assumed-role\/([\w+=,.@-]{1,64})\/([\w+=,.@-]{1,64})$/;

/** Also each AssumeRole of a role chain (operation 'AssumeRole', the hop's role and account). */
export function checkSessionAccount(
  credentials: Pick<SessionCredentials, 'assumedRoleArn'>,
  params: Pick<SessionParameters, 'partition' | 'roleArn' | 'accountId'>,
  operation = 'CreateSession',
): void {
  const match = ASSUMED_ROLE_ARN.exec(credentials.assumedRoleArn);
  if (!match) {
    throw new IamraError(
      'RESPONSE_INVALID',
      `the ${operation} response names '${neutralizeForLog(credentials.assumedRoleArn, 200)}', which is not an assumed-role ARN; check that the endpoint is ${operation === 'CreateSession' ? 'IAM Roles Anywhere' : 'AWS STS'}`,
    );
  }
  const [, partition, account, roleName] = match;
  const roleArnParts = params.roleArn.split(':');
  const roleAccount = roleArnParts[4] ?? '';
  const expectedRole = params.roleArn.split('/').pop() ?? '';
  const expected = `${params.partition} account ${roleAccount}, role ${expectedRole}`;
  if (
    partition !== params.partition ||
    account !== roleAccount ||
    account !== params.accountId ||
    roleName !== expectedRole
  ) {
    throw new IamraError(
      'ACCOUNT_MISMATCH',
      `the endpoint answered with a session for ${partition} account ${account}, role ${roleName}, but ${expected} (the profile's account is ${params.accountId}) was asked for; nothing was exported: check the endpoint and any proxy in between`,
    );
  }
}

/** allowedAccountIds: a pipeline's own list of accounts it may get credentials for. */
export function checkAllowedAccount(accountId: string, allowed: readonly string[] | undefined): void {
  if (allowed === undefined || allowed.length === 0) return;
  if (!allowed.includes(accountId)) {
    throw new IamraError(
      'ACCOUNT_NOT_ALLOWED',
      `account ${accountId} is not in the allowed account ids (${allowed.join(', ')}); nothing was exported: fix the role and profile ARNs, or the allowed list`,
    );
  }
}

/** Parses an allowed-account-ids input: 12-digit ids separated by commas or whitespace. */
export function parseAllowedAccountIds(text: string | undefined): string[] | undefined {
  const ids = (text ?? '').split(/[\s,]+/).filter(Boolean);
  if (ids.length === 0) return undefined;
  const bad = ids.find((id) => !/^\d{12}$/.test(id));
  if (bad !== undefined) {
    throw new IamraError(
      'CONFIG_INVALID',
      `allowed account id '${neutralizeForLog(bad, 40)}' is not a 12-digit AWS account id`,
    );
  }
  return ids;
}
