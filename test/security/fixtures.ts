/** Shared by the security tests: ARNs for a hostile endpoint, and the CLI flags that use them. */
import type { IssuedCert } from '../support/pki.js';
import { leafFlags } from '../support/pki.js';

export const ACCOUNT = '123456789012';
export const TRUST_ANCHOR_ARN = `arn:aws:rolesanywhere:us-east-1:${ACCOUNT}:trust-anchor/0c5a2b1e-7f4f-4c3b-9d6e-1a2b3c4d5e6f`;
export const PROFILE_ARN = `arn:aws:rolesanywhere:us-east-1:${ACCOUNT}:profile/9f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0`;
export const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/deploy`;
export const ASSUMED_ROLE_ARN = `arn:aws:sts::${ACCOUNT}:assumed-role/deploy/session`;

/** credential-process flags for `leaf` against `endpoint`, one attempt unless told otherwise. */
export function hostileFlags(leaf: IssuedCert, intermediate: IssuedCert, endpoint: string, attempts = 1): string[] {
  return [
    'credential-process',
    ...leafFlags(leaf, intermediate),
    '--trust-anchor-arn',
    TRUST_ANCHOR_ARN,
    '--profile-arn',
    PROFILE_ARN,
    '--role-arn',
    ROLE_ARN,
    '--endpoint',
    endpoint,
    '--no-cache',
    '--retry-max-attempts',
    String(attempts),
  ];
}

/** A CreateSession answer with these credentials and assumed-role ARN. */
export function credentialSetBody(assumedRoleArn: string, expiration: Date, sourceIdentity = 'CN=ci'): string {
  return JSON.stringify({
    credentialSet: [
      {
        assumedRoleUser: { arn: assumedRoleArn, assumedRoleId: 'AROAEXAMPLE:session' },
        credentials: {
          accessKeyId: 'ASIAEXAMPLEEXAMPLE01',
          secretAccessKey: 'secret/EXAMPLE+secret/EXAMPLE+secret0001',
          sessionToken: 'token-EXAMPLE-token',
          expiration: expiration.toISOString(),
        },
        packedPolicySize: 0,
        roleArn: ROLE_ARN,
        sourceIdentity,
      },
    ],
    subjectArn: `arn:aws:rolesanywhere:us-east-1:${ACCOUNT}:subject/00000000-0000-0000-0000-000000000000`,
  });
}
