/** The job summary: who we are now and until when; no secret. */
import type { AdapterSession } from '@iamra/core';

export function summaryMarkdown(
  session: AdapterSession,
  accountShown: string,
  profileName: string | undefined,
): string {
  const { credentials, material } = session;
  const rows: [string, string][] = [
    ['Role', credentials.roleArn || session.params.roleArn],
    ['Account', accountShown],
    ['Source identity', credentials.sourceIdentity],
    ['Certificate subject', material.leaf.subject],
    ['Certificate serial', material.leaf.serialHex],
    ['Certificate expires', material.leaf.notAfter.toISOString()],
    ['Credentials expire', credentials.expiration.toISOString()],
    ['Mode', profileName ? `profile \`${profileName}\` (credential_process, renews itself)` : 'environment variables'],
  ];
  const escapeCell = (text: string) => text.replace(/\|/g, '\\|');
  return `### IAM Roles Anywhere credentials\n\n| | |\n|---|---|\n${rows
    .map(([name, value]) => `| ${name} | ${escapeCell(value)} |`)
    .join('\n')}\n\n`;
}
