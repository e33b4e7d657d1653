/** Where CreateSession goes: the partition's regional endpoint, FIPS, or a custom URL. */
import type { Partition } from '../arn.js';
import { IamraError } from '../errors.js';
import type { SessionParameters } from '../parameters.js';

const SUFFIX: Record<Partition, string> = {
  aws: 'amazonaws.com',
  'aws-cn': 'amazonaws.com.cn',
  'aws-us-gov': 'amazonaws.com',
};

export function endpointFor(partition: Partition, region: string, fips = false): string {
  return `https://rolesanywhere${fips ? '-fips' : ''}.${region}.${SUFFIX[partition]}`;
}

export function validateEndpoint(value: string): string {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw new IamraError(
      'ENDPOINT_INVALID',
      `endpoint '${value}' is not a URL; give e.g. https://rolesanywhere.us-east-1.amazonaws.com`,
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new IamraError('ENDPOINT_INVALID', `endpoint '${value}' must use https:// (or http:// for a local emulator)`);
  }
  if (url.search || url.hash || url.username) {
    throw new IamraError('ENDPOINT_INVALID', `endpoint '${value}' must not carry credentials, a query or a fragment`);
  }
  return url.href.replace(/\/+$/, '');
}

/** The URL a session's CreateSession goes to: the custom endpoint if given, else the regional one. */
export function sessionEndpoint(
  params: Pick<SessionParameters, 'partition' | 'region'>,
  endpoint?: string,
  fips = false,
): string {
  return endpoint ? validateEndpoint(endpoint) : endpointFor(params.partition, params.region, fips);
}
