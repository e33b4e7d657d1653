/** The step's summary (task.uploadsummary): who we are now and until when; no secret. */
import { join } from 'node:path';
import {
  type AdapterSession,
  ensurePrivateDirectory,
  iamraDir,
  neutralizeForMarkdown,
  writePrivateFile,
} from '@iamra/core';
import type { TaskInputs } from './inputs.js';

export function summaryMarkdown(
  session: AdapterSession,
  inputs: Pick<TaskInputs, 'outputMode' | 'profileName'>,
): string {
  const { credentials, material } = session;
  // Text from the certificate or the service's answer is shown literally, never as Markdown.
  const shown = (text: string) => neutralizeForMarkdown(text);
  const profile = inputs.outputMode !== 'environment' ? ` (profile ${shown(inputs.profileName)})` : '';
  return [
    '### IAM Roles Anywhere credentials',
    '',
    '| | |',
    '|---|---|',
    `| Role | ${shown(credentials.assumedRoleArn)} |`,
    `| Account | ${shown(credentials.accountId)} |`,
    `| Source identity | ${shown(credentials.sourceIdentity)} |`,
    `| Certificate | ${shown(material.leaf.subject)}, serial ${material.leaf.serialHex}, expires ${material.leaf.notAfter.toISOString()} |`,
    `| Credentials expire | ${credentials.expiration.toISOString()} |`,
    `| Output | ${inputs.outputMode}${profile} |`,
    '',
  ].join('\n');
}

/** Written 0600 under the job's temp directory (removed by the post-job step); returns its path. */
export function writeSummary(
  tempDir: string,
  session: AdapterSession,
  inputs: Pick<TaskInputs, 'outputMode' | 'profileName'>,
): string {
  ensurePrivateDirectory(tempDir, iamraDir(tempDir));
  const path = join(iamraDir(tempDir), `summary-${inputs.profileName}.md`);
  writePrivateFile(path, summaryMarkdown(session, inputs));
  return path;
}
