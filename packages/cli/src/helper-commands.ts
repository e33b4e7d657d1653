import type { CommandEntry } from './commands/command.js';
import { credentialProcessCommand } from './commands/credential-process.js';
import { readCertificateDataCommand } from './commands/read-certificate-data.js';
import { serveCommand } from './commands/serve.js';
import { signStringCommand } from './commands/sign-string.js';
import { updateCommand } from './commands/update.js';

/**
 * Every command but the emulator: what the CI bundles ship. Modules are cheap to evaluate;
 * what is costly to load (node:http/https/tls, node-forge) is imported on use where it is needed.
 */
export const HELPER_COMMANDS: CommandEntry[] = [
  credentialProcessCommand,
  updateCommand,
  serveCommand,
  readCertificateDataCommand,
  signStringCommand,
].map((command) => ({ name: command.name, summary: command.summary, load: async () => command }));
