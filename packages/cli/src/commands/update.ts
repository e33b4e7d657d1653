/** `iamra update`: keeps a profile in the shared credentials file fresh until stopped. */
import { promises as fs } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { IamraError, isIamraError, type SessionCredentials, upsertIniSection } from '@iamra/core';
import { type FlagSpecs, first, parseFlags, renderHelp } from '../args.js';
import type { CredentialSource } from '../config/credentials.js';
import { CREDENTIAL_FLAGS } from '../config/flags.js';
import { writePrivateFileAtomic } from './atomic-write.js';
import type { Command } from './command.js';
import { commandContext } from './context.js';

const FLAGS: FlagSpecs = {
  ...CREDENTIAL_FLAGS,
  profile: {
    value: true,
    placeholder: 'NAME',
    description: 'profile to write in the credentials file (default "default")',
  },
  once: { value: false, description: 'write once and exit instead of refreshing until stopped' },
};

export const REFRESH_BEFORE_EXPIRY_MS = 5 * 60_000;

export function credentialsFilePath(env: NodeJS.ProcessEnv): string {
  return env.AWS_SHARED_CREDENTIALS_FILE || join(homedir(), '.aws', 'credentials');
}

export async function writeCredentialsProfile(
  path: string,
  profile: string,
  credentials: SessionCredentials,
): Promise<void> {
  let text = '';
  try {
    text = await fs.readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const updated = upsertIniSection(text, profile, {
    aws_access_key_id: credentials.accessKeyId,
    aws_secret_access_key: credentials.secretAccessKey,
    aws_session_token: credentials.sessionToken,
    // Not read by the SDKs; tells a human when iamra last refreshed it.
    x_iamra_expiration: credentials.expiration.toISOString(),
  });
  await writePrivateFileAtomic(path, updated);
}

export interface UpdateLoopDeps {
  now: () => Date;
  /** Resolves after ms, or early (false) when stopped. */
  wait: (ms: number) => Promise<boolean>;
  log: (line: string) => void;
}

/**
 * Writes, then sleeps until 5 minutes before expiry and writes again. A failed refresh keeps
 * the old (still valid) credentials and retries with backoff; only an input error stops it.
 */
export async function runUpdateLoop(
  getCredentials: CredentialSource,
  write: (credentials: SessionCredentials) => Promise<void>,
  deps: UpdateLoopDeps,
): Promise<void> {
  let credentials = await getCredentials();
  await write(credentials);
  deps.log(`credentials written; they expire at ${credentials.expiration.toISOString()}`);
  let failures = 0;
  for (;;) {
    const refreshAt = credentials.expiration.getTime() - REFRESH_BEFORE_EXPIRY_MS;
    const delay = failures > 0 ? Math.min(60_000, 1000 * 2 ** failures) : Math.max(0, refreshAt - deps.now().getTime());
    if (!(await deps.wait(delay))) return;
    try {
      credentials = await getCredentials({ forceRefresh: true });
      await write(credentials);
      failures = 0;
      deps.log(`credentials refreshed; they expire at ${credentials.expiration.toISOString()}`);
    } catch (error) {
      if (isIamraError(error) && error.category === 'input') throw error;
      failures += 1;
      const line = isIamraError(error) ? error.toLine() : 'refresh failed';
      deps.log(`refresh failed (${line}); keeping the current credentials and retrying`);
    }
  }
}

export function abortableWait(signal: AbortSignal | undefined): (ms: number) => Promise<boolean> {
  return (ms) =>
    new Promise((resolve) => {
      if (signal?.aborted) return resolve(false);
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve(true);
      }, ms);
      const onAbort = () => {
        clearTimeout(timer);
        resolve(false);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    });
}

export const updateCommand: Command = {
  name: 'update',
  summary: 'write credentials into the shared credentials file and keep them fresh',
  help: () =>
    renderHelp(
      'iamra update --profile NAME [--once] --certificate FILE --private-key FILE --trust-anchor-arn ARN --profile-arn ARN --role-arn ARN',
      'Writes the profile into AWS_SHARED_CREDENTIALS_FILE (default ~/.aws/credentials) atomically, keeping other profiles\nand comments, and refreshes it 5 minutes before expiry until stopped (Ctrl-C).',
      FLAGS,
    ),
  async run(argv, io) {
    const flags = parseFlags('update', argv, FLAGS);
    const profile = first(flags, 'profile') ?? 'default';
    if (!/^[\w.+@-]+$/.test(profile))
      throw new IamraError('CONFIG_INVALID', `--profile '${profile}' is not a valid profile name`);
    const { getCredentials } = await commandContext(flags, io);
    const path = credentialsFilePath(io.env);
    const write = (credentials: SessionCredentials) => writeCredentialsProfile(path, profile, credentials);
    if (flags.switches.has('once')) {
      await write(await getCredentials());
      io.stderr.write(`iamra: wrote profile ${profile} to ${path}\n`);
      return 0;
    }
    await runUpdateLoop(getCredentials, write, {
      now: () => new Date(),
      wait: abortableWait(io.signal),
      log: (line) => io.stderr.write(`iamra: ${line}\n`),
    });
    return 0;
  },
};
