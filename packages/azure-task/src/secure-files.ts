/**
 * Downloads a secure file the way the agent lets a task do it: the step's ticket for that file,
 * the job's SYSTEMVSSCONNECTION token, the securefiles REST route. Written 0600 under the job's
 * temp directory; the post-job step removes it.
 */
import { join } from 'node:path';
import {
  ensurePrivateDirectory,
  type FileProtection,
  IamraError,
  isIamraError,
  type Transport,
  writePrivateFile,
} from '@iamra/core';

export interface SecureFileContext {
  collectionUri: string;
  project: string;
  accessToken: string;
  ticket: (id: string) => string | undefined;
  name: (id: string) => string | undefined;
  transport: Transport;
  sleep: (ms: number) => Promise<void>;
  debug: (line: string) => void;
  dir: string;
  /** The job's temp directory under which `dir` is created, each level checked (no planted links). */
  root: string;
  /** Windows: an ACL on each directory and file before the key is written (see writePrivateFile). */
  protection?: FileProtection | undefined;
}

const ATTEMPTS = 4;

export function secureFileUrl(collectionUri: string, project: string, id: string, ticket: string): string {
  const base = collectionUri.endsWith('/') ? collectionUri : `${collectionUri}/`;
  return `${base}${encodeURIComponent(project)}/_apis/distributedtask/securefiles/${encodeURIComponent(id)}?ticket=${encodeURIComponent(ticket)}&download=true&api-version=5.0-preview.1`;
}

/**
 * A certificate, key or PKCS#12 file is PEM text or DER (an ASN.1 SEQUENCE, first byte 0x30).
 * A sign-in page or a JSON error served with HTTP 200 (an expired ticket) is neither.
 */
export function looksLikeMaterial(bytes: Buffer, contentType: string | undefined): boolean {
  if (/^(text\/html|application\/json)/i.test(contentType ?? '')) return false;
  if (bytes[0] === 0x30) return true;
  return bytes.includes('-----BEGIN ');
}

function safeName(text: string): string {
  return text.replace(/[^\w.-]/g, '_');
}

function write(context: SecureFileContext, id: string, bytes: Buffer): string {
  ensurePrivateDirectory(context.root, context.dir, context.protection);
  const path = join(context.dir, `${safeName(id)}-${safeName(context.name(id) ?? 'file')}`);
  writePrivateFile(path, bytes, context.protection);
  return path;
}

function checkCanDownload(id: string, input: string, context: SecureFileContext): string {
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
  return ticket;
}

export async function downloadSecureFile(id: string, input: string, context: SecureFileContext): Promise<string> {
  const url = secureFileUrl(context.collectionUri, context.project, id, checkCanDownload(id, input, context));
  const shown = context.name(id) ?? id;
  let failure = '';
  for (let attempt = 1; attempt <= ATTEMPTS; attempt += 1) {
    try {
      context.debug(`secure file ${id}: download attempt ${attempt}`);
      const response = await context.transport({
        method: 'GET',
        url,
        headers: { Authorization: `Bearer ${context.accessToken}`, Accept: 'application/octet-stream' },
        body: '',
        timeoutMs: 30_000,
      });
      if (response.status === 200) {
        const bytes = response.bytes ?? Buffer.from(response.body);
        if (!looksLikeMaterial(bytes, response.headers['content-type'])) {
          throw new IamraError(
            'FILE_UNREADABLE',
            `input ${input}: the service answered the download of secure file ${shown} with a page that is not a certificate or key (JSON or HTML); re-run the job (the download ticket may have expired) and check that ${shown} holds PEM or DER`,
          );
        }
        return write(context, id, bytes);
      }
      failure = `HTTP ${response.status}`;
      if (response.status < 500 && response.status !== 429) break;
    } catch (error) {
      // A TLS trust failure or a refused page does not heal by retrying: say so now.
      if (!isIamraError(error) || error.category !== 'transient') throw error;
      failure = error.message;
    }
    if (attempt < ATTEMPTS) await context.sleep(500 * 2 ** (attempt - 1));
  }
  throw new IamraError(
    'FILE_UNREADABLE',
    `input ${input}: could not download secure file ${shown} (${failure}); check that the pipeline is authorized to use it`,
  );
}
