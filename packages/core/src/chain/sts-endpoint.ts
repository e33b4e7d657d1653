/**
 * Where AssumeRole goes, by AWS's conventions: an explicit override, else AWS_ENDPOINT_URL_STS,
 * else AWS_ENDPOINT_URL (both skipped when AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true), else the
 * regional endpoint of the session's partition (sts-fips in FIPS mode).
 */
import type { Partition } from '../arn.js';
import { validateEndpoint } from '../client/endpoint.js';

const SUFFIX: Record<Partition, string> = {
  aws: 'amazonaws.com',
  'aws-cn': 'amazonaws.com.cn',
  'aws-us-gov': 'amazonaws.com',
};

export function stsEndpointFor(partition: Partition, region: string, fips = false): string {
  return `https://sts${fips ? '-fips' : ''}.${region}.${SUFFIX[partition]}`;
}

/** The configured STS endpoint (validated), or undefined for the regional one. */
export function configuredStsEndpoint(explicit: string | undefined, env: NodeJS.ProcessEnv): string | undefined {
  if (explicit?.trim()) return validateEndpoint(explicit);
  if (/^true$/i.test(env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS ?? '')) return undefined;
  const fromEnv = env.AWS_ENDPOINT_URL_STS?.trim() || env.AWS_ENDPOINT_URL?.trim();
  return fromEnv ? validateEndpoint(fromEnv) : undefined;
}

export function stsEndpoint(
  session: { partition: Partition; region: string },
  configured: string | undefined,
  fips = false,
): string {
  return configured ?? stsEndpointFor(session.partition, session.region, fips);
}
