/** The task: secure files in, masked credentials out as a credential_process profile or secret variables. */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createNodeTransport,
  credentialSecrets,
  iamraDir,
  type MaterialInput,
  neutralizeForLog,
  obtainSession,
  readFileOrFail,
  resolveSessionParameters,
  secretLines,
  sessionEndpoint,
  toIamraError,
  writeProfileFiles,
} from '@iamra/core';
import type { Agent } from './agent/agent.js';
import { agentProxy } from './agent/proxy.js';
import { MATERIAL_KINDS, type MaterialKind, readTaskInputs, SECRET_INPUTS, type TaskInputs } from './inputs.js';
import { downloadSecureFile } from './secure-files.js';
import { summaryMarkdown } from './summary.js';

/** The agent masks single lines only, so a multi-line secret is masked line by line. */
function mask(agent: Agent, value: string | undefined): void {
  if (!value) return;
  for (const line of secretLines(value)) agent.setSecret(line);
}

function tempDirectory(agent: Agent): string {
  const dir = agent.variable('Agent.TempDirectory');
  if (!dir) throw toIamraError(new Error('Agent.TempDirectory is not set'));
  return dir;
}

async function materialFiles(
  agent: Agent,
  inputs: TaskInputs,
  tempDir: string,
): Promise<Partial<Record<MaterialKind, Buffer>>> {
  const result: Partial<Record<MaterialKind, Buffer>> = {};
  const collectionUri = agent.variable('System.TeamFoundationCollectionUri') ?? '';
  const transport = createNodeTransport({ proxy: agentProxy(agent, collectionUri) });
  for (const kind of MATERIAL_KINDS) {
    const { secureFileId, path } = inputs.files[kind];
    let filePath = path;
    if (secureFileId) {
      filePath = await downloadSecureFile(secureFileId, `${kind}SecureFile`, {
        collectionUri,
        project: agent.variable('System.TeamProject') ?? '',
        accessToken: agent.endpointAuthParameter('SYSTEMVSSCONNECTION', 'AccessToken') ?? '',
        ticket: (id) => agent.secureFileTicket(id),
        name: (id) => agent.secureFileName(id),
        transport,
        sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
        dir: join(iamraDir(tempDir), 'secure-files'),
      });
    }
    if (filePath) result[kind] = readFileOrFail(filePath, readFileSync, `${kind} file`);
  }
  return result;
}

function cliPath(): string {
  // main/index.js -> cli/index.js in the task folder.
  return join(dirname(fileURLToPath(import.meta.url)), '..', 'cli', 'index.js');
}

/** Runs the step; returns the process exit code (the agent reads the result from task.complete). */
export async function runTask(agent: Agent): Promise<number> {
  try {
    // Mask first: passphrases and the agent's tokens before anything runs, key material once read.
    for (const name of SECRET_INPUTS) mask(agent, agent.input(name));
    for (const secret of agent.agentSecrets()) mask(agent, secret);
    const inputs = readTaskInputs((name) => agent.input(name));
    const tempDir = tempDirectory(agent);
    const files = await materialFiles(agent, inputs, tempDir);
    if (files.privateKey) mask(agent, files.privateKey.toString('utf8'));
    const material: MaterialInput = {
      ...(files.certificate ? { certificate: files.certificate } : {}),
      ...(files.privateKey ? { privateKey: files.privateKey } : {}),
      ...(files.certificateChain ? { intermediates: [files.certificateChain] } : {}),
      ...(files.pkcs12 ? { pkcs12: files.pkcs12 } : {}),
      ...(inputs.privateKeyPassphrase ? { privateKeyPassphrase: inputs.privateKeyPassphrase } : {}),
      ...(inputs.pkcs12Password ? { pkcs12Password: inputs.pkcs12Password } : {}),
    };
    // The bypass list is matched against the URL CreateSession will use.
    const proxy = agentProxy(agent, sessionEndpoint(resolveSessionParameters(inputs.session), inputs.endpoint));
    const session = await obtainSession(
      {
        material,
        session: inputs.session,
        ...(inputs.endpoint ? { endpoint: inputs.endpoint } : {}),
        proxy,
      },
      { now: () => new Date(), env: process.env },
    );
    const { credentials, params } = session;
    for (const secret of credentialSecrets(credentials)) agent.setSecret(secret);
    for (const warning of session.warnings) agent.warning(`${warning.code}: ${warning.message}`);

    if (inputs.outputMode !== 'environment') {
      const written = writeProfileFiles({
        tempDir,
        profileName: inputs.profileName,
        material,
        params,
        ...(inputs.endpoint ? { endpoint: inputs.endpoint } : {}),
        nodePath: process.execPath,
        cliPath: cliPath(),
        credentials,
        proxy,
      });
      agent.setVariable('AWS_CONFIG_FILE', written.configFile);
      agent.setVariable('AWS_PROFILE', inputs.profileName);
      agent.info(
        `Profile ${inputs.profileName} written to ${written.configFile}; it renews its credentials by itself.`,
      );
    }
    if (inputs.outputMode !== 'credentialProcess') {
      const secret = { secret: true };
      agent.setVariable('AWS_ACCESS_KEY_ID', credentials.accessKeyId, secret);
      agent.setVariable('AWS_SECRET_ACCESS_KEY', credentials.secretAccessKey, secret);
      agent.setVariable('AWS_SESSION_TOKEN', credentials.sessionToken, secret);
      agent.setVariable('AWS.AccessKeyID', credentials.accessKeyId, secret);
      agent.setVariable('AWS.SecretAccessKey', credentials.secretAccessKey, secret);
      agent.setVariable('AWS.SessionToken', credentials.sessionToken, secret);
    }
    agent.setVariable('AWS_REGION', params.region);
    agent.setVariable('AWS_DEFAULT_REGION', params.region);
    const output = { isOutput: true };
    agent.setVariable('AssumedRoleArn', credentials.assumedRoleArn, output);
    agent.setVariable('AccountId', credentials.accountId, output);
    agent.setVariable('Expiration', credentials.expiration.toISOString(), output);

    mkdirSync(iamraDir(tempDir), { recursive: true, mode: 0o700 });
    const summaryPath = join(iamraDir(tempDir), `summary-${inputs.profileName}.md`);
    writeFileSync(summaryPath, summaryMarkdown(session, inputs), { mode: 0o600 });
    agent.uploadSummary(summaryPath);
    // The ARN and the source identity come from the service's answer (the CN from the certificate).
    agent.info(
      `Assumed ${neutralizeForLog(credentials.assumedRoleArn)} as ${neutralizeForLog(credentials.sourceIdentity)} until ${credentials.expiration.toISOString()}.`,
    );
    agent.complete('Succeeded', 'IAM Roles Anywhere credentials configured');
    return 0;
  } catch (error) {
    agent.complete('Failed', toIamraError(error).toLine());
    return 1;
  }
}
