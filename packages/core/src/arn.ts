/** Roles Anywhere and IAM ARNs, validated with messages that name the input and the mistake. */
import { IamraError } from './errors.js';

export type Partition = 'aws' | 'aws-cn' | 'aws-us-gov';
export type ArnKind = 'trust-anchor' | 'profile' | 'role';

export interface Arn {
  partition: Partition;
  service: string;
  region: string;
  account: string;
  resource: string;
  raw: string;
}

const PARTITIONS = new Set<string>(['aws', 'aws-cn', 'aws-us-gov']);
const REGION = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d+$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ROLE_RESOURCE = /^role\/([\x21-\x7e]+\/)?[\w+=,.@-]{1,64}$/;

const LABEL: Record<ArnKind, string> = { 'trust-anchor': 'trust anchor ARN', profile: 'profile ARN', role: 'role ARN' };
const SHAPE: Record<ArnKind, string> = {
  'trust-anchor': 'arn:aws:rolesanywhere:REGION:ACCOUNT:trust-anchor/ID',
  profile: 'arn:aws:rolesanywhere:REGION:ACCOUNT:profile/ID',
  role: 'arn:aws:iam::ACCOUNT:role/NAME',
};

export function partitionOfRegion(region: string): Partition {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

export function isValidRegion(region: string): boolean {
  return REGION.test(region);
}

export function parseArn(kind: ArnKind, value: string): Arn {
  const raw = value.trim();
  const shown = (text: string) => (text.length > 80 ? `${text.slice(0, 77)}...` : text);
  const fail = (problem: string): never => {
    throw new IamraError('ARN_INVALID', `${LABEL[kind]} must look like ${SHAPE[kind]}; ${problem}`);
  };
  if (!raw) fail('it is empty');
  const parts = raw.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') fail(`got "${shown(raw)}", which is not an ARN`);
  const [, partition = '', service = '', region = '', account = ''] = parts;
  const resource = parts.slice(5).join(':');
  if (!PARTITIONS.has(partition)) fail(`got partition '${shown(partition)}' (expected aws, aws-cn or aws-us-gov)`);
  const expectedService = kind === 'role' ? 'iam' : 'rolesanywhere';
  if (service !== expectedService) fail(`got service '${shown(service)}' instead of '${expectedService}'`);
  if (!/^\d{12}$/.test(account)) fail(`got account '${shown(account)}' (expected 12 digits)`);
  if (kind === 'role') {
    if (region !== '') fail(`IAM ARNs have no region, got '${shown(region)}'`);
    if (!ROLE_RESOURCE.test(resource)) fail(`got resource '${shown(resource)}' (expected role/NAME)`);
  } else {
    if (!REGION.test(region)) fail(`got region '${shown(region)}'`);
    if (partitionOfRegion(region) !== partition) fail(`region '${region}' is not in partition '${partition}'`);
    const [type, id = '', ...rest] = resource.split('/');
    if (type !== kind || rest.length > 0) fail(`got resource '${shown(resource)}' (expected ${kind}/ID)`);
    if (!UUID.test(id)) fail(`got id '${shown(id)}' (expected a UUID)`);
  }
  return { partition: partition as Partition, service, region, account, resource, raw };
}
