/** Every command but the emulator, run as a bin: the CLI the GitHub Action and the Azure task ship. */
import { HELPER_COMMANDS } from './helper-commands.js';
import { createMain } from './main.js';
import { runBin } from './run-bin.js';

export function runHelperCli(): Promise<void> {
  return runBin(createMain(HELPER_COMMANDS));
}
