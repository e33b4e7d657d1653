/** The action's main step: mask, check, CreateSession, then export as env vars or a profile. */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type AdapterSession,
  credentialSecrets,
  currentHost,
  type Host,
  neutralizeForLog,
  obtainSession,
  secretLines,
  toIamraError,
} from '@iamra/core';
import { parseActionTimeout, type StartTimer, startTimer, withinActionTimeout } from './action-timeout.js';
import { type ActionConfig, readActionConfig, secretInputs } from './inputs.js';
import { CREDENTIAL_VARIABLES, exportForLaterSteps } from './later-steps.js';
import { loadedPkcs12Secrets, loadedSecrets } from './loaded-secrets.js';
import { Runner } from './runner/commands.js';
import { type SavedState, STATE } from './state.js';
import { summaryMarkdown } from './summary.js';

export interface MainDeps {
  /** The CLI a profile runs: dist/cli/index.js next to this bundle (tests run the sources'). */
  cliPath: string;
  /** The machine (platform, command runner) read once at the entry: Windows gets ACLs and its quoting. */
  host: Host;
  /** action-timeout-s's timer. */
  startTimer: StartTimer;
}

function bundledCliPath(): string {
  // dist/main/index.js -> dist/cli/index.js, both committed.
  return join(dirname(fileURLToPath(import.meta.url)), '..', 'cli', 'index.js');
}

function requestSession(config: ActionConfig, env: NodeJS.ProcessEnv, signal: AbortSignal): Promise<AdapterSession> {
  return obtainSession(
    {
      material: config.material,
      ...(config.token ? { token: config.token } : {}),
      session: config.session,
      ...(config.awsRegion ? { awsRegion: config.awsRegion } : {}),
      ...(config.endpoint ? { endpoint: config.endpoint } : {}),
      ...(config.retryMaxAttempts ? { retryMaxAttempts: config.retryMaxAttempts } : {}),
      ...(config.httpProxy ? { proxy: config.httpProxy } : {}),
      ...(config.noProxy !== undefined ? { noProxy: config.noProxy } : {}),
      ...(config.allowedAccountIds ? { allowedAccountIds: config.allowedAccountIds } : {}),
      assumeRoles: config.chain.assumeRoles,
      ...(config.chain.stsEndpoint ? { stsEndpoint: config.chain.stsEndpoint } : {}),
      // Steps writing one profile per account share the first one's Roles Anywhere session.
      ...(env.RUNNER_TEMP ? { jobSession: { tempDir: env.RUNNER_TEMP } } : {}),
    },
    { now: () => new Date(), env, signal },
  );
}

function setOutputs(runner: Runner, config: ActionConfig, session: AdapterSession): void {
  const { credentials, material } = session;
  runner.setOutput('aws-account-id', credentials.accountId);
  runner.setOutput('assumed-role-arn', credentials.assumedRoleArn);
  // configure-aws-credentials' name for the same value.
  runner.setOutput('authenticated-arn', credentials.assumedRoleArn);
  runner.setOutput('source-identity', credentials.sourceIdentity);
  runner.setOutput('aws-expiration', credentials.expiration.toISOString());
  runner.setOutput('certificate-serial', material.leaf.serialHex);
  runner.setOutput('certificate-not-after', material.leaf.notAfter.toISOString());
  if (config.outputCredentials) {
    runner.setOutput('aws-access-key-id', credentials.accessKeyId);
    runner.setOutput('aws-secret-access-key', credentials.secretAccessKey);
    runner.setOutput('aws-session-token', credentials.sessionToken);
  }
}

async function configure(
  runner: Runner,
  config: ActionConfig,
  env: NodeJS.ProcessEnv,
  deps: MainDeps,
  signal: AbortSignal,
): Promise<void> {
  const state: SavedState = { profileDirs: [], configFile: '', profileName: '', exported: [] };
  const saveState = () => runner.saveState(STATE, JSON.stringify(state));
  saveState();
  const session = await requestSession(config, env, signal);
  // Past action-timeout-s the step has failed already: nothing may be exported after that.
  signal.throwIfAborted();
  // Only once the session is ours and allowed: a refused step leaves the job's variables as they were.
  if (config.unsetCurrentCredentials) {
    for (const name of [...CREDENTIAL_VARIABLES, 'AWS_PROFILE']) runner.exportVariable(name, '');
  }
  const { credentials } = session;
  for (const secret of credentialSecrets(credentials)) runner.mask(secret);
  if (config.maskAccountId) runner.mask(credentials.accountId);
  for (const warning of session.warnings) runner.warning(`${warning.code}: ${warning.message}`);

  const exportVariable = (name: string, value: string) => {
    runner.exportVariable(name, value);
    if (!state.exported.includes(name)) state.exported.push(name);
  };
  exportForLaterSteps({
    runner,
    config,
    session,
    env,
    state,
    saveState,
    exportVariable,
    nodePath: process.execPath,
    cliPath: deps.cliPath,
    host: deps.host,
  });
  // The bundled CLI (dist/cli/iamra) for later steps: `iamra read-certificate-data`, credential_process.
  runner.addPath(dirname(deps.cliPath));
  saveState();
  setOutputs(runner, config, session);
  const accountShown = config.maskAccountId ? '***' : credentials.accountId;
  runner.appendSummary(summaryMarkdown(session, accountShown, config.profileName));
  // The ARN and the source identity come from the service's answer (the CN from the certificate).
  const started = session.attempts === 0 ? "from the job's Roles Anywhere session" : `${session.attempts} attempt(s)`;
  runner.info(
    `Assumed ${neutralizeForLog(credentials.assumedRoleArn)} as ${neutralizeForLog(credentials.sourceIdentity)} until ${credentials.expiration.toISOString()} (${started}).`,
  );
}

export async function runMain(
  env: NodeJS.ProcessEnv,
  stdout: { write(text: string): unknown },
  deps: Partial<MainDeps> = {},
): Promise<number> {
  const runner = new Runner({ env, stdout });
  try {
    // Mask first: every line of every secret input, before anything can echo it.
    for (const secret of secretInputs(runner, env)) for (const line of secretLines(secret)) runner.mask(line);
    // Then one bound on all the rest (configure-aws-credentials' action-timeout-s).
    const timeout = parseActionTimeout(runner.input('action-timeout-s'));
    const all: MainDeps = {
      cliPath: deps.cliPath ?? bundledCliPath(),
      startTimer: deps.startTimer ?? startTimer,
      host: deps.host ?? currentHost(),
    };
    await withinActionTimeout(timeout, all.startTimer, async (signal) => {
      const config = readActionConfig(runner, env);
      // Then what a path or base64 input loaded (the key as read and decoded), still before any other output.
      for (const line of loadedSecrets(config.material)) runner.mask(line);
      for (const line of await loadedPkcs12Secrets(config.material)) runner.mask(line);
      signal.throwIfAborted();
      await configure(runner, config, env, all, signal);
    });
    return 0;
  } catch (error) {
    runner.error(toIamraError(error).toLine());
    return 1;
  }
}
