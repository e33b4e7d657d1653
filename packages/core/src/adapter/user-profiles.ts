/**
 * Profile mode keeps the user's own profiles. Exporting AWS_CONFIG_FILE hides the file it named
 * before (else ~/.aws/config), so the job's config starts from that file, read and never written:
 * every section is kept as written (other profiles, [sso-session], [services], comments) except
 * those naming one of our profiles. Ours win: the job asked for that name. The credentials file
 * (AWS_SHARED_CREDENTIALS_FILE, else ~/.aws/credentials) stays where it is unless it holds one of
 * our names: the AWS CLI and SDKs prefer its keys to a config's credential_process, so the job then
 * gets a copy without those sections.
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve, win32 } from 'node:path';
import { IamraError } from '../errors.js';
import { readPrivateFile } from '../files/private-file.js';
import { partitionIniSections } from '../formats/ini.js';
import { readFileOrFail } from '../material/source.js';

export type AwsSharedFile = 'config' | 'credentials';

const VARIABLES: Record<AwsSharedFile, string> = {
  config: 'AWS_CONFIG_FILE',
  credentials: 'AWS_SHARED_CREDENTIALS_FILE',
};

/**
 * AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE (a leading ~ expanded, as botocore does), else
 * ~/.aws/. On Windows ~ is USERPROFILE, as the AWS CLI (Python's expanduser) and the Go SDK read
 * it, even where a shell has set HOME; there ~\ is expanded too.
 */
export function awsSharedFilePath(env: NodeJS.ProcessEnv, which: AwsSharedFile, platform?: NodeJS.Platform): string {
  const windows = platform === 'win32';
  const home = (windows ? env.USERPROFILE || env.HOME : env.HOME || env.USERPROFILE) || homedir();
  const joinPath = windows ? win32.join : join;
  const fromEnv = env[VARIABLES[which]];
  const tilde = windows ? /^~([\\/]|$)/ : /^~(\/|$)/;
  if (fromEnv) return tilde.test(fromEnv) ? joinPath(home, fromEnv.slice(1)) : fromEnv;
  return joinPath(home, '.aws', which);
}

/** The profile a config file's section defines: [default], [profile NAME] or [profile "NAME"]. */
export function configProfileOf(section: string): string | undefined {
  if (section === 'default') return 'default';
  const name = /^profile\s+(.+)$/.exec(section)?.[1]?.trim();
  if (!name) return undefined;
  return /^(["']).+\1$/.test(name) ? name.slice(1, -1) : name;
}

/** A file the user may not have: missing is empty; unreadable is an error that names it. */
function readUserFile(path: string, what: string): string {
  try {
    return readFileOrFail(path, (file) => readFileSync(file), what).toString('utf8');
  } catch (error) {
    const code = error instanceof IamraError ? (error.cause as NodeJS.ErrnoException | undefined)?.code : undefined;
    if (code === 'ENOENT' || code === 'ENOTDIR') return '';
    throw error;
  }
}

/** Two texts as one INI file, a blank line between them. */
export function joinIni(first: string, second: string): string {
  const parts = [first.trimEnd(), second.trimEnd()].filter(Boolean);
  return parts.length ? `${parts.join('\n\n')}\n` : '';
}

export interface UserFileInput {
  env: NodeJS.ProcessEnv;
  /** The job's own file (config or credentials) under the job's temp directory. */
  jobFile: string;
  /** The profile being written. */
  current: string;
  /** The profiles earlier steps of the job wrote. */
  previous: ReadonlySet<string>;
  /** Where the job runs: where ~ is (see awsSharedFilePath). */
  platform?: NodeJS.Platform | undefined;
}

export interface UserFileText {
  /** The user's sections, ours left out. */
  text: string;
  /** The file they came from: the user's, or the job's own when the variable already names it. */
  source: string;
  /** The user's profile of the current name, if the source had one: ours replaces it. */
  replaced: string[];
}

/**
 * The user's sections for the job's file: from the file the variable names (or ~/.aws/), or from
 * the job's own file when an earlier step of the job already exported it (it carries them then).
 */
function userSections(input: UserFileInput, which: AwsSharedFile, profileOf: (section: string) => string | undefined) {
  const path = awsSharedFilePath(input.env, which, input.platform);
  const own = resolve(path) === resolve(input.jobFile);
  const text = own ? (readPrivateFile(input.jobFile) ?? '') : readUserFile(path, `AWS ${which} file`);
  let found = false;
  const { kept } = partitionIniSections(text, (section) => {
    const name = profileOf(section);
    if (name === input.current) found = true;
    return name === undefined || (name !== input.current && !input.previous.has(name));
  });
  // In the job's own file, a section of a name the job already wrote is ours, not the user's.
  const replaced = found && !(own && input.previous.has(input.current)) ? [input.current] : [];
  return { own, result: { text: kept, source: path, replaced } };
}

/** The user's config sections the job's config carries (see the module comment). */
export function userConfigSections(input: UserFileInput): UserFileText {
  return userSections(input, 'config', configProfileOf).result;
}

/** The job's credentials file text, when one is needed: the user's holds one of our names. */
export function jobCredentialsText(input: UserFileInput): UserFileText | undefined {
  const { own, result } = userSections(input, 'credentials', (section) => section);
  return own || result.replaced.length > 0 ? result : undefined;
}
