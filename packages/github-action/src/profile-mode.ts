/**
 * Profile mode: the credential_process profile in the job's config, which carries the user's
 * own profiles too (their AWS_CONFIG_FILE or ~/.aws/config, read, never written); ours win a
 * name they share. Only what makes the profile reachable is exported here.
 */
import { type AdapterSession, fileProtectionFor, type Host, IamraError, writeProfileFiles } from '@iamra/core';
import type { ActionConfig } from './inputs.js';
import type { Runner } from './runner/commands.js';
import type { SavedState } from './state.js';

export interface ProfileStep {
  runner: Runner;
  config: ActionConfig & { profileName: string };
  session: AdapterSession;
  env: NodeJS.ProcessEnv;
  state: SavedState;
  saveState: () => void;
  exportVariable: (name: string, value: string) => void;
  nodePath: string;
  cliPath: string;
  host: Host;
}

/** Profile mode writes under the job's temp directory, never under the workspace. */
function runnerTemp(env: NodeJS.ProcessEnv): string {
  if (!env.RUNNER_TEMP) {
    throw new IamraError('CONFIG_INVALID', 'RUNNER_TEMP is not set; aws-profile needs the job temp directory');
  }
  return env.RUNNER_TEMP;
}

export function writeProfile(step: ProfileStep): void {
  const { runner, config, session, state } = step;
  const files = writeProfileFiles({
    tempDir: runnerTemp(step.env),
    platform: step.host.platform,
    fileProtection: fileProtectionFor(step.host.platform, step.host.runCommand, step.env),
    profileName: config.profileName,
    material: config.material,
    ...(config.token ? { token: config.token } : {}),
    params: session.params,
    awsRegion: session.awsRegion,
    ...(config.endpoint ? { endpoint: config.endpoint } : {}),
    nodePath: step.nodePath,
    cliPath: step.cliPath,
    credentials: session.credentials,
    ...(config.httpProxy ? { proxy: config.httpProxy } : {}),
    ...(config.noProxy !== undefined ? { noProxy: config.noProxy } : {}),
    ...(session.chain ? { chain: session.chain, startCredentials: session.startCredentials } : {}),
    allowedAccountIds: session.allowedAccountIds,
    env: step.env,
    keepUserProfiles: true,
  });
  state.profileDirs.push(files.profileDir);
  state.configFile = files.configFile;
  state.profileName = config.profileName;
  step.saveState();
  // Without it every AWS client would still read the file the user had (and find no profile of ours).
  step.exportVariable('AWS_CONFIG_FILE', files.configFile);
  // The AWS SDK for JavaScript v2 reads AWS_CONFIG_FILE (credential_process included) only with this.
  step.exportVariable('AWS_SDK_LOAD_CONFIG', '1');
  if (files.credentials) step.exportVariable('AWS_SHARED_CREDENTIALS_FILE', files.credentials.file);
  for (const [what, found] of [
    ['config', files.userConfig],
    ['credentials', files.credentials],
  ] as const) {
    // The names are ours (validated profile names), never text from the user's file.
    for (const name of found?.replaced ?? []) {
      runner.warning(
        `aws-profile ${name} replaces the profile ${name} of ${found?.source} in this job (${what} file); choose another aws-profile to keep yours`,
      );
    }
  }
  // Said only when something was carried: a runner without ~/.aws/config has nothing to keep.
  const kept = files.userConfig?.text.trim() ? ` (with the sections of ${files.userConfig.source})` : '';
  runner.info(
    `Profile ${config.profileName} written to ${files.configFile}${kept}; it renews its credentials by itself.`,
  );
}
