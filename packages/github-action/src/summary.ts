/** The job summary: who we are now and until when; no secret. */
import { type AdapterSession, neutralizeForMarkdown } from '@iamra/core';

export function summaryMarkdown(
  session: AdapterSession,
  accountShown: string,
  profileName: string | undefined,
): string {
  const { credentials, material } = session;
  // Text from the certificate or the service's answer is shown literally, never as Markdown.
  const shown = (text: string) => neutralizeForMarkdown(text);
  const rows: [string, string][] = [
    ['Role', shown(credentials.roleArn || session.params.roleArn)],
    ['Account', shown(accountShown)],
    ['Source identity', shown(credentials.sourceIdentity)],
    ['Certificate subject', shown(material.leaf.subject)],
    ['Certificate serial', material.leaf.serialHex],
    ['Certificate expires', material.leaf.notAfter.toISOString()],
    ['Credentials expire', credentials.expiration.toISOString()],
    ['Mode', profileName ? `profile \`${profileName}\` (credential_process, renews itself)` : 'environment variables'],
  ];
  return `### IAM Roles Anywhere credentials\n\n| | |\n|---|---|\n${rows
    .map(([name, value]) => `| ${name} | ${value} |`)
    .join('\n')}\n\n`;
}
