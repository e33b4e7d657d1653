/** The step's key material: secure files downloaded through the agent, or files on the agent. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type FileProtection, iamraDir, type MaterialInput, readFileOrFail, type Transport } from '@iamra/core';
import type { Agent } from './agent/agent.js';
import { MATERIAL_KINDS, type MaterialKind, type TaskInputs } from './inputs.js';
import { downloadSecureFile } from './secure-files.js';

async function materialFiles(
  agent: Agent,
  inputs: TaskInputs,
  tempDir: string,
  transport: Transport,
  protection: FileProtection | undefined,
): Promise<Partial<Record<MaterialKind, Buffer>>> {
  const result: Partial<Record<MaterialKind, Buffer>> = {};
  for (const kind of MATERIAL_KINDS) {
    const { secureFileId, path } = inputs.files[kind];
    let filePath = path;
    if (secureFileId) {
      filePath = await downloadSecureFile(secureFileId, `${kind}SecureFile`, {
        collectionUri: agent.variable('System.TeamFoundationCollectionUri') ?? '',
        project: agent.variable('System.TeamProject') ?? '',
        accessToken: agent.endpointAuthParameter('SYSTEMVSSCONNECTION', 'AccessToken') ?? '',
        ticket: (id) => agent.secureFileTicket(id),
        name: (id) => agent.secureFileName(id),
        transport,
        sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
        debug: (line) => agent.debug(line),
        dir: join(iamraDir(tempDir), 'secure-files'),
        root: tempDir,
        protection,
      });
    }
    if (filePath) result[kind] = readFileOrFail(filePath, readFileSync, `${kind} file`);
  }
  return result;
}

/** Key material from a service connection stays in memory; a profile writes it as it writes files. */
function connectionMaterial(agent: Agent, connection: NonNullable<TaskInputs['connection']>): MaterialInput {
  agent.setSecret(connection.privateKey);
  return {
    certificate: Buffer.from(connection.certificate),
    privateKey: Buffer.from(connection.privateKey),
    ...(connection.passphrase ? { privateKeyPassphrase: connection.passphrase } : {}),
  };
}

/** Reads (or downloads) the material and masks the key before anything else can print it. */
export async function loadTaskMaterial(
  agent: Agent,
  inputs: TaskInputs,
  tempDir: string,
  transport: Transport,
  protection?: FileProtection,
): Promise<MaterialInput> {
  if (inputs.connection) return connectionMaterial(agent, inputs.connection);
  const files = await materialFiles(agent, inputs, tempDir, transport, protection);
  if (files.privateKey) agent.setSecret(files.privateKey.toString('utf8'));
  return {
    ...(files.certificate ? { certificate: files.certificate } : {}),
    ...(files.privateKey ? { privateKey: files.privateKey } : {}),
    ...(files.certificateChain ? { intermediates: [files.certificateChain] } : {}),
    ...(files.pkcs12 ? { pkcs12: files.pkcs12 } : {}),
    ...(inputs.privateKeyPassphrase ? { privateKeyPassphrase: inputs.privateKeyPassphrase } : {}),
    ...(inputs.pkcs12Password ? { pkcs12Password: inputs.pkcs12Password } : {}),
  };
}
