/** CreateSession as the service answers it. */
import { createHash } from 'node:crypto';
import { type IssuedStore, newAccessKeyId, newSecret, newSessionToken } from './issued.js';
import { cannotVerifyMlDsa, isMlDsaKeyType, ML_DSA_ALGORITHM, mlDsaVerifies, publicKeyType } from './ml-dsa.js';
import type { EmulatorModel } from './model.js';
import { denied, invalid, notFound, UNTRUSTED } from './service-error.js';
import { decodeCertificate, verifyTrustPath } from './trust.js';
import { parseAuthorization, type ReceivedRequest, verifyX509Signature } from './x509-sigv4.js';

const REQUIRED_SIGNED = ['content-type', 'host', 'x-amz-date', 'x-amz-x509'];
const CLOCK_SKEW_MS = 5 * 60_000;

export interface CreateSessionContext {
  model: EmulatorModel;
  issued: IssuedStore;
  now: () => Date;
  random: (size: number) => Buffer;
}

function header(request: ReceivedRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

function parseAmzDate(value: string | undefined): Date {
  const match = value ? /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value) : null;
  if (!match) throw denied('X-Amz-Date header is missing or malformed');
  const [, y, mo, d, h, mi, s] = match.map(Number);
  return new Date(Date.UTC(y ?? 0, (mo ?? 1) - 1, d ?? 1, h ?? 0, mi ?? 0, s ?? 0));
}

function hexToDecimal(hex: string): string {
  return BigInt(`0x${hex || '0'}`).toString(10);
}

function parseBody(request: ReceivedRequest): Record<string, unknown> {
  if (request.body.length === 0) return {};
  try {
    const value: unknown = JSON.parse(request.body.toString('utf8'));
    if (!value || typeof value !== 'object' || Array.isArray(value)) throw new Error('not an object');
    return value as Record<string, unknown>;
  } catch {
    throw invalid('Request body is not valid JSON');
  }
}

function queryParams(rawQuery: string): URLSearchParams {
  return new URLSearchParams(rawQuery);
}

function keyTypeMatches(algorithm: string, type: string | undefined): boolean {
  if (algorithm === ML_DSA_ALGORITHM) return isMlDsaKeyType(type);
  return algorithm === 'AWS4-X509-RSA-SHA256' ? type === 'rsa' : type === 'ec';
}

export interface CreateSessionResult {
  status: 201;
  body: Record<string, unknown>;
  accountId: string;
}

/** Which account a request is for, before verification (for per-account rate limiting). */
export function requestedAccount(request: ReceivedRequest): string | undefined {
  const fromQuery = queryParams(request.rawQuery).get('trustAnchorArn');
  let arn = fromQuery;
  if (!arn) {
    try {
      const body = JSON.parse(request.body.toString('utf8')) as { trustAnchorArn?: unknown };
      arn = typeof body.trustAnchorArn === 'string' ? body.trustAnchorArn : null;
    } catch {
      arn = null;
    }
  }
  return arn?.split(':')[4];
}

export function createSession(request: ReceivedRequest, context: CreateSessionContext): CreateSessionResult {
  const { model } = context;
  const auth = parseAuthorization(header(request, 'authorization'));
  const amzDateText = header(request, 'x-amz-date');
  const requestDate = parseAmzDate(amzDateText);
  const now = context.now();
  if (Math.abs(now.getTime() - requestDate.getTime()) > CLOCK_SKEW_MS) {
    throw denied('Signature expired: the request time is more than 5 minutes away from the server time');
  }
  const chainHeader = header(request, 'x-amz-x509-chain');
  const mustSign = chainHeader ? [...REQUIRED_SIGNED, 'x-amz-x509-chain'] : REQUIRED_SIGNED;
  const missing = mustSign.filter((name) => !auth.signedHeaders.includes(name));
  if (missing.length > 0) throw denied(`Invalid signature`, `headers not signed: ${missing.join(', ')}`);
  if (auth.service !== 'rolesanywhere' || auth.region !== model.region) {
    throw denied(
      'Invalid signature',
      `credential scope ${auth.region}/${auth.service} is not ${model.region}/rolesanywhere`,
    );
  }
  if (auth.date !== amzDateText?.slice(0, 8)) throw denied('Invalid signature', 'scope date differs from X-Amz-Date');

  const x509Header = header(request, 'x-amz-x509');
  if (!x509Header) throw invalid('X-Amz-X509 header is required');
  const leaf = decodeCertificate(x509Header, 'X509 certificate');
  if (auth.serial !== hexToDecimal(leaf.serialNumber)) {
    throw denied('Invalid signature', `credential serial ${auth.serial} is not the leaf serial in decimal`);
  }
  const keyType = publicKeyType(leaf);
  if (keyType === undefined && auth.algorithm === ML_DSA_ALGORITHM && !mlDsaVerifies()) throw cannotVerifyMlDsa();
  if (!keyTypeMatches(auth.algorithm, keyType)) {
    throw denied('Invalid signature', `${auth.algorithm} does not match a ${keyType ?? 'undecodable'} key`);
  }
  if (!verifyX509Signature(request, auth, amzDateText ?? '', leaf)) {
    throw denied('Invalid signature', 'signature does not verify against the canonical request');
  }

  const body = parseBody(request);
  const query = queryParams(request.rawQuery);
  const param = (name: string) => {
    const value = query.get(name) ?? body[name];
    return typeof value === 'string' ? value : undefined;
  };
  const trustAnchorArn = param('trustAnchorArn');
  const profileArn = param('profileArn');
  const roleArn = param('roleArn');
  if (!trustAnchorArn || !profileArn || !roleArn) {
    throw invalid('trustAnchorArn, profileArn and roleArn are required');
  }
  const anchor = model.trustAnchors.find((candidate) => candidate.arn === trustAnchorArn);
  if (!anchor) throw notFound(`Trust anchor ${trustAnchorArn} not found`);
  const intermediates = chainHeader
    ? chainHeader.split(',').map((part) => decodeCertificate(part, 'X509 certificate chain'))
    : [];
  verifyTrustPath(model, anchor, leaf, intermediates, now);

  const profile = model.profiles.find((candidate) => candidate.arn === profileArn);
  if (!profile) throw notFound(`Profile ${profileArn} not found`);
  if (!profile.enabled) throw denied('Profile is disabled');
  if (!profile.roleArns.includes(roleArn)) throw denied(`Role ${roleArn} is not part of profile ${profileArn}`);

  const durationValue = body.durationSeconds ?? 3600;
  const maxDuration = Math.min(43_200, profile.maxSessionDurationSeconds);
  if (!Number.isInteger(durationValue) || (durationValue as number) < 900 || (durationValue as number) > maxDuration) {
    throw invalid(`durationSeconds must be between 900 and ${maxDuration}`);
  }
  const roleSessionName = typeof body.roleSessionName === 'string' ? body.roleSessionName : undefined;
  if (roleSessionName !== undefined && !/^[\w+=,.@-]{2,64}$/.test(roleSessionName)) {
    throw invalid('roleSessionName does not match [\\w+=,.@-]{2,64}');
  }
  const sessionName = roleSessionName ?? leaf.serialNumber.toLowerCase();
  const roleName = roleArn.split('/').pop() ?? 'role';
  const roleId = `AROA${createHash('sha256').update(roleArn).digest('hex').slice(0, 17).toUpperCase()}`;
  const commonName = leaf.subject.split('\n').find((part) => part.startsWith('CN='));
  const expiration = new Date(now.getTime() + (durationValue as number) * 1000);
  const sourceIdentity = commonName ?? `CN=${leaf.serialNumber}`;
  const issued = {
    accessKeyId: newAccessKeyId(context.random),
    secretAccessKey: newSecret(context.random),
    sessionToken: newSessionToken(context.random),
    expiration,
    assumedRoleArn: `arn:${model.partition}:sts::${model.accountId}:assumed-role/${roleName}/${sessionName}`,
    assumedRoleId: `${roleId}:${sessionName}`,
    accountId: model.accountId,
    roleArn,
    sourceIdentity,
    chained: false,
  };
  context.issued.add(issued);
  const subjectId = createHash('sha256').update(leaf.subject).digest('hex');
  return {
    status: 201,
    accountId: model.accountId,
    body: {
      credentialSet: [
        {
          assumedRoleUser: { arn: issued.assumedRoleArn, assumedRoleId: issued.assumedRoleId },
          credentials: {
            accessKeyId: issued.accessKeyId,
            expiration: expiration.toISOString().replace(/\.\d{3}Z$/, 'Z'),
            secretAccessKey: issued.secretAccessKey,
            sessionToken: issued.sessionToken,
          },
          packedPolicySize: 0,
          roleArn,
          sourceIdentity,
        },
      ],
      subjectArn: `arn:${model.partition}:rolesanywhere:${model.region}:${model.accountId}:subject/${subjectId.slice(0, 8)}-${subjectId.slice(8, 12)}-${subjectId.slice(12, 16)}-${subjectId.slice(16, 20)}-${subjectId.slice(20, 32)}`,
    },
  };
}

export { UNTRUSTED };
