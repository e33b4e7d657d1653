/** The full `iamra` CLI: the credential helper commands plus the emulator. */
import { HELPER_COMMANDS } from './helper-commands.js';
import { createMain } from './main.js';

export type { CliIo } from './io.js';
export { createMain } from './main.js';
export { VERSION } from './version.js';

export const main = createMain([
  ...HELPER_COMMANDS,
  {
    name: 'emulator',
    summary: 'run a local IAM Roles Anywhere + STS emulator (or --init DIR for a demo PKI)',
    load: async () => (await import('./commands/emulator.js')).emulatorCommand,
  },
]);
