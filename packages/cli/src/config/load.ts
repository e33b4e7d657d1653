/** Flags, environment and stdin into one typed configuration for the credential commands. */
import { readFileSync } from 'node:fs';
import {
  checkAllowedAccount,
  configuredStsEndpoint,
  endpointFor,
  expectedAccount,
  IamraError,
  type IdentityInput,
  type MaterialInput,
  parseAllowedAccountIds,
  parseDuration,
  parseProxyUrl,
  type RoleChain,
  readFileOrFail,
  resolveRoleChain,
  resolveSessionParameters,
  type SessionParameters,
  type Source,
  sessionIdentity,
  tlsIdentity,
  validateEndpoint,
} from '@iamra/core/light';
import { first, type ParsedFlags } from '../args.js';
import type { CliIo } from '../io.js';
import { chainInputs } from './chain-flags.js';
import { isPkcs12Der, withDefaultScheme } from './go-readings.js';
import { type HardwareConfig, hardwareConfig, tokenCertificateIdentity, tokenKeyIdentity } from './hardware.js';
import { readStdin } from './stdin.js';
import { isTpmHandle, type TpmConfig, tpmConfig, tpmKeyIdentity } from './tpm.js';

/** Refresh this long before expiry: the Go helper's `update` margin, and what SDKs expect. */
export const DEFAULT_REFRESH_SECONDS = 300;
const MAX_REFRESH_SECONDS = 43_200;

export interface HelperConfig {
  material: MaterialInput;
  /** A certificate or key on a PKCS#11 token, opened only when a signature is needed. */
  hardware: HardwareConfig | undefined;
  /** A key in the TPM (handle or TSS2 key file), opened only when a signature is needed. */
  tpm: TpmConfig | undefined;
  params: SessionParameters;
  endpoint: string | undefined;
  arnsIn: 'query' | 'body';
  retryMaxAttempts: number | undefined;
  timeoutMs: number | undefined;
  /** 'env' (HTTPS_PROXY/HTTP_PROXY/NO_PROXY), 'none', or a proxy URL from --proxy-file. */
  proxy: string;
  /** --no-proxy-hosts: hosts that bypass the proxy, in place of NO_PROXY. */
  noProxy: string | undefined;
  rejectUnauthorized: boolean;
  /** --ca-bundle, else AWS_CA_BUNDLE: read when CreateSession is called. */
  caBundle: string | undefined;
  /** --tls-file: read when CreateSession is called (a warm cache hit never needs it). */
  tlsFile: string | undefined;
  cache: { enabled: boolean; dir: string | undefined; refreshSeconds: number };
  debug: boolean;
  /** Roles to assume after CreateSession; undefined without --assume-role-arn. */
  chain: RoleChain | undefined;
  allowedAccountIds: string[];
  /** Hash of everything that identifies a session: the cache key. */
  identity: string;
  /** The key of the Roles Anywhere session a chain starts from (shared by every chain of it). */
  startIdentity: string;
  /** How long the credentials this config yields may live: the last hop's duration, or the session's. */
  lifetimeSeconds: number;
}

function wholeNumber(text: string, what: string, min: number, max: number): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < min || value > max) {
    throw new IamraError('CONFIG_INVALID', `${what} must be a whole number from ${min} to ${max}; got '${text}'`);
  }
  return value;
}

function integerFlag(flags: ParsedFlags, name: string, min: number, max: number): number | undefined {
  const text = first(flags, name);
  return text === undefined ? undefined : wholeNumber(text, `--${name}`, min, max);
}

/** The flag wins over the environment; a typo in either is an error, not a silent default. */
function cacheRefreshSeconds(flags: ParsedFlags, env: NodeJS.ProcessEnv): number {
  const fromFlag = integerFlag(flags, 'cache-refresh-seconds', 0, MAX_REFRESH_SECONDS);
  if (fromFlag !== undefined) return fromFlag;
  const text = env.IAMRA_CACHE_REFRESH_SECONDS;
  if (text) return wholeNumber(text, 'IAMRA_CACHE_REFRESH_SECONDS', 0, MAX_REFRESH_SECONDS);
  return DEFAULT_REFRESH_SECONDS;
}

function passphrase(flags: ParsedFlags, env: NodeJS.ProcessEnv, fileFlag: string, envName: string): string | undefined {
  const file = first(flags, fileFlag);
  if (file !== undefined) {
    // A trailing newline from `echo secret > file` is not part of the passphrase.
    return readFileOrFail(file, readFileSync, 'passphrase file')
      .toString('utf8')
      .replace(/\r?\n$/, '');
  }
  return env[envName] || undefined;
}

/** --proxy-file keeps a proxy's credentials off argv, as the passphrase files do. */
function proxySetting(flags: ParsedFlags): string {
  const file = first(flags, 'proxy-file');
  if (file === undefined) return flags.switches.has('no-proxy') ? 'none' : 'env';
  if (flags.switches.has('no-proxy')) {
    throw new IamraError('CONFIG_INVALID', 'give --proxy-file or --no-proxy, not both');
  }
  const text = readFileOrFail(file, readFileSync, 'proxy file').toString('utf8').trim();
  try {
    const url = parseProxyUrl(text);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('scheme');
    return url.href;
  } catch {
    // Never quote the text: it may hold the proxy's password.
    throw new IamraError(
      'CONFIG_INVALID',
      `--proxy-file ${file} does not hold a proxy URL (http://[user:password@]host:port)`,
    );
  }
}

/** --use-fips-endpoint, or AWS_USE_FIPS_ENDPOINT=true as the AWS SDKs read it. */
function useFipsEndpoint(flags: ParsedFlags, env: NodeJS.ProcessEnv): boolean {
  if (flags.switches.has('use-fips-endpoint')) return true;
  const text = env.AWS_USE_FIPS_ENDPOINT?.trim().toLowerCase();
  if (text === undefined || text === '' || text === 'false') return false;
  if (text === 'true') return true;
  throw new IamraError(
    'CONFIG_INVALID',
    `AWS_USE_FIPS_ENDPOINT must be true or false; got '${env.AWS_USE_FIPS_ENDPOINT}'`,
  );
}

function chainFrom(flags: ParsedFlags, params: SessionParameters, env: NodeJS.ProcessEnv): RoleChain | undefined {
  const hops = resolveRoleChain(chainInputs(flags), params.partition);
  // Without hops nothing calls STS: --sts-endpoint is then unused (profile generators may pass it to all).
  if (hops.length === 0) return undefined;
  const stsEndpoint = configuredStsEndpoint(first(flags, 'sts-endpoint'), env);
  // FIPS applies to STS as to Roles Anywhere (sts-fips.REGION) unless an endpoint is given.
  return { hops, fips: useFipsEndpoint(flags, env), ...(stsEndpoint ? { stsEndpoint } : {}) };
}

export async function loadHelperConfig(flags: ParsedFlags, io: CliIo): Promise<HelperConfig> {
  const env = io.env;
  let stdinUsed = false;
  const source = async (flag: string, envName: string, what: string): Promise<Source | undefined> => {
    const path = first(flags, flag);
    if (path === '-') {
      if (stdinUsed)
        throw new IamraError('CONFIG_INVALID', 'only one of --certificate and --private-key can read stdin');
      stdinUsed = true;
      return readStdin(io);
    }
    if (path !== undefined) return readFileOrFail(path, readFileSync, what);
    return env[envName] || undefined;
  };
  const hardware = hardwareConfig(flags);
  let certificate = hardware?.certificate ? undefined : await source('certificate', 'IAMRA_CERTIFICATE', 'certificate');
  const keyFromFlags =
    hardware?.privateKey || isTpmHandle(first(flags, 'private-key'))
      ? undefined
      : await source('private-key', 'IAMRA_PRIVATE_KEY', 'private key');
  const tpm = tpmConfig(flags, keyFromFlags, env);
  const privateKey = tpm ? undefined : keyFromFlags;
  const pkcs12Path = first(flags, 'pkcs12');
  let pkcs12 = pkcs12Path !== undefined ? readFileOrFail(pkcs12Path, readFileSync, 'PKCS#12 file') : undefined;
  if (pkcs12 === undefined && privateKey === undefined && certificate !== undefined && isPkcs12Der(certificate)) {
    // aws_signing_helper's way to give a PKCS#12 file: as --certificate, without --private-key.
    pkcs12 = Buffer.from(certificate);
    certificate = undefined;
  }
  const intermediatePaths = flags.values.get('intermediates') ?? [];
  const intermediates: Source[] = intermediatePaths.map((path) => readFileOrFail(path, readFileSync, 'intermediates'));
  if (intermediates.length === 0 && env.IAMRA_INTERMEDIATES) intermediates.push(env.IAMRA_INTERMEDIATES);
  if (certificate === undefined && pkcs12 === undefined && !hardware?.certificate) {
    throw new IamraError('CONFIG_INVALID', 'give --certificate FILE (or IAMRA_CERTIFICATE) or --pkcs12 FILE');
  }
  const keyElsewhere = pkcs12 !== undefined || hardware !== undefined || tpm !== undefined;
  if (privateKey === undefined && !keyElsewhere && !String(certificate ?? '').includes('PRIVATE KEY')) {
    throw new IamraError('CONFIG_INVALID', 'give --private-key FILE (or IAMRA_PRIVATE_KEY) or --pkcs12 FILE');
  }
  const required = (name: string): string => {
    const value = first(flags, name)?.trim();
    if (!value) throw new IamraError('CONFIG_INVALID', `--${name} is required; see iamra credential-process --help`);
    return value;
  };
  const trustAnchorArn = required('trust-anchor-arn');
  const profileArn = required('profile-arn');
  const roleArn = required('role-arn');
  const duration = parseDuration(first(flags, 'session-duration'));
  const region = first(flags, 'region');
  const roleSessionName = first(flags, 'role-session-name');
  const params = resolveSessionParameters({
    trustAnchorArn,
    profileArn,
    roleArn,
    ...(region !== undefined ? { region } : {}),
    ...(duration !== undefined ? { durationSeconds: duration } : {}),
    ...(roleSessionName !== undefined ? { roleSessionName } : {}),
  });
  const endpointFlag = first(flags, 'endpoint');
  // A custom endpoint wins over FIPS, as endpoint_url does in the AWS SDKs.
  const endpoint =
    endpointFlag !== undefined
      ? validateEndpoint(withDefaultScheme(endpointFlag))
      : useFipsEndpoint(flags, env)
        ? endpointFor(params.partition, params.region, true)
        : undefined;
  const arnsIn = first(flags, 'arns-in') ?? 'query';
  if (arnsIn !== 'query' && arnsIn !== 'body') {
    throw new IamraError('CONFIG_INVALID', `--arns-in must be query or body; got '${arnsIn}'`);
  }
  const privateKeyPassphrase = passphrase(flags, env, 'private-key-passphrase-file', 'IAMRA_PRIVATE_KEY_PASSPHRASE');
  const pkcs12Password = passphrase(flags, env, 'pkcs12-password-file', 'IAMRA_PKCS12_PASSWORD');
  const material: MaterialInput = {
    ...(certificate !== undefined ? { certificate } : {}),
    ...(privateKey !== undefined ? { privateKey } : {}),
    ...(intermediates.length ? { intermediates } : {}),
    ...(pkcs12 !== undefined ? { pkcs12 } : {}),
    ...(privateKeyPassphrase !== undefined ? { privateKeyPassphrase } : {}),
    ...(pkcs12Password !== undefined ? { pkcs12Password } : {}),
  };
  const rejectUnauthorized = !flags.switches.has('no-verify-ssl');
  const caBundle = first(flags, 'ca-bundle') ?? (env.AWS_CA_BUNDLE || undefined);
  const tlsFile = first(flags, 'tls-file');
  // Its bytes are part of the cache key: another CA or SkipCertValidation is another trust.
  const tlsSettings = tlsFile === undefined ? undefined : readFileOrFail(tlsFile, readFileSync, 'TLS settings file');
  // A token counts by its URIs and module, never its PIN (a PIN's hash in a file name is guessable).
  const base: IdentityInput = {
    certificate: certificate ?? (hardware && tokenCertificateIdentity(hardware)),
    privateKey: privateKey ?? (tpm && tpmKeyIdentity(tpm, env)) ?? (hardware && tokenKeyIdentity(hardware)),
    privateKeyPassphrase,
    intermediates,
    pkcs12,
    pkcs12Password,
    params,
    endpoint,
    tls: tlsIdentity({ rejectUnauthorized, env: { ...env, AWS_CA_BUNDLE: caBundle }, settings: tlsSettings }),
  };
  const chain = chainFrom(flags, params, env);
  const allowedAccountIds = parseAllowedAccountIds(first(flags, 'allowed-account-ids')) ?? [];
  // The final account is known from the ARNs: refused before the cache or any request.
  checkAllowedAccount(expectedAccount(params, chain), allowedAccountIds);
  const startIdentity = sessionIdentity(base);
  const identity =
    chain || allowedAccountIds.length ? sessionIdentity({ ...base, chain, allowedAccountIds }) : startIdentity;
  const refresh = cacheRefreshSeconds(flags, env);
  return {
    material,
    hardware,
    tpm,
    params,
    endpoint,
    arnsIn,
    retryMaxAttempts: integerFlag(flags, 'retry-max-attempts', 1, 20),
    timeoutMs: integerFlag(flags, 'timeout-ms', 100, 120_000),
    proxy: proxySetting(flags),
    noProxy: first(flags, 'no-proxy-hosts'),
    rejectUnauthorized,
    tlsFile,
    caBundle,
    cache: {
      enabled: !flags.switches.has('no-cache'),
      dir: first(flags, 'cache-dir') ?? (env.IAMRA_CACHE_DIR || undefined),
      refreshSeconds: refresh,
    },
    debug: flags.switches.has('debug'),
    chain,
    allowedAccountIds,
    identity,
    startIdentity,
    lifetimeSeconds: chain?.hops.at(-1)?.durationSeconds ?? params.durationSeconds,
  };
}
