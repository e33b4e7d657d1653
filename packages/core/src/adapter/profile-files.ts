/**
 * Profile mode for CI adapters: key material in private files under the job's temp directory,
 * and a credential_process profile in a job-scoped AWS config file that runs our bundled CLI.
 * Several steps add their profiles to the same file. Nothing is written under HOME; with
 * keepUserProfiles the user's own profiles are carried into the job's files (user-profiles.ts).
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { cacheEntryFileName, cacheEntryJson } from '../cache/entry.js';
import { type IdentityInput, sessionIdentity, tlsIdentity } from '../cache/session-key.js';
import type { RoleChain } from '../chain/chain.js';
import type { SessionCredentials } from '../client/credentials.js';
import type { TlsFiles } from '../client/tls-settings.js';
import { IamraError } from '../errors.js';
import { ensurePrivateDirectory, readPrivateFile, writePrivateFile } from '../files/private-file.js';
import type { FileProtection } from '../files/types.js';
import { credentialProcessValue } from '../formats/command-line.js';
import { partitionIniSections, upsertIniSection } from '../formats/ini.js';
import { credentialProcessArgv } from '../formats/launcher.js';
import type { MaterialInput, Source } from '../material/types.js';
import type { SessionParameters } from '../parameters.js';
import { tokenIdentity, uriWithPinSource } from '../pkcs11/profile-uri.js';
import { chainArgs } from './chain-args.js';
import {
  configProfileOf,
  jobCredentialsText,
  joinIni,
  type UserFileText,
  userConfigSections,
} from './user-profiles.js';

/** A key (and maybe its certificate) on a PKCS#11 token: the profile names it, and writes no key file. */
export interface ProfileToken {
  /** pkcs11: URIs as the step was given them (a pin-value in them moves to the PIN file). */
  certificate?: string | undefined;
  privateKey?: string | undefined;
  /** --pkcs11-lib for the profile's refreshes. */
  modulePath?: string | undefined;
  reusePin?: boolean;
  /** The token PIN: a 0600 file in the profile directory, named by the URIs' pin-source. */
  pin?: string | undefined;
}

export interface ProfileFilesInput {
  /** RUNNER_TEMP or Agent.TempDirectory. */
  tempDir: string;
  profileName: string;
  material: MaterialInput;
  params: SessionParameters;
  /** The profile's `region` for AWS calls (default: the signing region, params.region). */
  awsRegion?: string;
  endpoint?: string;
  /** The node binary and the bundled CLI the profile runs. */
  nodePath: string;
  cliPath: string;
  /** Where the profile runs (default: here): decides the line's quoting and the launcher. */
  platform?: NodeJS.Platform;
  /**
   * Required on Windows (fileProtectionFor(host...)): each directory and file is restricted to
   * the current user before any key byte is written. Unused elsewhere (0600 / 0700).
   */
  fileProtection?: FileProtection | undefined;
  /** process.versions.node of nodePath (default: this process's); decides the launcher. */
  nodeVersion?: string;
  /**
   * How the step reached the service, for the profile's own refreshes: a proxy URL (written to a
   * private file: it may carry a password), 'none', or 'env'/undefined for HTTPS_PROXY and co.
   */
  proxy?: string;
  /** Hosts that bypass the proxy in the profile's refreshes (in place of NO_PROXY): --no-proxy-hosts. */
  noProxy?: string;
  /**
   * The agent's TLS settings (CA, client certificate paths and passphrase) for the profile's own
   * refreshes: written to a private file (the passphrase is a secret), passed as --tls-file.
   */
  tlsFiles?: TlsFiles;
  /**
   * The credentials the step just obtained: stored as the profile's first cache entry, so the
   * job's first AWS call does not repeat the CreateSession the step made.
   */
  credentials?: SessionCredentials;
  /**
   * The job's environment (NODE_EXTRA_CA_CERTS is part of the primed entry's key, and decides
   * the launcher: see formats/launcher.ts); process.env by default.
   */
  env?: NodeJS.ProcessEnv;
  /** Roles the profile assumes after CreateSession, each refresh again (from obtainSession). */
  chain?: RoleChain;
  allowedAccountIds?: readonly string[];
  /**
   * CreateSession's credentials when there is a chain: primed too, so every chained profile of
   * the job (one per account) starts from this one Roles Anywhere session until it nears expiry.
   */
  startCredentials?: SessionCredentials;
  /**
   * Carry the user's profiles (the file AWS_CONFIG_FILE names in `env`, else ~/.aws/config) into
   * the job's config, and write a job-scoped credentials file when the user's holds one of our
   * names; see user-profiles.ts.
   */
  keepUserProfiles?: boolean;
  /** The key on a token: `material` then holds only what comes from files (certificate, chain). */
  token?: ProfileToken;
}

export interface ProfileFiles {
  configFile: string;
  cacheDir: string;
  /** The profile's private directory (key files); remove it to clean up. */
  profileDir: string;
  /** Every file written into profileDir. */
  files: string[];
  /** With keepUserProfiles: the user's config sections the job's config carries. */
  userConfig?: UserFileText;
  /** With keepUserProfiles, when the user's credentials file held one of our names: the job's copy. */
  credentials?: UserFileText & { file: string };
}

const PROFILE_NAME = /^[\w.+@-]{1,64}$/;

export function iamraDir(tempDir: string): string {
  return join(tempDir, 'iamra');
}

export function configFilePath(tempDir: string): string {
  return join(iamraDir(tempDir), 'aws-config');
}

export function credentialsFilePath(tempDir: string): string {
  return join(iamraDir(tempDir), 'aws-credentials');
}

/** The profiles this job has written: one directory each under iamra/profiles. */
export function jobProfileNames(tempDir: string): string[] {
  try {
    return readdirSync(join(iamraDir(tempDir), 'profiles'));
  } catch {
    return [];
  }
}

export function sectionName(profileName: string): string {
  return profileName === 'default' ? 'default' : `profile ${profileName}`;
}

/** The --tls-file the profile passes, if the step had TLS settings. */
function tlsFileText(input: Pick<ProfileFilesInput, 'tlsFiles'>): string | undefined {
  return input.tlsFiles && Object.keys(input.tlsFiles).length > 0 ? JSON.stringify(input.tlsFiles) : undefined;
}

/** What the cache key counts for the certificate and the key: their bytes, or their token URIs. */
interface KeyIdentity {
  certificate: Source | undefined;
  privateKey: Source | undefined;
}

/** What identifies the Roles Anywhere session a step made (the start of its chains). */
export type StartSessionInput = Pick<ProfileFilesInput, 'material' | 'params' | 'endpoint' | 'env' | 'tlsFiles'>;

function startIdentity(
  input: StartSessionInput,
  identity: KeyIdentity = { certificate: input.material.certificate, privateKey: input.material.privateKey },
): IdentityInput {
  const { material } = input;
  return {
    certificate: identity.certificate,
    privateKey: identity.privateKey,
    privateKeyPassphrase: material.privateKeyPassphrase,
    intermediates: material.intermediates,
    pkcs12: material.pkcs12,
    pkcs12Password: material.pkcs12Password,
    params: input.params,
    endpoint: input.endpoint,
    // The profile's own calls trust what the step trusted: the job's CA bundle and its --tls-file.
    tls: tlsIdentity({ rejectUnauthorized: true, env: input.env ?? process.env, settings: tlsFileText(input) }),
  };
}

/**
 * Where the job's cache holds the Roles Anywhere session of this certificate and role (keys
 * from files; a token's entries are keyed by per-profile URIs and are not shared).
 */
export function startSessionPath(tempDir: string, input: StartSessionInput): string {
  return join(iamraDir(tempDir), 'cache', cacheEntryFileName(sessionIdentity(startIdentity(input))));
}

/** The entries `iamra credential-process` looks up for exactly this profile's arguments. */
function primeCache(
  cacheDir: string,
  input: ProfileFilesInput,
  identity: KeyIdentity,
  credentials: SessionCredentials,
): void {
  const base = startIdentity(input, identity);
  const key = sessionIdentity({ ...base, chain: input.chain, allowedAccountIds: input.allowedAccountIds });
  const protection = input.fileProtection;
  writePrivateFile(join(cacheDir, cacheEntryFileName(key)), cacheEntryJson(credentials), protection);
  if (input.chain?.hops.length && input.startCredentials) {
    const startKey = sessionIdentity(base);
    writePrivateFile(join(cacheDir, cacheEntryFileName(startKey)), cacheEntryJson(input.startCredentials), protection);
  }
}

/** The token's URIs for the command line (PINs moved to private files) and its flags. */
function tokenArgs(
  token: ProfileToken | undefined,
  put: (name: string, content: Source) => string,
): { certificate: string | undefined; privateKey: string | undefined; flags: string[] } {
  if (!token) return { certificate: undefined, privateKey: undefined, flags: [] };
  const pinFiles = new Map<string, string>();
  // One file per distinct PIN (a certificate and a key URI may each carry their own pin-value).
  const pinFile = (pin: string): string => {
    const existing = pinFiles.get(pin);
    if (existing) return existing;
    const path = put(pinFiles.size === 0 ? 'pkcs11-pin' : `pkcs11-pin-${pinFiles.size + 1}`, pin);
    pinFiles.set(pin, path);
    return path;
  };
  const uri = (text: string | undefined) => (text ? uriWithPinSource(text, token.pin, pinFile) : undefined);
  return {
    certificate: uri(token.certificate),
    privateKey: uri(token.privateKey),
    flags: [
      ...(token.modulePath ? ['--pkcs11-lib', token.modulePath] : []),
      ...(token.reusePin ? ['--reuse-pin'] : []),
    ],
  };
}

/** A profile name is also a file name: checked before any path is built from it. */
export function validateProfileName(name: string): string {
  if (!PROFILE_NAME.test(name) || name === '.' || name === '..') {
    throw new IamraError(
      'CONFIG_INVALID',
      `profile name '${name}' may only hold letters, digits and . + @ _ - (at most 64, not . or ..)`,
    );
  }
  return name;
}

type Put = (name: string, content: Source) => string;

/**
 * The credential-process arguments of the profile (`put` names a private file, written later),
 * and what its cache key counts for the certificate and the key (a token's URI, or the files).
 */
function profileArguments(
  input: ProfileFilesInput,
  cacheDir: string,
  put: Put,
): { args: string[]; identity: KeyIdentity } {
  const { material, params } = input;
  const args = [input.nodePath, input.cliPath, 'credential-process'];
  const token = tokenArgs(input.token, put);
  const identity: KeyIdentity = { certificate: material.certificate, privateKey: material.privateKey };
  if (token.certificate !== undefined) {
    args.push('--certificate', token.certificate);
    identity.certificate = tokenIdentity('certificate', token.certificate, input.token?.modulePath);
  } else if (material.certificate !== undefined) {
    args.push('--certificate', put('certificate', material.certificate));
  }
  if (token.privateKey !== undefined) {
    args.push('--private-key', token.privateKey);
    identity.privateKey = tokenIdentity('key', token.privateKey, input.token?.modulePath);
  } else if (material.privateKey !== undefined) {
    args.push('--private-key', put('private-key', material.privateKey));
  }
  args.push(...token.flags);
  (material.intermediates ?? []).forEach((source, index) => {
    args.push('--intermediates', put(`intermediates-${index + 1}`, source));
  });
  if (material.pkcs12 !== undefined) args.push('--pkcs12', put('bundle.p12', material.pkcs12));
  if (material.privateKeyPassphrase !== undefined) {
    args.push('--private-key-passphrase-file', put('private-key-passphrase', material.privateKeyPassphrase));
  }
  if (material.pkcs12Password !== undefined) {
    args.push('--pkcs12-password-file', put('pkcs12-password', material.pkcs12Password));
  }
  args.push('--trust-anchor-arn', params.trustAnchorArn, '--profile-arn', params.profileArn);
  args.push('--role-arn', params.roleArn, '--region', params.region);
  args.push('--session-duration', String(params.durationSeconds), '--cache-dir', cacheDir);
  if (params.roleSessionName) args.push('--role-session-name', params.roleSessionName);
  if (input.endpoint) args.push('--endpoint', input.endpoint);
  args.push(...chainArgs(input.chain, input.allowedAccountIds ?? [], put));
  if (input.proxy === 'none') args.push('--no-proxy');
  else if (input.proxy && input.proxy !== 'env') args.push('--proxy-file', put('proxy', input.proxy));
  if (input.proxy !== 'none' && input.noProxy !== undefined) args.push('--no-proxy-hosts', input.noProxy);
  const tlsFile = tlsFileText(input);
  if (tlsFile !== undefined) args.push('--tls-file', put('tls.json', tlsFile));
  return { args, identity };
}

/**
 * macOS and Windows file systems ignore case: profiles "Dev" and "dev" would share one directory
 * and one would run with the other's key. Refused on every platform, so a workflow behaves alike.
 */
function checkNoCaseTwin(profileName: string, previous: ReadonlySet<string>): void {
  const twin = [...previous].find((name) => name !== profileName && name.toLowerCase() === profileName.toLowerCase());
  if (twin !== undefined) {
    throw new IamraError(
      'CONFIG_INVALID',
      `profile name '${profileName}' differs from this job's profile '${twin}' only in case, which macOS and Windows file systems ignore; use another name`,
    );
  }
}

export function writeProfileFiles(input: ProfileFilesInput): ProfileFiles {
  validateProfileName(input.profileName);
  const platform = input.platform ?? process.platform;
  const protection = input.fileProtection;
  if (platform === 'win32' && !protection) {
    throw new IamraError('INTERNAL', 'a Windows profile needs its files restricted to the current user (no ACL given)');
  }
  const previous = new Set(jobProfileNames(input.tempDir));
  checkNoCaseTwin(input.profileName, previous);
  const root = iamraDir(input.tempDir);
  const profileDir = join(root, 'profiles', input.profileName);
  const cacheDir = join(root, 'cache');
  const pending: [string, Source][] = [];
  const put: Put = (name, content) => {
    const path = join(profileDir, name);
    pending.push([path, content]);
    return path;
  };
  const { args, identity } = profileArguments(input, cacheDir, put);
  const context = { platform, env: input.env ?? process.env, nodeVersion: input.nodeVersion ?? process.versions.node };
  // Before anything is written: a line no client would split right is refused with nothing on disk.
  const line = credentialProcessValue(credentialProcessArgv(args, context), platform);

  // Every level is created and checked without following a planted link (see writePrivateFile).
  for (const dir of [profileDir, cacheDir]) ensurePrivateDirectory(input.tempDir, dir, protection);
  for (const [path, content] of pending) writePrivateFile(path, content, protection);
  const configFile = configFilePath(input.tempDir);
  const { text, userConfig, credentials } = startingTexts(input, configFile, previous);
  const section = { region: input.awsRegion ?? input.params.region, credential_process: line };
  if (credentials) writePrivateFile(credentials.file, credentials.text, protection);
  writePrivateFile(configFile, upsertIniSection(text, sectionName(input.profileName), section), protection);
  if (input.credentials) primeCache(cacheDir, input, identity, input.credentials);
  return {
    configFile,
    cacheDir,
    profileDir,
    files: pending.map(([path]) => path),
    ...(userConfig ? { userConfig } : {}),
    ...(credentials ? { credentials } : {}),
  };
}

/**
 * The config text this profile is added to: the job's file as it is, or with keepUserProfiles the
 * user's sections followed by the job's own profiles (and the job's credentials file, if needed).
 */
function startingTexts(
  input: ProfileFilesInput,
  configFile: string,
  previous: ReadonlySet<string>,
): { text: string; userConfig?: UserFileText; credentials?: UserFileText & { file: string } } {
  const jobText = readPrivateFile(configFile) ?? '';
  if (!input.keepUserProfiles) return { text: jobText };
  const files = { env: input.env ?? process.env, current: input.profileName, previous, platform: input.platform };
  const userConfig = userConfigSections({ ...files, jobFile: configFile });
  // The job's other profiles follow the user's sections; this one is added after them.
  const isEarlier = (section: string) => {
    const name = configProfileOf(section);
    return name !== undefined && name !== input.profileName && previous.has(name);
  };
  const earlier = partitionIniSections(jobText, (section) => !isEarlier(section)).dropped;
  const file = credentialsFilePath(input.tempDir);
  const credentials = jobCredentialsText({ ...files, jobFile: file });
  return {
    text: joinIni(userConfig.text, earlier),
    userConfig,
    ...(credentials ? { credentials: { ...credentials, file } } : {}),
  };
}
