/**
 * What later steps get through GITHUB_ENV, by mode and output-env-credentials, with
 * aws-actions/configure-aws-credentials' semantics for that input:
 * - unset: env mode exports the credentials and the region; profile mode exports the profile
 *   (AWS_PROFILE) and the region, never static credentials that would shadow the renewing profile;
 * - false: no credentials, no AWS_PROFILE, no region (theirs too); a profile is still reachable
 *   by name (--profile) through AWS_CONFIG_FILE, which profile mode always exports;
 * - true: the credentials too, in profile mode as well (they do not renew, and clients that read
 *   the environment first use them rather than the profile).
 */
import { type AdapterSession, toEnvironment } from '@iamra/core';
import type { ActionConfig } from './inputs.js';
import { type ProfileStep, writeProfile } from './profile-mode.js';

export const CREDENTIAL_VARIABLES = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN'] as const;

export type LaterSteps = Omit<ProfileStep, 'config'> & { config: ActionConfig; session: AdapterSession };

export function exportForLaterSteps(step: LaterSteps): void {
  const { config, session, runner, exportVariable } = step;
  const credentialsToEnv = config.outputEnvCredentials ?? config.profileName === undefined;
  const profileAndRegion = config.outputEnvCredentials !== false;
  if (config.profileName) {
    writeProfile({ ...step, config: { ...config, profileName: config.profileName } });
    if (profileAndRegion) exportVariable('AWS_PROFILE', config.profileName);
    if (credentialsToEnv) {
      runner.info(
        'output-env-credentials: true also exports the credentials as variables: they do not renew, and AWS clients use them before AWS_PROFILE',
      );
    }
  }
  if (credentialsToEnv) {
    const variables = toEnvironment(session.credentials, session.awsRegion);
    for (const name of CREDENTIAL_VARIABLES) exportVariable(name, variables[name]);
  }
  if (profileAndRegion) {
    exportVariable('AWS_REGION', session.awsRegion);
    exportVariable('AWS_DEFAULT_REGION', session.awsRegion);
  }
}
