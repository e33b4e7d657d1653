/**
 * What a session from this certificate carries, with a profile's default attribute mapping:
 * the source identity (the subject's CN) and principal tags x509Subject/RDN, x509Issuer/RDN and
 * the first x509SAN/DNS, x509SAN/URI and x509SAN/Name. A profile's own mapping can carry fewer.
 */
import type { ParsedCertificate } from '@iamra/core';

const RDNS = new Set(['CN', 'OU', 'O', 'L', 'ST', 'C']);

/** RFC 4514 escapes undone: `\XX` hex runs are UTF-8 bytes, `\c` is `c`. The caller neutralises. */
function unescapeValue(value: string): string {
  return value
    .replace(/(?:\\[0-9A-Fa-f]{2})+/g, (run) => Buffer.from(run.replace(/\\/g, ''), 'hex').toString('utf8'))
    .replace(/\\(.)/g, '$1');
}

/** Node's "CN=a\nO=b" (values RFC 4514 escaped) as [attribute, value] pairs. */
function relativeNames(text: string): [string, string][] {
  return text
    .split('\n')
    .filter(Boolean)
    .map((part) => {
      const at = part.indexOf('=');
      return [part.slice(0, at), unescapeValue(part.slice(at + 1))] as [string, string];
    });
}

function firstSan(certificate: ParsedCertificate, kind: string): string | undefined {
  const san = certificate.x509.subjectAltName ?? '';
  const entry = san.split(/,\s*/).find((part) => part.startsWith(`${kind}:`));
  return entry?.slice(kind.length + 1);
}

export interface SessionIdentity {
  sourceIdentity: string | undefined;
  tags: [string, string][];
}

export function sessionIdentityOf(leaf: ParsedCertificate): SessionIdentity {
  const tags: [string, string][] = [];
  for (const [field, text] of [
    ['x509Subject', leaf.x509.subject],
    ['x509Issuer', leaf.x509.issuer],
  ] as const) {
    const seen = new Set<string>();
    for (const [name, value] of relativeNames(text)) {
      // The first of a repeated attribute, as the service maps one value per key.
      if (RDNS.has(name) && !seen.has(name)) tags.push([`${field}/${name}`, value]);
      seen.add(name);
    }
  }
  for (const [kind, tag] of [
    ['DNS', 'DNS'],
    ['URI', 'URI'],
    ['DirName', 'Name'],
  ] as const) {
    const value = firstSan(leaf, kind);
    if (value !== undefined) tags.push([`x509SAN/${tag}`, value]);
  }
  return { sourceIdentity: leaf.commonName === undefined ? undefined : `CN=${leaf.commonName}`, tags };
}
