/**
 * An "IAM Roles Anywhere" service connection (endpoint type iamra-rolesanywhere): the
 * certificate, private key and passphrase as its authorization parameters (confidential, masked
 * by the agent and by ./agent/mask-first.js), the ARNs and region as its data parameters. The
 * agent hands a step ENDPOINT_AUTH_<id> (JSON), ENDPOINT_AUTH_PARAMETER_<id>_<NAME> and
 * ENDPOINT_DATA_<id>_<NAME>; task-lib reads them.
 */
import { IamraError } from '@iamra/core';

export const CONNECTION_TYPE = 'iamra-rolesanywhere';

export interface ConnectionValues {
  certificate: string;
  privateKey: string;
  passphrase: string | undefined;
  trustAnchorArn: string;
  profileArn: string;
  roleArn: string;
  region: string | undefined;
}

/** A connection's parameter by name, wherever the agent put it (authorization or data). */
export type ConnectionReader = (name: keyof ConnectionValues) => string | undefined;

const FIELDS: Record<keyof ConnectionValues, string> = {
  certificate: 'Certificate',
  privateKey: 'Private key',
  passphrase: 'Private key passphrase',
  trustAnchorArn: 'Trust anchor ARN',
  profileArn: 'Profile ARN',
  roleArn: 'Role ARN',
  region: 'Region',
};

/** Text fields pasted into the connection's form: surrounding blanks and Windows line ends dropped. */
function field(read: ConnectionReader, name: keyof ConnectionValues): string | undefined {
  return read(name)?.replace(/\r\n/g, '\n').trim() || undefined;
}

export function readConnection(id: string, read: ConnectionReader): ConnectionValues {
  const required = (name: keyof ConnectionValues): string => {
    const text = field(read, name);
    if (!text) {
      throw new IamraError(
        'CONFIG_INVALID',
        `the service connection ${id} (input rolesAnywhereConnection) has no ${FIELDS[name]}; edit the connection in Project settings > Service connections, or check that this pipeline may use it`,
      );
    }
    return text;
  };
  return {
    certificate: required('certificate'),
    privateKey: required('privateKey'),
    passphrase: read('passphrase') || undefined,
    trustAnchorArn: required('trustAnchorArn'),
    profileArn: required('profileArn'),
    roleArn: required('roleArn'),
    region: field(read, 'region'),
  };
}
