/** The full `iamra` CLI: the credential helper commands, plus configure and the emulator (not in the CI bundles). */
import { HELPER_COMMANDS } from './helper-commands.js';
import { createMain } from './main.js';

export type { CliIo } from './io.js';
export { createMain } from './main.js';
export { VERSION } from './version.js';

export const main = createMain([
  ...HELPER_COMMANDS,
  {
    name: 'configure',
    summary: 'write a credential_process profile that runs iamra into the AWS config file',
    load: async () => (await import('./commands/configure.js')).configureCommand,
  },
  {
    name: 'doctor',
    summary: "check a certificate against the trust anchor's CA and show the session's principal tags",
    load: async () => (await import('./commands/doctor.js')).doctorCommand,
  },
  {
    name: 'emulator',
    summary: 'run a local IAM Roles Anywhere + STS emulator (or --init DIR for a demo PKI)',
    load: async () => (await import('./commands/emulator.js')).emulatorCommand,
  },
]);
