/**
 * Where the TPM is, in tpm2-tools' TCTI syntax: IAMRA_TPM_TCTI=device:/dev/tpmrm0 or
 * swtpm:host=127.0.0.1,port=2321 (or swtpm:path=/run/swtpm.sock); else TPM_DEVICE (the Go
 * helper's variable: a device or a UNIX socket); else /dev/tpmrm0, then /dev/tpm0.
 */
import { existsSync } from 'node:fs';
import { IamraError } from '../errors.js';

export const TCTI_ENV = 'IAMRA_TPM_TCTI';
/** aws_signing_helper's variable naming the TPM (go-tpm opens a device or a UNIX socket). */
export const DEVICE_ENV = 'TPM_DEVICE';
/** The key's password, off argv (--tpm-key-password is the Go helper's spelling). */
export const TPM_PASSWORD_ENV = 'IAMRA_TPM_KEY_PASSWORD';
export const DEFAULT_DEVICES = ['/dev/tpmrm0', '/dev/tpm0'] as const;

export type TctiConfig =
  | { kind: 'device'; path: string }
  | { kind: 'socket'; host: string; port: number }
  | { kind: 'socket'; path: string };

function invalid(text: string): IamraError {
  return new IamraError(
    'CONFIG_INVALID',
    `${TCTI_ENV} must be device[:PATH] or swtpm:host=HOST,port=PORT (or swtpm:path=SOCKET); got '${text}'`,
  );
}

function swtpmOptions(text: string, options: string): TctiConfig {
  const values = new Map<string, string>();
  for (const pair of options.split(',').filter(Boolean)) {
    const [name, value, ...extra] = pair.split('=');
    if (!name || value === undefined || extra.length) throw invalid(text);
    values.set(name.trim(), value.trim());
  }
  const path = values.get('path');
  if (path) return { kind: 'socket', path };
  const port = Number(values.get('port') ?? '2321');
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw invalid(text);
  return { kind: 'socket', host: values.get('host') ?? 'localhost', port };
}

export function parseTcti(text: string): TctiConfig {
  const colon = text.indexOf(':');
  const name = (colon < 0 ? text : text.slice(0, colon)).trim();
  const options = colon < 0 ? '' : text.slice(colon + 1).trim();
  if (name === 'device') return { kind: 'device', path: options || DEFAULT_DEVICES[0] };
  if (name === 'swtpm') return swtpmOptions(text, options);
  if (name === 'mssim') {
    throw new IamraError(
      'CONFIG_INVALID',
      `${TCTI_ENV}: the mssim protocol is not supported; run swtpm (swtpm:host=…,port=…) or use the TPM device`,
    );
  }
  throw invalid(text);
}

export function describeTcti(config: TctiConfig): string {
  if (config.kind === 'device') return config.path;
  return 'path' in config ? `swtpm:path=${config.path}` : `swtpm:host=${config.host},port=${config.port}`;
}

/** The configured TPM; `exists` is injected so tests can pretend a device is (not) there. */
export function resolveTcti(env: NodeJS.ProcessEnv, exists: (path: string) => boolean = existsSync): TctiConfig {
  const tcti = env[TCTI_ENV]?.trim();
  if (tcti) return parseTcti(tcti);
  const device = env[DEVICE_ENV]?.trim();
  if (device) return { kind: 'device', path: device };
  const found = DEFAULT_DEVICES.find((path) => exists(path));
  if (found) return { kind: 'device', path: found };
  throw new IamraError(
    'TPM_UNAVAILABLE',
    `no TPM found (${DEFAULT_DEVICES.join(', ')} do not exist); enable the TPM, or point ${TCTI_ENV} at one (device:PATH or swtpm:host=…,port=…)`,
  );
}
