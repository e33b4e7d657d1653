/**
 * What a later step's SDK v3 sees: the caller account through `fromIni` for a profile of the
 * config files named in `env` (fromIni runs a credential_process line through /bin/sh).
 */
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { fromIni } from '@aws-sdk/credential-providers';
import { withProcessEnv } from './process-env.js';

export async function sdkV3AccountThroughProfile(
  env: Record<string, string | undefined>,
  profile: string,
  stsEndpoint: string,
): Promise<string | undefined> {
  const files = { AWS_CONFIG_FILE: env.AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE: env.AWS_SHARED_CREDENTIALS_FILE };
  return withProcessEnv(files, async () => {
    const client = new STSClient({
      region: 'us-east-1',
      endpoint: stsEndpoint,
      credentials: fromIni({ profile, ignoreCache: true }),
    });
    return (await client.send(new GetCallerIdentityCommand({}))).Account;
  });
}
