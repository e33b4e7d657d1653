/** The full `iamra` CLI: the credential helper commands plus the emulator. */
import { emulatorCommand } from './commands/emulator.js';
import { HELPER_COMMANDS } from './helper-commands.js';
import { createMain } from './main.js';

export type { CliIo } from './io.js';
export { createMain } from './main.js';
export { VERSION } from './version.js';

export const main = createMain([...HELPER_COMMANDS, emulatorCommand]);
