/** The task: key material in, masked credentials out as a credential_process profile or secret variables. */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type AdapterSession,
  createNodeTransport,
  credentialSecrets,
  currentHost,
  fileProtectionFor,
  type Host,
  neutralizeForLog,
  obtainSession,
  type ProfileFiles,
  readTlsFiles,
  resolveSessionParameters,
  sessionEndpoint,
  type TlsFiles,
  toIamraError,
  writeProfileFiles,
} from '@iamra/core';
import type { Agent } from './agent/agent.js';
import { AGENT_CLIENT_CERT_HINT, AGENT_TRUST_HINT, agentTlsFiles } from './agent/certificates.js';
import { agentProxy } from './agent/proxy.js';
import { readTaskInputs, type TaskInputs } from './inputs.js';
import { loadTaskMaterial } from './material.js';
import { writeSummary } from './summary.js';

function tempDirectory(agent: Agent): string {
  const dir = agent.variable('Agent.TempDirectory');
  if (!dir) throw toIamraError(new Error('Agent.TempDirectory is not set'));
  return dir;
}

function cliPath(): string {
  // main/index.js -> cli/index.js in the task folder.
  return join(dirname(fileURLToPath(import.meta.url)), '..', 'cli', 'index.js');
}

/** The agent's TLS settings as transport options (TLS trust failures then name Agent.CAInfo). */
function tlsOptions(tlsFiles: TlsFiles) {
  return {
    tls: readTlsFiles(tlsFiles),
    trustHint: AGENT_TRUST_HINT,
    clientCertificateHint: AGENT_CLIENT_CERT_HINT,
    ...(tlsFiles.rejectUnauthorized === false ? { rejectUnauthorized: false } : {}),
  };
}

function describeTls(tlsFiles: TlsFiles): string {
  const parts = [
    tlsFiles.caFile ? `CA ${tlsFiles.caFile}` : '',
    tlsFiles.certFile ? `client certificate ${tlsFiles.certFile}` : '',
    tlsFiles.pfxFile ? `client certificate archive ${tlsFiles.pfxFile}` : '',
    tlsFiles.rejectUnauthorized === false ? 'certificate validation skipped' : '',
  ].filter(Boolean);
  return parts.length ? parts.join(', ') : 'defaults';
}

/** Where later steps find the credentials: a profile, secret variables, or both. */
/**
 * The job's config carries the user's own profiles (a self-hosted agent's ~/.aws/config), so a
 * later `aws --profile mine` still works; says which file was carried and which profile ours replaced.
 */
function reportUserProfiles(agent: Agent, profileName: string, profile: ProfileFiles): void {
  for (const [what, found] of [
    ['config', profile.userConfig],
    ['credentials', profile.credentials],
  ] as const) {
    // The names are ours (validated profile names), never text from the user's file.
    for (const name of found?.replaced ?? []) {
      agent.warning(
        `profileName ${name} replaces the profile ${name} of ${found?.source} in this job (${what} file); choose another profileName to keep yours`,
      );
    }
  }
  const kept = profile.userConfig?.text.trim() ? ` (with the sections of ${profile.userConfig.source})` : '';
  agent.info(`Profile ${profileName} written to ${profile.configFile}${kept}; it renews its credentials by itself.`);
}

function exportCredentials(agent: Agent, inputs: TaskInputs, session: AdapterSession, profile?: ProfileFiles): void {
  const { credentials } = session;
  if (profile) {
    const { configFile } = profile;
    agent.setVariable('AWS_CONFIG_FILE', configFile);
    agent.setVariable('AWS_PROFILE', inputs.profileName);
    // The AWS SDK for JavaScript v2 (the AWS Toolkit's tasks) reads AWS_CONFIG_FILE only with this.
    agent.setVariable('AWS_SDK_LOAD_CONFIG', '1');
    if (profile.credentials) agent.setVariable('AWS_SHARED_CREDENTIALS_FILE', profile.credentials.file);
    reportUserProfiles(agent, inputs.profileName, profile);
  }
  if (inputs.outputMode !== 'credentialProcess') {
    const secret = { secret: true };
    agent.setVariable('AWS_ACCESS_KEY_ID', credentials.accessKeyId, secret);
    agent.setVariable('AWS_SECRET_ACCESS_KEY', credentials.secretAccessKey, secret);
    agent.setVariable('AWS_SESSION_TOKEN', credentials.sessionToken, secret);
    // The AWS Toolkit for Azure DevOps reads these when a task has no service connection.
    agent.setVariable('AWS.AccessKeyID', credentials.accessKeyId, secret);
    agent.setVariable('AWS.SecretAccessKey', credentials.secretAccessKey, secret);
    agent.setVariable('AWS.SessionToken', credentials.sessionToken, secret);
  }
  // awsRegion (default: the trust anchor's) is only what later steps get.
  agent.setVariable('AWS_REGION', session.awsRegion);
  agent.setVariable('AWS_DEFAULT_REGION', session.awsRegion);
  const output = { isOutput: true };
  agent.setVariable('AssumedRoleArn', credentials.assumedRoleArn, output);
  agent.setVariable('AccountId', credentials.accountId, output);
  agent.setVariable('Expiration', credentials.expiration.toISOString(), output);
}

async function run(agent: Agent, host: Host): Promise<void> {
  const inputs = readTaskInputs(
    (name) => agent.input(name),
    (id) => (name) => agent.connectionParameter(id, name),
    (name) => agent.variable(name),
    process.env,
  );
  const tempDir = tempDirectory(agent);
  const tlsFiles = agentTlsFiles(agent);
  agent.debug(`agent TLS settings: ${describeTls(tlsFiles)}`);
  const tls = tlsOptions(tlsFiles);
  const collectionUri = agent.variable('System.TeamFoundationCollectionUri') ?? '';
  const fileTransport = createNodeTransport({ ...tls, proxy: agentProxy(agent, collectionUri) });
  // Windows: key files (secure files, the profile's) get an ACL for this account only.
  const protection = fileProtectionFor(host.platform, host.runCommand, process.env);
  const material = await loadTaskMaterial(agent, inputs, tempDir, fileTransport, protection);
  // The bypass list is matched against the URL CreateSession will use.
  const endpoint = sessionEndpoint(resolveSessionParameters(inputs.session), inputs.endpoint);
  const proxy = agentProxy(agent, endpoint);
  agent.debug(
    `CreateSession at ${endpoint} (proxy: ${proxy === 'env' || proxy === 'none' ? proxy : 'the agent proxy'})`,
  );
  const session = await obtainSession(
    {
      material,
      ...(inputs.token ? { token: inputs.token } : {}),
      session: inputs.session,
      ...(inputs.awsRegion ? { awsRegion: inputs.awsRegion } : {}),
      ...(inputs.endpoint ? { endpoint: inputs.endpoint } : {}),
      proxy,
      ...tls,
      ...(inputs.allowedAccountIds ? { allowedAccountIds: inputs.allowedAccountIds } : {}),
      assumeRoles: inputs.chain.assumeRoles,
      ...(inputs.chain.stsEndpoint ? { stsEndpoint: inputs.chain.stsEndpoint } : {}),
      // Steps writing one profile per account share the first one's Roles Anywhere session.
      jobSession: { tempDir, tlsFiles },
    },
    { now: () => new Date(), env: process.env },
  );
  const { credentials } = session;
  for (const secret of credentialSecrets(credentials)) agent.setSecret(secret);
  for (const warning of session.warnings) agent.warning(`${warning.code}: ${warning.message}`);

  let profile: ProfileFiles | undefined;
  if (inputs.outputMode !== 'environment') {
    profile = writeProfileFiles({
      tempDir,
      platform: host.platform,
      fileProtection: protection,
      profileName: inputs.profileName,
      material,
      ...(inputs.token ? { token: inputs.token } : {}),
      params: session.params,
      awsRegion: session.awsRegion,
      ...(inputs.endpoint ? { endpoint: inputs.endpoint } : {}),
      nodePath: process.execPath,
      cliPath: cliPath(),
      credentials,
      proxy,
      tlsFiles,
      ...(session.chain ? { chain: session.chain, startCredentials: session.startCredentials } : {}),
      allowedAccountIds: session.allowedAccountIds,
      env: process.env,
      keepUserProfiles: true,
    });
  }
  exportCredentials(agent, inputs, session, profile);
  agent.uploadSummary(writeSummary(tempDir, session, inputs));
  // The ARN and the source identity come from the service's answer (the CN from the certificate).
  agent.info(
    `Assumed ${neutralizeForLog(credentials.assumedRoleArn)} as ${neutralizeForLog(credentials.sourceIdentity)} until ${credentials.expiration.toISOString()}.`,
  );
}

/** Runs the step; the result travels in task.complete (one error issue on failure). */
export async function runTask(agent: Agent, host: Host = currentHost()): Promise<void> {
  try {
    await run(agent, host);
    agent.complete('Succeeded', 'IAM Roles Anywhere credentials configured');
  } catch (error) {
    agent.complete('Failed', toIamraError(error).toLine());
  }
}
