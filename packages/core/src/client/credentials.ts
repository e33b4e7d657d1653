/** The credentials we hand on, mapped from credentialSet[0]. */
import { IamraError } from '../errors.js';

export interface SessionCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: Date;
  assumedRoleArn: string;
  assumedRoleId: string;
  roleArn: string;
  sourceIdentity: string;
  accountId: string;
  subjectArn: string | undefined;
}

function invalid(detail: string): IamraError {
  return new IamraError(
    'RESPONSE_INVALID',
    `the CreateSession response ${detail}; check that the endpoint is IAM Roles Anywhere`,
  );
}

function field(object: unknown, name: string): unknown {
  return object && typeof object === 'object' ? (object as Record<string, unknown>)[name] : undefined;
}

function requiredString(object: unknown, name: string): string {
  const value = field(object, name);
  if (typeof value !== 'string' || value === '') throw invalid(`has no ${name}`);
  return value;
}

export function parseCredentialSet(body: string): SessionCredentials {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw invalid('is not valid JSON');
  }
  const set = field(parsed, 'credentialSet');
  if (!Array.isArray(set) || set.length === 0) throw invalid('has an empty credentialSet');
  const first: unknown = set[0];
  const credentials = field(first, 'credentials');
  const assumed = field(first, 'assumedRoleUser');
  const expiration = new Date(requiredString(credentials, 'expiration'));
  if (Number.isNaN(expiration.getTime())) throw invalid('has an expiration that is not a date');
  const assumedRoleArn = requiredString(assumed, 'arn');
  const subjectArn = field(parsed, 'subjectArn');
  return {
    accessKeyId: requiredString(credentials, 'accessKeyId'),
    secretAccessKey: requiredString(credentials, 'secretAccessKey'),
    sessionToken: requiredString(credentials, 'sessionToken'),
    expiration,
    assumedRoleArn,
    assumedRoleId: typeof field(assumed, 'assumedRoleId') === 'string' ? String(field(assumed, 'assumedRoleId')) : '',
    roleArn: typeof field(first, 'roleArn') === 'string' ? String(field(first, 'roleArn')) : '',
    sourceIdentity: typeof field(first, 'sourceIdentity') === 'string' ? String(field(first, 'sourceIdentity')) : '',
    accountId: assumedRoleArn.split(':')[4] ?? '',
    subjectArn: typeof subjectArn === 'string' ? subjectArn : undefined,
  };
}
