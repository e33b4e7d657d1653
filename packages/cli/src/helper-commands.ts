import type { Command } from './commands/command.js';
import { credentialProcessCommand } from './commands/credential-process.js';
import { readCertificateDataCommand } from './commands/read-certificate-data.js';
import { serveCommand } from './commands/serve.js';
import { updateCommand } from './commands/update.js';

/** Every command but the emulator: what the CI bundles ship. */
export const HELPER_COMMANDS: Command[] = [
  credentialProcessCommand,
  updateCommand,
  serveCommand,
  readCertificateDataCommand,
];
