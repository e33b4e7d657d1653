/** What every credential command needs: the config, a debug printer, and a credential source. */
import { interruptedError, neutralizeForLog } from '@iamra/core';
import { first, type ParsedFlags } from '../args.js';
import { type CredentialDeps, type CredentialSource, credentialSource } from '../config/credentials.js';
import { type HelperConfig, loadHelperConfig } from '../config/load.js';
import type { CliIo } from '../io.js';

export interface CommandContext {
  config: HelperConfig;
  getCredentials: CredentialSource;
  debug: (line: string) => void;
}

/** setTimeout that rejects with INTERRUPTED when the signal aborts first. */
function signalledSleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(interruptedError());
    const onAbort = () => {
      clearTimeout(timer);
      reject(interruptedError());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** preloaded: the config already loaded from these flags and io.env (see CliIo.credentialConfig). */
export async function commandContext(flags: ParsedFlags, io: CliIo, preloaded?: HelperConfig): Promise<CommandContext> {
  const config = preloaded ?? (await loadHelperConfig(flags, io));
  // Multi-line debug text (a canonical request) keeps its lines; each is neutralised on its own.
  const safeLines = (text: string) =>
    text
      .split('\n')
      .map((line) => neutralizeForLog(line, Number.POSITIVE_INFINITY))
      .join('\n');
  const debug = config.debug ? (line: string) => io.stderr.write(`iamra debug: ${safeLines(line)}\n`) : () => {};
  const deps: CredentialDeps = {
    now: () => new Date(),
    // A signal ends any wait (backoff, another caller's lock) at once.
    sleep: (ms) => signalledSleep(ms, io.signal),
    ...(io.signal ? { signal: io.signal } : {}),
    env: io.env,
    debug,
    warn: (warning) => io.stderr.write(`iamra: warning: ${warning.code}: ${neutralizeForLog(warning.message)}\n`),
  };
  return { config, getCredentials: rereadingSource(config, flags, io, deps), debug };
}

/**
 * Each call after the first reads the certificate, key and other files again, so `serve` and
 * `update` pick up a renewed certificate (cert-manager, short-lived Private CA certificates) at
 * their next refresh, under the new certificate's own cache key. Stdin can be read only once.
 */
function rereadingSource(config: HelperConfig, flags: ParsedFlags, io: CliIo, deps: CredentialDeps): CredentialSource {
  const fromStdin = first(flags, 'certificate') === '-' || first(flags, 'private-key') === '-';
  let loaded: HelperConfig | undefined = config;
  return async (options) => {
    const current = loaded ?? (await loadHelperConfig(flags, io));
    if (!fromStdin) loaded = undefined;
    return credentialSource(current, deps)(options);
  };
}
