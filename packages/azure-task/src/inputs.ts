/** Task inputs into a typed configuration: secure files or paths, ARNs, mode. */
import { statSync } from 'node:fs';
import {
  IamraError,
  parseDuration,
  type SessionParametersInput,
  validateEndpoint,
  validateProfileName,
} from '@iamra/core';
import { SECRET_INPUTS } from './agent/secrets-first.js';

export { SECRET_INPUTS };

export type OutputMode = 'credentialProcess' | 'environment' | 'both';

export interface TaskInputs {
  /** For each material kind: a secure file id or a path (never both). */
  files: Record<MaterialKind, { secureFileId?: string; path?: string }>;
  privateKeyPassphrase: string | undefined;
  pkcs12Password: string | undefined;
  session: SessionParametersInput;
  endpoint: string | undefined;
  outputMode: OutputMode;
  profileName: string;
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

export function readTaskInputs(read: InputReader): TaskInputs {
  const files = {} as TaskInputs['files'];
  for (const kind of MATERIAL_KINDS) {
    const secureFileId = value(read, `${kind}SecureFile`);
    const path = filePath(read, `${kind}File`);
    if (secureFileId && path) {
      throw new IamraError('CONFIG_INVALID', `give either ${kind}SecureFile or ${kind}File, not both`);
    }
    files[kind] = { ...(secureFileId ? { secureFileId } : {}), ...(path ? { path } : {}) };
  }
  const has = (kind: MaterialKind) => Boolean(files[kind].secureFileId ?? files[kind].path);
  if (!has('certificate') && !has('pkcs12')) {
    throw new IamraError(
      'CONFIG_INVALID',
      'give the certificate (certificateSecureFile or certificateFile) or a PKCS#12 file (pkcs12SecureFile or pkcs12File)',
    );
  }
  if (has('certificate') && !has('privateKey') && !has('pkcs12')) {
    throw new IamraError(
      'CONFIG_INVALID',
      'give the private key (privateKeySecureFile or privateKeyFile) with the certificate',
    );
  }
  const mode = value(read, 'outputMode') ?? 'credentialProcess';
  if (mode !== 'credentialProcess' && mode !== 'environment' && mode !== 'both') {
    throw new IamraError(
      'CONFIG_INVALID',
      `input outputMode must be credentialProcess, environment or both; got '${mode}'`,
    );
  }
  const duration = parseDuration(value(read, 'sessionDuration'));
  const region = value(read, 'awsRegion');
  const sessionName = value(read, 'roleSessionName');
  const endpoint = value(read, 'endpoint');
  return {
    files,
    privateKeyPassphrase: read('privateKeyPassphrase') || undefined,
    pkcs12Password: read('pkcs12Password') || undefined,
    session: {
      trustAnchorArn: required(read, 'trustAnchorArn'),
      profileArn: required(read, 'profileArn'),
      roleArn: required(read, 'roleArn'),
      ...(region ? { region } : {}),
      ...(duration !== undefined ? { durationSeconds: duration } : {}),
      ...(sessionName ? { roleSessionName: sessionName } : {}),
    },
    endpoint: endpoint ? validateEndpoint(endpoint) : undefined,
    outputMode: mode,
    // Checked in every mode: the name is also part of the summary's file name.
    profileName: validateProfileName(value(read, 'profileName') ?? 'default'),
  };
}
