/**
 * Downloads a secure file the way the agent lets a task do it: the step's ticket for that file,
 * the job's SYSTEMVSSCONNECTION token, the securefiles REST route. Written 0600 under the job's
 * temp directory; the post-job step removes it.
 */
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { IamraError, type Transport } from '@iamra/core';

export interface SecureFileContext {
  collectionUri: string;
  project: string;
  accessToken: string;
  ticket: (id: string) => string | undefined;
  name: (id: string) => string | undefined;
  transport: Transport;
  sleep: (ms: number) => Promise<void>;
  dir: string;
}

const ATTEMPTS = 4;

export function secureFileUrl(collectionUri: string, project: string, id: string, ticket: string): string {
  const base = collectionUri.endsWith('/') ? collectionUri : `${collectionUri}/`;
  return `${base}${encodeURIComponent(project)}/_apis/distributedtask/securefiles/${encodeURIComponent(id)}?ticket=${encodeURIComponent(ticket)}&download=true&api-version=5.0-preview.1`;
}

export async function downloadSecureFile(id: string, input: string, context: SecureFileContext): Promise<string> {
  const ticket = context.ticket(id);
  if (!ticket) {
    throw new IamraError(
      'CONFIG_INVALID',
      `input ${input}: no download ticket for secure file ${id}; name the secure file in this task's input (not a runtime variable) and authorize the pipeline to use it`,
    );
  }
  if (!context.accessToken) {
    throw new IamraError(
      'CONFIG_INVALID',
      'the job has no SYSTEMVSSCONNECTION access token; allow scripts to access the OAuth token',
    );
  }
  const url = secureFileUrl(context.collectionUri, context.project, id, ticket);
  let failure = '';
  for (let attempt = 1; attempt <= ATTEMPTS; attempt += 1) {
    try {
      const response = await context.transport({
        method: 'GET',
        url,
        headers: { Authorization: `Bearer ${context.accessToken}`, Accept: 'application/octet-stream' },
        body: '',
        timeoutMs: 30_000,
      });
      if (response.status === 200) {
        mkdirSync(context.dir, { recursive: true, mode: 0o700 });
        const path = join(
          context.dir,
          `${id.replace(/[^\w.-]/g, '_')}-${(context.name(id) ?? 'file').replace(/[^\w.-]/g, '_')}`,
        );
        writeFileSync(path, response.bytes ?? Buffer.from(response.body), { mode: 0o600 });
        chmodSync(path, 0o600);
        return path;
      }
      failure = `HTTP ${response.status}`;
      if (response.status < 500 && response.status !== 429) break;
    } catch (error) {
      failure = error instanceof IamraError ? error.message : 'network error';
    }
    if (attempt < ATTEMPTS) await context.sleep(500 * 2 ** (attempt - 1));
  }
  throw new IamraError(
    'FILE_UNREADABLE',
    `input ${input}: could not download secure file ${context.name(id) ?? id} (${failure}); check that the pipeline is authorized to use it`,
  );
}
