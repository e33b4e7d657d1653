/** Builds the model from a config file's JSON or from the simple flags (--ca, --role-arn, --crl). */
import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { parseCrl } from './crl.js';
import { type AssumableRole, type EmulatorModel, partitionOf, splitPemCertificates, stableUuid } from './model.js';

export const DEMO_ACCOUNT = '123456789012';
export const DEMO_REGION = 'us-east-1';
export const DEMO_ROLE_NAME = 'iamra-demo';

export interface SimpleModelOptions {
  /** PEM bundles, one trust anchor each. */
  cas: string[];
  roleArns?: string[];
  /** PEM or DER CRLs. */
  crls?: (string | Buffer)[];
  maxSessionDurationSeconds?: number;
  accountId?: string;
  region?: string;
  roles?: RoleConfig[];
}

export interface ConfigFile {
  accountId?: string;
  region?: string;
  trustAnchors: { name?: string; caBundle?: string; caPem?: string; enabled?: boolean }[];
  profiles?: { name?: string; roleArns?: string[]; maxSessionDurationSeconds?: number; enabled?: boolean }[];
  crls?: string[];
  /** Roles STS AssumeRole may assume, each with its trust policy (see AssumableRole). */
  roles?: RoleConfig[];
}

export interface RoleConfig {
  arn: string;
  trustedPrincipals?: string[];
  externalId?: string;
  allowTagSession?: boolean;
  maxSessionDurationSeconds?: number;
}

const ROLE_ARN = /^arn:(aws|aws-cn|aws-us-gov):iam::\d{12}:role\/[\x21-\x7e]{1,512}$/;

export function buildRoles(roles: RoleConfig[] | undefined): AssumableRole[] {
  return (roles ?? []).map((role, index) => {
    if (!ROLE_ARN.test(role.arn ?? '')) throw new Error(`roles[${index}].arn is not a role ARN`);
    return {
      arn: role.arn,
      trustedPrincipals: role.trustedPrincipals ?? [],
      externalId: role.externalId,
      allowTagSession: role.allowTagSession ?? false,
      maxSessionDurationSeconds: role.maxSessionDurationSeconds ?? 3600,
    };
  });
}

function arnPrefix(partition: string, region: string, account: string): string {
  return `arn:${partition}:rolesanywhere:${region}:${account}`;
}

export function buildModelFromConfig(config: ConfigFile, baseDir = process.cwd()): EmulatorModel {
  const accountId = config.accountId ?? DEMO_ACCOUNT;
  const region = config.region ?? DEMO_REGION;
  const partition = partitionOf(region);
  const read = (path: string) => readFileSync(isAbsolute(path) ? path : resolve(baseDir, path));
  if (!Array.isArray(config.trustAnchors) || config.trustAnchors.length === 0) {
    throw new Error('config needs at least one trust anchor with caBundle or caPem');
  }
  const trustAnchors = config.trustAnchors.map((anchor, index) => {
    const pem = anchor.caPem ?? (anchor.caBundle ? read(anchor.caBundle).toString('utf8') : '');
    const certificates = splitPemCertificates(pem);
    if (certificates.length === 0) throw new Error(`trust anchor ${index + 1} has no CA certificate`);
    const seed = certificates.map((c) => c.fingerprint256).join(',');
    return {
      arn: `${arnPrefix(partition, region, accountId)}:trust-anchor/${stableUuid(`anchor:${seed}`)}`,
      name: anchor.name ?? `trust-anchor-${index + 1}`,
      enabled: anchor.enabled ?? true,
      certificates,
    };
  });
  const profiles = (config.profiles?.length ? config.profiles : [{}]).map((profile, index) => {
    const roleArns = profile.roleArns?.length
      ? profile.roleArns
      : [`arn:${partition}:iam::${accountId}:role/${DEMO_ROLE_NAME}`];
    const name = profile.name ?? `profile-${index + 1}`;
    return {
      arn: `${arnPrefix(partition, region, accountId)}:profile/${stableUuid(`profile:${name}:${roleArns.join(',')}`)}`,
      name,
      enabled: profile.enabled ?? true,
      roleArns,
      maxSessionDurationSeconds: profile.maxSessionDurationSeconds ?? 3600,
    };
  });
  const crls = (config.crls ?? []).map((path) => parseCrl(read(path)));
  return { accountId, region, partition, trustAnchors, profiles, crls, roles: buildRoles(config.roles) };
}

export function buildSimpleModel(options: SimpleModelOptions): EmulatorModel {
  const model = buildModelFromConfig({
    ...(options.accountId ? { accountId: options.accountId } : {}),
    ...(options.region ? { region: options.region } : {}),
    ...(options.roles ? { roles: options.roles } : {}),
    trustAnchors: options.cas.map((caPem, index) => ({ caPem, name: `ca-${index + 1}` })),
    profiles: [
      {
        name: 'default',
        ...(options.roleArns?.length ? { roleArns: options.roleArns } : {}),
        ...(options.maxSessionDurationSeconds ? { maxSessionDurationSeconds: options.maxSessionDurationSeconds } : {}),
      },
    ],
  });
  return { ...model, crls: (options.crls ?? []).map((crl) => parseCrl(crl)) };
}
