/** The post step: removes what main wrote and, when asked, unsets what it exported. Idempotent. */
import { existsSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  currentHost,
  type FileProtection,
  fileProtectionFor,
  type Host,
  jobProfileNames,
  readPrivateFile,
  removeIniSection,
  sectionName,
  writePrivateFile,
} from '@iamra/core';
import { booleanInput } from './inputs.js';
import { Runner } from './runner/commands.js';
import { parseState, STATE } from './state.js';

/** Runs after this step's profile directory is gone: the config keeps the job's other profiles. */
function removeProfile(configFile: string, profileName: string, protection: FileProtection | undefined): void {
  if (!configFile || !existsSync(configFile)) return;
  const root = dirname(configFile);
  if (jobProfileNames(dirname(root)).length === 0) {
    // The last profile of the job: the whole iamra directory (cache, the copies of the user's files) goes.
    rmSync(root, { recursive: true, force: true });
  } else {
    const rest = removeIniSection(readPrivateFile(configFile) ?? '', sectionName(profileName));
    writePrivateFile(configFile, rest, protection);
  }
}

export function runPost(
  env: NodeJS.ProcessEnv,
  stdout: { write(text: string): unknown },
  host: Host = currentHost(),
): number {
  const runner = new Runner({ env, stdout });
  const state = parseState(runner.state(STATE));
  if (!state) {
    runner.info('iamra: nothing to clean up');
    return 0;
  }
  try {
    for (const dir of state.profileDirs) rmSync(dir, { recursive: true, force: true });
    if (state.profileName) {
      removeProfile(state.configFile, state.profileName, fileProtectionFor(host.platform, host.runCommand, env));
    }
    if (booleanInput(runner, 'unset-current-credentials', false)) {
      for (const name of state.exported) runner.exportVariable(name, '');
    }
    runner.info(
      `iamra: removed ${state.profileDirs.length} profile director${state.profileDirs.length === 1 ? 'y' : 'ies'}`,
    );
  } catch (error) {
    runner.warning(`cleanup incomplete: ${error instanceof Error ? error.message : 'unknown error'}`);
  }
  return 0;
}
