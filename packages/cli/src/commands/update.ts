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
import { keepFresh, type RefreshDeps } from './refresh-loop.js';

const FLAGS: FlagSpecs = {
  ...CREDENTIAL_FLAGS,
  profile: {
    value: true,
    placeholder: 'NAME',
    description: 'profile to write in the credentials file (default "default")',
  },
  once: { value: false, description: 'write once and exit instead of refreshing until stopped' },
};

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

export type UpdateLoopDeps = Omit<RefreshDeps, 'stopOn'>;

/** Writes, then keeps the file fresh; only an input error (e.g. the certificate expired) stops it. */
export async function runUpdateLoop(
  getCredentials: CredentialSource,
  write: (credentials: SessionCredentials) => Promise<void>,
  deps: UpdateLoopDeps,
): Promise<void> {
  const credentials = await getCredentials();
  await write(credentials);
  deps.log(`credentials written; they expire at ${credentials.expiration.toISOString()}`);
  await keepFresh(credentials, getCredentials, write, {
    ...deps,
    stopOn: (error) => isIamraError(error) && error.category === 'input',
  });
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
      'Writes the profile into AWS_SHARED_CREDENTIALS_FILE (default ~/.aws/credentials) atomically, keeping other profiles\nand comments, and refreshes it 5 minutes (--cache-refresh-seconds) before expiry until stopped (Ctrl-C), reading\nthe certificate and key files again each time: a renewed certificate needs no restart.',
      FLAGS,
    ),
  async run(argv, io) {
    const flags = parseFlags('update', argv, FLAGS);
    const profile = first(flags, 'profile') ?? 'default';
    if (!/^[\w.+@-]+$/.test(profile))
      throw new IamraError('CONFIG_INVALID', `--profile '${profile}' is not a valid profile name`);
    const { config, getCredentials } = await commandContext(flags, io);
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
      refreshBeforeMs: config.cache.refreshSeconds * 1000,
    });
    return 0;
  },
};
