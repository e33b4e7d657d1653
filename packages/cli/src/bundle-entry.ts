/**
 * The credential helper the GitHub Action and the Azure task bundle: every command but the
 * emulator, so a credential_process call loads as little as possible.
 */
import { HELPER_COMMANDS } from './helper-commands.js';
import { createMain } from './main.js';
import { runBin } from './run-bin.js';

await runBin(createMain(HELPER_COMMANDS));
