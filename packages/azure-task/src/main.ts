/** The task: secure files in, masked credentials out as a credential_process profile or secret variables. */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createNodeTransport,
  credentialSecrets,
  iamraDir,
  type MaterialInput,
  obtainSession,
  readFileOrFail,
  secretLines,
  toIamraError,
  writeProfileFiles,
} from '@iamra/core';
import * as tl from 'azure-pipelines-task-lib/task.js';
import { MATERIAL_KINDS, type MaterialKind, readTaskInputs, type TaskInputs } from './inputs.js';
import { downloadSecureFile } from './secure-files.js';

/** The agent masks single lines only (task-lib refuses multi-line secrets), so line by line. */
function mask(value: string | undefined): void {
  if (!value) return;
  for (const line of secretLines(value)) if (!line.includes('\n')) tl.setSecret(line);
}

function tempDirectory(): string {
  const dir = tl.getVariable('Agent.TempDirectory');
  if (!dir) throw toIamraError(new Error('Agent.TempDirectory is not set'));
  return dir;
}

async function materialFiles(inputs: TaskInputs, tempDir: string): Promise<Partial<Record<MaterialKind, Buffer>>> {
  const result: Partial<Record<MaterialKind, Buffer>> = {};
  const transport = createNodeTransport();
  for (const kind of MATERIAL_KINDS) {
    const { secureFileId, path } = inputs.files[kind];
    let filePath = path;
    if (secureFileId) {
      filePath = await downloadSecureFile(secureFileId, `${kind}SecureFile`, {
        collectionUri: tl.getVariable('System.TeamFoundationCollectionUri') ?? '',
        project: tl.getVariable('System.TeamProject') ?? '',
        accessToken: tl.getEndpointAuthorizationParameter('SYSTEMVSSCONNECTION', 'AccessToken', true) ?? '',
        ticket: (id) => tl.getSecureFileTicket(id),
        name: (id) => tl.getSecureFileName(id),
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

export async function runTask(): Promise<void> {
  try {
    // Passphrases were masked by main-entry before task-lib loaded; key material is masked as soon as it is read.
    const inputs = readTaskInputs((name) => tl.getInput(name) ?? undefined);
    const tempDir = tempDirectory();
    const files = await materialFiles(inputs, tempDir);
    if (files.privateKey) mask(files.privateKey.toString('utf8'));
    const material: MaterialInput = {
      ...(files.certificate ? { certificate: files.certificate } : {}),
      ...(files.privateKey ? { privateKey: files.privateKey } : {}),
      ...(files.certificateChain ? { intermediates: [files.certificateChain] } : {}),
      ...(files.pkcs12 ? { pkcs12: files.pkcs12 } : {}),
      ...(inputs.privateKeyPassphrase ? { privateKeyPassphrase: inputs.privateKeyPassphrase } : {}),
      ...(inputs.pkcs12Password ? { pkcs12Password: inputs.pkcs12Password } : {}),
    };
    const session = await obtainSession(
      { material, session: inputs.session, ...(inputs.endpoint ? { endpoint: inputs.endpoint } : {}) },
      { now: () => new Date(), env: process.env },
    );
    const { credentials, params } = session;
    for (const secret of credentialSecrets(credentials)) tl.setSecret(secret);
    for (const warning of session.warnings) tl.warning(`${warning.code}: ${warning.message}`);

    if (inputs.outputMode !== 'environment') {
      const written = writeProfileFiles({
        tempDir,
        profileName: inputs.profileName,
        material,
        params,
        ...(inputs.endpoint ? { endpoint: inputs.endpoint } : {}),
        nodePath: process.execPath,
        cliPath: cliPath(),
      });
      tl.setVariable('AWS_CONFIG_FILE', written.configFile);
      tl.setVariable('AWS_PROFILE', inputs.profileName);
      console.log(
        `Profile ${inputs.profileName} written to ${written.configFile}; it renews its credentials by itself.`,
      );
    }
    if (inputs.outputMode !== 'credentialProcess') {
      tl.setVariable('AWS_ACCESS_KEY_ID', credentials.accessKeyId, true);
      tl.setVariable('AWS_SECRET_ACCESS_KEY', credentials.secretAccessKey, true);
      tl.setVariable('AWS_SESSION_TOKEN', credentials.sessionToken, true);
      tl.setVariable('AWS.AccessKeyID', credentials.accessKeyId, true);
      tl.setVariable('AWS.SecretAccessKey', credentials.secretAccessKey, true);
      tl.setVariable('AWS.SessionToken', credentials.sessionToken, true);
    }
    tl.setVariable('AWS_REGION', params.region);
    tl.setVariable('AWS_DEFAULT_REGION', params.region);
    tl.setVariable('AssumedRoleArn', credentials.assumedRoleArn, false, true);
    tl.setVariable('AccountId', credentials.accountId, false, true);
    tl.setVariable('Expiration', credentials.expiration.toISOString(), false, true);

    mkdirSync(iamraDir(tempDir), { recursive: true, mode: 0o700 });
    const summaryPath = join(iamraDir(tempDir), `summary-${inputs.profileName}.md`);
    writeFileSync(
      summaryPath,
      [
        '### IAM Roles Anywhere credentials',
        '',
        '| | |',
        '|---|---|',
        `| Role | ${credentials.assumedRoleArn} |`,
        `| Account | ${credentials.accountId} |`,
        `| Source identity | ${credentials.sourceIdentity} |`,
        `| Certificate | ${session.material.leaf.subject}, serial ${session.material.leaf.serialHex}, expires ${session.material.leaf.notAfter.toISOString()} |`,
        `| Credentials expire | ${credentials.expiration.toISOString()} |`,
        `| Output | ${inputs.outputMode}${inputs.outputMode !== 'environment' ? ` (profile ${inputs.profileName})` : ''} |`,
        '',
      ].join('\n'),
      { mode: 0o600 },
    );
    tl.uploadSummary(summaryPath);
    console.log(
      `Assumed ${credentials.assumedRoleArn} as ${credentials.sourceIdentity} until ${credentials.expiration.toISOString()}.`,
    );
    tl.setResult(tl.TaskResult.Succeeded, 'IAM Roles Anywhere credentials configured');
  } catch (error) {
    tl.setResult(tl.TaskResult.Failed, toIamraError(error).toLine());
  }
}
