/**
 * `iamra doctor`: before asking "why was I denied?", check what the service will check and show
 * what the session will carry: the path from the certificate to the trust anchor's CA, expiry,
 * the source identity and the principal tags to write trust policy conditions with. Reads no
 * key and calls nothing. Every certificate text is neutralised before it is printed.
 */
import { readFileSync } from 'node:fs';
import {
  IamraError,
  mlDsaUnsupported,
  neutralizeForLog,
  type ParsedCertificate,
  parseCertificateList,
  readFileOrFail,
} from '@iamra/core';
import { type FlagSpecs, first, parseFlags, renderHelp } from '../args.js';
import { sessionIdentityOf } from '../doctor/principal-tags.js';
import { findTrustPath } from '../doctor/trust-path.js';
import type { Command } from './command.js';

const FLAGS: FlagSpecs = {
  certificate: { value: true, placeholder: 'FILE', description: 'leaf certificate (PEM or DER; a bundle: leaf first)' },
  intermediates: {
    value: true,
    placeholder: 'FILE',
    repeatable: true,
    description: 'intermediate CA certificates (PEM)',
  },
  'trust-anchor-ca': {
    value: true,
    placeholder: 'FILE',
    description: "the trust anchor's CA certificate(s) (PEM), as given to create-trust-anchor",
  },
  'expiry-warning-days': {
    value: true,
    placeholder: 'N',
    description: 'warn when a certificate expires within N days (default 30)',
  },
};

const DAY_MS = 86_400_000;
const show = (text: string) => neutralizeForLog(text);

function read(path: string, what: string): ParsedCertificate[] {
  return parseCertificateList(readFileOrFail(path, readFileSync, what), what);
}

function required(flags: ReturnType<typeof parseFlags>, name: string): string {
  const value = first(flags, name);
  if (value === undefined)
    throw new IamraError('CONFIG_INVALID', `--${name} FILE is required; see iamra doctor --help`);
  return value;
}

function expiryLines(path: ParsedCertificate[], now: Date, warnDays: number): string[] {
  return path.flatMap((certificate) => {
    const days = Math.floor((certificate.notAfter.getTime() - now.getTime()) / DAY_MS);
    if (days < 0 || days >= warnDays) return [];
    return [
      `warning: "${show(certificate.subject)}" expires in ${days} day(s), at ${certificate.notAfter.toISOString()}`,
    ];
  });
}

export const doctorCommand: Command = {
  name: 'doctor',
  summary: "check a certificate against the trust anchor's CA and show the session's principal tags",
  help: () =>
    renderHelp(
      'iamra doctor --certificate FILE [--intermediates FILE] --trust-anchor-ca FILE',
      [
        "Checks what CreateSession will check of the certificate: a path through the intermediates to the trust anchor's",
        'CA, every certificate inside its validity; warns about coming expiry. Prints the source identity and the principal',
        'tags a session carries with the default attribute mapping, for aws:PrincipalTag/... conditions in the role trust',
        'policy. Exit 0 when the chain is trusted, 2 (CHAIN_UNTRUSTED) when not. Reads no key, calls no service.',
      ].join('\n'),
      FLAGS,
    ),
  async run(argv, io) {
    const flags = parseFlags('doctor', argv, FLAGS);
    const [leaf, ...bundled] = read(required(flags, 'certificate'), 'certificate');
    const anchors = read(required(flags, 'trust-anchor-ca'), 'trust anchor CA');
    const intermediates = [
      ...bundled,
      ...(flags.values.get('intermediates') ?? []).flatMap((path) => read(path, 'intermediates')),
    ];
    const warnText = first(flags, 'expiry-warning-days') ?? '30';
    if (!/^\d{1,4}$/.test(warnText))
      throw new IamraError('CONFIG_INVALID', `--expiry-warning-days must be 0..9999; got '${warnText}'`);
    if (!leaf) throw new IamraError('CERT_MISSING', '--certificate holds no certificate');
    const now = new Date();
    const trust = findTrustPath(leaf, intermediates, anchors, now);
    const identity = sessionIdentityOf(leaf);
    const lines = [
      `certificate: "${show(leaf.subject)}" serial ${leaf.serialDecimal}, valid ${leaf.notBefore.toISOString()} to ${leaf.notAfter.toISOString()}`,
      ...trust.path.slice(1).map((certificate, index, rest) => {
        const isAnchor = trust.trusted && index === rest.length - 1;
        return `${isAnchor ? 'trust anchor CA' : 'issued by'}: "${show(certificate.subject)}"`;
      }),
      `chain: ${trust.trusted ? 'trusted by the trust anchor' : trust.unverifiable ? 'not checked (an ML-DSA signature, which this Node cannot verify)' : 'NOT trusted'}`,
      ...expiryLines(trust.path, now, Number(warnText)),
      `source identity: ${identity.sourceIdentity === undefined ? '(none: the subject has no CN)' : show(identity.sourceIdentity)}`,
      'principal tags (default attribute mapping):',
      ...identity.tags.map(([key, value]) => `  aws:PrincipalTag/${key} = ${show(value)}`),
    ];
    io.stdout.write(`${lines.join('\n')}\n`);
    if (trust.unverifiable) throw mlDsaUnsupported(`certificate "${show(trust.unverifiable.subject)}"`);
    if (!trust.trusted) throw new IamraError('CHAIN_UNTRUSTED', show(trust.problem ?? 'the chain is not trusted'));
    return 0;
  },
};
