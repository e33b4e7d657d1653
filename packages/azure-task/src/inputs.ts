/** Task inputs into a typed configuration: a service connection, or secure files or paths and ARNs; mode. */
import { statSync } from 'node:fs';
import {
  type ChainInputNames,
  type ChainInputs,
  IamraError,
  type ProfileToken,
  parseAllowedAccountIds,
  parseDuration,
  readChainInputs,
  resolveSessionParameters,
  type SessionParametersInput,
  sessionEndpoint,
  validateEndpoint,
  validateProfileName,
} from '@iamra/core';
import { SECRET_INPUTS } from './agent/secrets-first.js';
import { type ConnectionReader, type ConnectionValues, readConnection } from './connection.js';
import { readTokenInputs, refuseUriInFileInput, TOKEN_URI_INPUTS } from './token-inputs.js';

export { SECRET_INPUTS };

export type OutputMode = 'credentialProcess' | 'environment' | 'both';

export interface TaskInputs {
  /** The service connection's key material, when rolesAnywhereConnection is given. */
  connection?: Pick<ConnectionValues, 'certificate' | 'privateKey' | 'passphrase'>;
  /** For each material kind: a secure file id or a path (never both); empty with a connection. */
  files: Record<MaterialKind, { secureFileId?: string; path?: string }>;
  /** The key (and maybe the certificate) on a PKCS#11 token, instead of key files. */
  token: ProfileToken | undefined;
  privateKeyPassphrase: string | undefined;
  pkcs12Password: string | undefined;
  session: SessionParametersInput;
  /** awsRegion: only the region exported for later steps; CreateSession goes to the trust anchor's. */
  awsRegion: string | undefined;
  endpoint: string | undefined;
  outputMode: OutputMode;
  profileName: string;
  /** Roles to assume after CreateSession (assumeRoleArn lines, or the AWS Toolkit's variables). */
  chain: ChainInputs;
  /** allowedAccountIds: the final role's account must be one of these before anything is exported. */
  allowedAccountIds: string[] | undefined;
}

export type MaterialKind = 'certificate' | 'privateKey' | 'certificateChain' | 'pkcs12';
export const MATERIAL_KINDS: MaterialKind[] = ['certificate', 'privateKey', 'certificateChain', 'pkcs12'];

export type InputReader = (name: string) => string | undefined;

const UNEXPANDED = /\$\(([^)]+)\)/;

function value(read: InputReader, name: string): string | undefined {
  const text = read(name)?.trim();
  if (!text) return undefined;
  const unexpanded = UNEXPANDED.exec(text);
  if (unexpanded) {
    throw new IamraError(
      'CONFIG_INVALID',
      `input ${name} is '${text}': the variable ${unexpanded[1]} is not defined here; add it to this stage's variable group or variables`,
    );
  }
  return text;
}

function required(read: InputReader, name: string): string {
  const text = value(read, name);
  if (!text) throw new IamraError('CONFIG_INVALID', `input ${name} is required`);
  return text;
}

/** An empty filePath input arrives as the sources directory: a directory means "not set". */
function filePath(read: InputReader, name: string): string | undefined {
  const path = value(read, name);
  if (!path) return undefined;
  try {
    if (statSync(path).isDirectory()) return undefined;
  } catch {
    // A missing file is reported when it is read, with its path.
  }
  return path;
}

type Source = Pick<TaskInputs, 'connection' | 'files' | 'privateKeyPassphrase' | 'pkcs12Password'> & {
  arns: Pick<SessionParametersInput, 'trustAnchorArn' | 'profileArn' | 'roleArn'>;
  region: string | undefined;
};

/** Inputs a service connection replaces: naming one of them beside it is a mistake, said so. */
const REPLACED_BY_CONNECTION = [
  ...MATERIAL_KINDS.flatMap((kind) => [`${kind}SecureFile`, `${kind}File`]),
  'privateKeyPassphrase',
  'pkcs12Password',
  'trustAnchorArn',
  'profileArn',
  'roleArn',
  TOKEN_URI_INPUTS.certificate,
  TOKEN_URI_INPUTS.privateKey,
];

function connectionSource(read: InputReader, id: string, readParameter: ConnectionReader): Source {
  const extra = REPLACED_BY_CONNECTION.filter((name) =>
    name.endsWith('File') && !name.endsWith('SecureFile') ? filePath(read, name) : value(read, name),
  );
  if (extra.length) {
    throw new IamraError(
      'CONFIG_INVALID',
      `input rolesAnywhereConnection replaces ${extra.join(', ')}: give the connection alone`,
    );
  }
  const connection = readConnection(id, readParameter);
  const files = Object.fromEntries(MATERIAL_KINDS.map((kind) => [kind, {}])) as TaskInputs['files'];
  return {
    connection,
    files,
    privateKeyPassphrase: connection.passphrase,
    pkcs12Password: undefined,
    arns: { trustAnchorArn: connection.trustAnchorArn, profileArn: connection.profileArn, roleArn: connection.roleArn },
    region: connection.region,
  };
}

function fileSource(read: InputReader, token: ProfileToken | undefined): Source {
  const files = {} as TaskInputs['files'];
  for (const kind of MATERIAL_KINDS) {
    const secureFileId = value(read, `${kind}SecureFile`);
    const path = filePath(read, `${kind}File`);
    if (kind === 'certificate' || kind === 'privateKey') {
      refuseUriInFileInput(`${kind}File`, path, TOKEN_URI_INPUTS[kind]);
    }
    if (secureFileId && path) {
      throw new IamraError('CONFIG_INVALID', `give either ${kind}SecureFile or ${kind}File, not both`);
    }
    files[kind] = { ...(secureFileId ? { secureFileId } : {}), ...(path ? { path } : {}) };
  }
  const has = (kind: MaterialKind) => Boolean(files[kind].secureFileId ?? files[kind].path);
  if (token && has('pkcs12')) {
    throw new IamraError('CONFIG_INVALID', 'give either a key on a token (pkcs11 inputs) or a PKCS#12 file, not both');
  }
  if (!has('certificate') && !has('pkcs12') && !token?.certificate) {
    throw new IamraError(
      'CONFIG_INVALID',
      'give the certificate (certificateSecureFile, certificateFile or pkcs11Certificate) or a PKCS#12 file (pkcs12SecureFile or pkcs12File)',
    );
  }
  if (has('certificate') && !has('privateKey') && !has('pkcs12') && !token?.privateKey) {
    throw new IamraError(
      'CONFIG_INVALID',
      'give the private key (privateKeySecureFile, privateKeyFile or pkcs11PrivateKey) with the certificate',
    );
  }
  return {
    files,
    privateKeyPassphrase: read('privateKeyPassphrase') || undefined,
    pkcs12Password: read('pkcs12Password') || undefined,
    arns: {
      trustAnchorArn: required(read, 'trustAnchorArn'),
      profileArn: required(read, 'profileArn'),
      roleArn: required(read, 'roleArn'),
    },
    region: undefined,
  };
}

const TASK_CHAIN_INPUTS: ChainInputNames = {
  roleArn: 'assumeRoleArn',
  externalId: 'assumeRoleExternalId',
  sessionName: 'assumeRoleSessionName',
  durationSeconds: 'assumeRoleDurationSeconds',
  inlineSessionPolicy: 'inlineSessionPolicy',
  managedSessionPolicies: 'managedSessionPolicies',
  tags: 'assumeRoleTags',
  transitiveTagKeys: 'assumeRoleTransitiveTagKeys',
  stsEndpoint: 'stsEndpoint',
};

/** The AWS Toolkit for Azure DevOps' pipeline variables, honoured when the matching input is empty. */
const TOOLKIT_VARIABLES: Record<string, string> = {
  assumeRoleArn: 'AWS.AssumeRoleArn',
  assumeRoleExternalId: 'AWS.ExternalId',
  assumeRoleSessionName: 'AWS.RoleSessionName',
};

function chainInputs(read: InputReader, readVariable: InputReader): ChainInputs {
  return readChainInputs((name) => {
    const variable = TOOLKIT_VARIABLES[name];
    return value(read, name) ?? (variable ? value(readVariable, variable) : undefined) ?? '';
  }, TASK_CHAIN_INPUTS);
}

/** readParameter: the connection's parameters (only read when rolesAnywhereConnection is given). */
export function readTaskInputs(
  read: InputReader,
  readParameter: (id: string) => ConnectionReader = () => () => undefined,
  readVariable: InputReader = () => undefined,
  env: NodeJS.ProcessEnv = {},
): TaskInputs {
  const connectionId = value(read, 'rolesAnywhereConnection');
  const token = connectionId ? undefined : readTokenInputs((name) => value(read, name), env);
  const source = connectionId
    ? connectionSource(read, connectionId, readParameter(connectionId))
    : fileSource(read, token);
  const mode = value(read, 'outputMode') ?? 'credentialProcess';
  if (mode !== 'credentialProcess' && mode !== 'environment' && mode !== 'both') {
    throw new IamraError(
      'CONFIG_INVALID',
      `input outputMode must be credentialProcess, environment or both; got '${mode}'`,
    );
  }
  const duration = parseDuration(value(read, 'sessionDuration'));
  const sessionName = value(read, 'roleSessionName');
  const endpoint = value(read, 'endpoint');
  const session = {
    ...source.arns,
    ...(duration !== undefined ? { durationSeconds: duration } : {}),
    ...(sessionName ? { roleSessionName: sessionName } : {}),
  };
  // FIPS as a resolved URL: the profile's refreshes and its cache key then use the same endpoint.
  const fips = value(read, 'useFipsEndpoint')?.toLowerCase() === 'true';
  return {
    ...(source.connection ? { connection: source.connection } : {}),
    files: source.files,
    token,
    privateKeyPassphrase: source.privateKeyPassphrase,
    pkcs12Password: source.pkcs12Password,
    session,
    endpoint: endpoint
      ? validateEndpoint(endpoint)
      : fips
        ? sessionEndpoint(resolveSessionParameters(session), undefined, true)
        : undefined,
    // The region later steps get; the input is the more specific setting and wins over the connection's.
    awsRegion: value(read, 'awsRegion') ?? source.region,
    outputMode: mode,
    // Checked in every mode: the name is also part of the summary's file name.
    profileName: validateProfileName(value(read, 'profileName') ?? 'default'),
    chain: chainInputs(read, readVariable),
    allowedAccountIds: parseAllowedAccountIds(value(read, 'allowedAccountIds')),
  };
}
