/**
 * The user's AWS config file as `iamra configure` edits it: where it is, and what adding our
 * profile to it would change. Pure text in, text out: the command decides whether to write.
 */
import { awsSharedFilePath, readIniSection, upsertIniSection } from '@iamra/core';

/** AWS_CONFIG_FILE (with ~ expanded, as botocore does) or ~/.aws/config. */
export function awsConfigFilePath(env: NodeJS.ProcessEnv, platform?: NodeJS.Platform): string {
  return awsSharedFilePath(env, 'config', platform);
}

/** The config file's section for a profile: `[default]` or `[profile NAME]`. */
export function profileSection(profile: string): string {
  return profile === 'default' ? 'default' : `profile ${profile}`;
}

/**
 * Keys that make a profile take its credentials from somewhere: the AWS CLI and SDKs prefer
 * several of them to credential_process, so our profile must not keep any.
 */
export const CREDENTIAL_KEYS = [
  'credential_process',
  'aws_access_key_id',
  'aws_secret_access_key',
  'aws_session_token',
  'role_arn',
  'source_profile',
  'credential_source',
  'web_identity_token_file',
  'role_session_name',
  'sso_session',
  'sso_start_url',
  'sso_region',
  'sso_account_id',
  'sso_role_name',
  'login_session',
];

export type ProfilePlan =
  | { outcome: 'added' | 'updated' | 'unchanged'; text: string }
  /** `keys`: the names (never the values: they may be secrets) that would be replaced. */
  | { outcome: 'conflict'; keys: string[] };

/**
 * What writing `entries` into `section` does. A section whose credential_process already starts
 * with `ownPrefix` (this iamra's `node cli credential-process`) is ours: its values are updated.
 * Any other credentials there, or other values of ours, are only replaced with `force`.
 */
export function planProfile(
  text: string,
  section: string,
  entries: Record<string, string>,
  options: { force: boolean; ownPrefix: string },
): ProfilePlan {
  const existing = readIniSection(text, section);
  if (existing === undefined) return { outcome: 'added', text: upsertIniSection(text, section, entries) };
  const ours = existing.credential_process?.startsWith(options.ownPrefix) ?? false;
  const differing = ours ? [] : Object.keys(entries).filter((key) => key in existing && existing[key] !== entries[key]);
  const changed = Object.keys(entries).some((key) => existing[key] !== entries[key]);
  const foreign = CREDENTIAL_KEYS.filter((key) => key in existing && !(key in entries));
  if (!changed && foreign.length === 0) return { outcome: 'unchanged', text };
  const replaced = [...differing, ...foreign];
  if (replaced.length > 0 && !options.force) return { outcome: 'conflict', keys: replaced };
  return { outcome: 'updated', text: upsertIniSection(text, section, entries, foreign) };
}
