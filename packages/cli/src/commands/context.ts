/** What every credential command needs: the config, a debug printer, and a credential source. */
import type { ParsedFlags } from '../args.js';
import { type CredentialSource, credentialSource } from '../config/credentials.js';
import { type HelperConfig, loadHelperConfig } from '../config/load.js';
import type { CliIo } from '../io.js';

export interface CommandContext {
  config: HelperConfig;
  getCredentials: CredentialSource;
  debug: (line: string) => void;
}

export async function commandContext(flags: ParsedFlags, io: CliIo): Promise<CommandContext> {
  const config = await loadHelperConfig(flags, io);
  const debug = config.debug ? (line: string) => io.stderr.write(`iamra debug: ${line}\n`) : () => {};
  const getCredentials = credentialSource(config, {
    now: () => new Date(),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    env: io.env,
    debug,
    warn: (warning) => io.stderr.write(`iamra: warning: ${warning.code}: ${warning.message}\n`),
  });
  return { config, getCredentials, debug };
}
