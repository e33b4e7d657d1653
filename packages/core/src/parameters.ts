/** CreateSession parameters: ARNs that agree with each other, region, duration, session name. */
import { isValidRegion, type Partition, parseArn, partitionOfRegion } from './arn.js';
import { IamraError } from './errors.js';

export interface SessionParametersInput {
  trustAnchorArn: string;
  profileArn: string;
  roleArn: string;
  /**
   * The Roles Anywhere region CreateSession is signed for and sent to (the Go helper's
   * `--region`). Default: the trust anchor's, where the anchor lives. Not the region later AWS
   * calls use: see resolveAwsRegion.
   */
  region?: string;
  durationSeconds?: number;
  roleSessionName?: string;
}

export interface SessionParameters {
  trustAnchorArn: string;
  profileArn: string;
  roleArn: string;
  partition: Partition;
  /** The signing region of CreateSession (and of its regional endpoint). */
  region: string;
  /** The profile's account. */
  accountId: string;
  durationSeconds: number;
  roleSessionName: string | undefined;
}

export const MIN_DURATION_SECONDS = 900;
export const MAX_DURATION_SECONDS = 43_200;
export const DEFAULT_DURATION_SECONDS = 3600;
const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;

export function validateDuration(value: number | undefined): number {
  const duration = value ?? DEFAULT_DURATION_SECONDS;
  if (!Number.isInteger(duration) || duration < MIN_DURATION_SECONDS || duration > MAX_DURATION_SECONDS) {
    throw new IamraError(
      'DURATION_INVALID',
      `session duration must be a whole number of seconds from 900 to 43200 (the profile may cap it lower); got ${String(value)}`,
    );
  }
  return duration;
}

/** Adapters get strings; anything but digits is refused rather than guessed. */
export function parseDuration(text: string | undefined): number | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  const trimmed = text.trim();
  if (!/^\d+$/.test(trimmed)) {
    throw new IamraError(
      'DURATION_INVALID',
      `session duration must be a whole number of seconds from 900 to 43200; got '${trimmed}'`,
    );
  }
  return validateDuration(Number(trimmed));
}

export function resolveSessionParameters(input: SessionParametersInput): SessionParameters {
  const anchor = parseArn('trust-anchor', input.trustAnchorArn);
  const profile = parseArn('profile', input.profileArn);
  const role = parseArn('role', input.roleArn);
  for (const field of ['partition', 'region', 'account'] as const) {
    if (anchor[field] !== profile[field]) {
      throw new IamraError(
        'ARN_MISMATCH',
        `the trust anchor and the profile must be in the same ${field}: trust anchor has '${anchor[field]}', profile has '${profile[field]}'`,
      );
    }
  }
  if (role.partition !== anchor.partition) {
    throw new IamraError(
      'ARN_MISMATCH',
      `the role must be in the trust anchor's partition '${anchor.partition}'; the role ARN has '${role.partition}'`,
    );
  }
  const region = input.region?.trim() || anchor.region;
  if (!isValidRegion(region) || partitionOfRegion(region) !== anchor.partition) {
    throw new IamraError(
      'REGION_INVALID',
      `region '${region}' is not a valid region of partition '${anchor.partition}'; leave it empty to use the trust anchor's region (${anchor.region})`,
    );
  }
  const roleSessionName = input.roleSessionName?.trim() || undefined;
  if (roleSessionName !== undefined && !SESSION_NAME.test(roleSessionName)) {
    throw new IamraError(
      'SESSION_NAME_INVALID',
      `role session name must be 2 to 64 characters of letters, digits and + = , . @ _ -; got '${roleSessionName}'`,
    );
  }
  return {
    trustAnchorArn: anchor.raw,
    profileArn: profile.raw,
    roleArn: role.raw,
    partition: anchor.partition,
    region,
    accountId: profile.account,
    durationSeconds: validateDuration(input.durationSeconds),
    roleSessionName,
  };
}

/**
 * The region exported for later AWS calls (AWS_REGION, a profile's `region`): independent of
 * where CreateSession goes, since a trust anchor in one region serves roles used in any other.
 * Default: the signing region. It must be in the session's partition (credentials do not cross
 * partitions).
 */
export function resolveAwsRegion(
  value: string | undefined,
  params: Pick<SessionParameters, 'partition' | 'region'>,
): string {
  const region = value?.trim() || params.region;
  if (!isValidRegion(region) || partitionOfRegion(region) !== params.partition) {
    throw new IamraError(
      'REGION_INVALID',
      `AWS region '${region}' is not a valid region of partition '${params.partition}' (the trust anchor's); leave it empty to use ${params.region}`,
    );
  }
  return region;
}
