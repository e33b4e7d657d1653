/** action.yml inputs into a typed configuration, with errors that name the input. */
import { readFileSync } from 'node:fs';
import {
  IamraError,
  isPkcs11Uri,
  type MaterialInput,
  type ProfileToken,
  parseAllowedAccountIds,
  parseDuration,
  parseProxyUrl,
  resolveSessionParameters,
  type SessionParametersInput,
  type Source,
  sessionEndpoint,
  sourceFromInput,
  validateEndpoint,
} from '@iamra/core';
import { booleanInput } from './boolean-input.js';
import { type ChainInputs, readChainInputs } from './chain-inputs.js';
import type { Runner } from './runner/commands.js';
import { readTokenInputs, tokenSecrets } from './token-inputs.js';

export { booleanInput };

export interface ActionConfig {
  /** What comes from inputs and files; with a token, only the certificate (if a file) and the chain. */
  material: MaterialInput;
  /** The key (and maybe the certificate) on a PKCS#11 token. */
  token: ProfileToken | undefined;
  session: SessionParametersInput;
  /** aws-region: only what later steps get; CreateSession goes to rolesanywhere-region or the anchor's. */
  awsRegion: string | undefined;
  endpoint: string | undefined;
  profileName: string | undefined;
  /** output-env-credentials as given (undefined: the mode's default; see later-steps.ts). */
  outputEnvCredentials: boolean | undefined;
  outputCredentials: boolean;
  maskAccountId: boolean;
  unsetCurrentCredentials: boolean;
  retryMaxAttempts: number | undefined;
  /** allowed-account-ids: refused before any request (and any export) when the role's account is not listed. */
  allowedAccountIds: string[] | undefined;
  httpProxy: string | undefined;
  /** no-proxy: hosts that bypass the proxy (comma-separated), in place of NO_PROXY. */
  noProxy: string | undefined;
  /** Secret inputs, masked before anything else happens. */
  secrets: string[];
  /** Roles to assume after CreateSession, and the guard on the final account. */
  chain: ChainInputs;
}

/**
 * no-proxy as NO_PROXY lists hosts (names, .suffixes, *.suffixes, IPs, host:port, *), commas or
 * whitespace between them; written back with commas, as it goes on the profile's command line.
 */
function noProxyInput(text: string): string | undefined {
  const hosts = text.split(/[\s,]+/).filter(Boolean);
  if (hosts.length === 0) return undefined;
  const bad = hosts.find((host) => !/^[A-Za-z0-9*._:[\]-]{1,255}$/.test(host));
  if (bad !== undefined) {
    throw new IamraError(
      'CONFIG_INVALID',
      `input no-proxy lists host names, domains (.example.com), IP addresses, host:port or *, separated by commas; '${bad}' is none of these`,
    );
  }
  return hosts.join(',');
}

/** The password in an http-proxy URL, as written and decoded (either form could be printed). */
function proxyPasswords(value: string): string[] {
  try {
    const { password } = parseProxyUrl(value);
    return password ? [password, decodeURIComponent(password)] : [];
  } catch {
    return [];
  }
}

/** A pkcs11: URI is not secret (it names the key); its pin-value is, and is in tokenSecrets. */
export function secretInputs(runner: Runner, env: NodeJS.ProcessEnv = {}): string[] {
  const privateKey = runner.input('private-key');
  return [
    isPkcs11Uri(privateKey) ? '' : privateKey,
    ...['private-key-passphrase', 'pkcs12', 'pkcs12-password'].map((name) => runner.input(name)),
    ...proxyPasswords(runner.input('http-proxy')),
    ...tokenSecrets(runner, env),
  ].filter(Boolean);
}

export function readActionConfig(runner: Runner, env: NodeJS.ProcessEnv = {}): ActionConfig {
  const token = readTokenInputs(runner, env);
  const read = (name: string, what: string): Source | undefined => {
    const value = runner.input(name);
    return value && !isPkcs11Uri(value) ? sourceFromInput(value, readFileSync, what) : undefined;
  };
  const certificate = read('certificate', 'certificate');
  const privateKey = read('private-key', 'private key');
  const chain = read('certificate-chain', 'certificate chain');
  const pkcs12Input = runner.input('pkcs12');
  const pkcs12 = pkcs12Input
    ? /^[A-Za-z0-9+/=\s]+$/.test(pkcs12Input) && pkcs12Input.length > 64
      ? Buffer.from(pkcs12Input.replace(/\s+/g, ''), 'base64')
      : sourceFromInput(pkcs12Input, readFileSync, 'PKCS#12 file')
    : undefined;
  if (!certificate && !pkcs12 && !token?.certificate) {
    throw new IamraError(
      'CONFIG_INVALID',
      'give the certificate input (PEM, base64 DER, a path or a pkcs11: URI) or the pkcs12 input',
    );
  }
  const passphrase = runner.input('private-key-passphrase');
  const password = runner.input('pkcs12-password');
  const material: MaterialInput = {
    ...(certificate !== undefined ? { certificate } : {}),
    ...(privateKey !== undefined ? { privateKey } : {}),
    ...(chain !== undefined ? { intermediates: [chain] } : {}),
    ...(pkcs12 !== undefined ? { pkcs12 } : {}),
    ...(passphrase ? { privateKeyPassphrase: passphrase } : {}),
    ...(password ? { pkcs12Password: password } : {}),
  };
  const duration = parseDuration(runner.input('role-duration-seconds') || undefined);
  const region = runner.input('rolesanywhere-region');
  const sessionName = runner.input('role-session-name');
  const retryText = runner.input('retry-max-attempts');
  if (retryText && (!/^\d+$/.test(retryText) || Number(retryText) < 1 || Number(retryText) > 20)) {
    throw new IamraError(
      'CONFIG_INVALID',
      `input retry-max-attempts must be a whole number from 1 to 20; got '${retryText}'`,
    );
  }
  const endpointText = runner.input('rolesanywhere-endpoint');
  const profileName = runner.input('aws-profile');
  const session = {
    trustAnchorArn: runner.input('trust-anchor-arn', { required: true }),
    profileArn: runner.input('profile-arn', { required: true }),
    roleArn: runner.input('role-arn', { required: true }),
    ...(region ? { region } : {}),
    ...(duration !== undefined ? { durationSeconds: duration } : {}),
    ...(sessionName ? { roleSessionName: sessionName } : {}),
  };
  // FIPS as a resolved URL: the profile's refreshes and its cache key then use the same endpoint.
  const fips = booleanInput(runner, 'use-fips-endpoint', false);
  return {
    material,
    token,
    session,
    endpoint: endpointText
      ? validateEndpoint(endpointText)
      : fips
        ? sessionEndpoint(resolveSessionParameters(session), undefined, true)
        : undefined,
    awsRegion: runner.input('aws-region') || undefined,
    profileName: profileName || undefined,
    outputEnvCredentials: booleanInput(runner, 'output-env-credentials', undefined),
    outputCredentials: booleanInput(runner, 'output-credentials', false),
    maskAccountId: booleanInput(runner, 'mask-aws-account-id', false),
    unsetCurrentCredentials: booleanInput(runner, 'unset-current-credentials', false),
    // disable-retry (configure-aws-credentials): one attempt, whatever retry-max-attempts says.
    retryMaxAttempts: booleanInput(runner, 'disable-retry', false) ? 1 : retryText ? Number(retryText) : undefined,
    allowedAccountIds: parseAllowedAccountIds(runner.input('allowed-account-ids')),
    httpProxy: runner.input('http-proxy') || undefined,
    noProxy: noProxyInput(runner.input('no-proxy')),
    secrets: secretInputs(runner, env),
    chain: readChainInputs(runner),
  };
}
