/** Every command but the emulator, run as a bin: the CLI the GitHub Action and the Azure task ship. */
import type { HelperConfig } from './config/load.js';
import { HELPER_COMMANDS } from './helper-commands.js';
import { createMain } from './main.js';
import { runBin } from './run-bin.js';

/** credentialConfig: what a missed warm-cache attempt already loaded from the same argv and env. */
export function runHelperCli(credentialConfig?: HelperConfig): Promise<void> {
  return runBin(createMain(HELPER_COMMANDS), credentialConfig);
}
