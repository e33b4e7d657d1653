/** `iamra read-certificate-data`: what the certificate is, as iamra and the service will see it. */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { IamraError, isPkcs11Uri, neutralizeForLog, parseCertificates, readFileOrFail } from '@iamra/core';
import { type FlagSpecs, first, type ParsedFlags, parseFlags, renderHelp } from '../args.js';
import { CERTIFICATE_FLAG, keyStoreFlags, PRIVATE_KEY_FLAG } from '../config/flags.js';
import { hardwareConfig, type OpenedHardware, openHardware } from '../config/hardware.js';
import { isTpmHandle, openTpm, tpmConfig } from '../config/tpm.js';
import type { CliIo } from '../io.js';
import { type CertificateInputs, type Findings, withKey, withoutKey } from './certificate-report.js';
import type { Command } from './command.js';

const REPORTS = ['text', 'json'] as const;

const FLAGS: FlagSpecs = {
  certificate: { ...CERTIFICATE_FLAG, description: 'leaf certificate or bundle (PEM or DER; pkcs11:… on a token)' },
  'private-key': {
    ...PRIVATE_KEY_FLAG,
    description: 'private key, to check it matches and run every pre-flight check (pkcs11:… on a token)',
  },
  intermediates: { value: true, placeholder: 'FILE', repeatable: true, description: 'intermediate CA certificates' },
  pkcs12: { value: true, placeholder: 'FILE', description: 'PKCS#12/.pfx (password from IAMRA_PKCS12_PASSWORD)' },
  report: {
    value: true,
    placeholder: 'text|json',
    description: "print iamra's full report (subject, issuer, validity, path, warnings) instead of the JSON object",
  },
  debug: { value: false, description: 'also print the full report on stderr' },
  ...keyStoreFlags('cert-selector', 'system-store-name', 'pkcs11-lib', 'tpm-key-password', 'no-tpm-key-password'),
};

/** One line per chain entry in the human-readable form. */
function summarize(item: unknown): string {
  if (typeof item === 'string') return item;
  const c = item as { subject: string; serialHex: string; notBefore: string; notAfter: string; issuer: string };
  return `${c.subject} (serial ${c.serialHex}, valid ${c.notBefore} to ${c.notAfter}, issuer ${c.issuer})`;
}

/** The human-readable report: one line per field, one per path entry; a subject cannot forge a log command. */
function reportText(report: Record<string, unknown>): string[] {
  const lines = Object.entries(report).flatMap(([key, value]) => {
    if (Array.isArray(value)) {
      return [`${key}:${value.length ? '' : ' none'}`, ...value.map((item) => `  - ${summarize(item)}`)];
    }
    return [`${key}: ${String(value)}`];
  });
  return lines.map((line) => neutralizeForLog(line, Number.POSITIVE_INFINITY));
}

/** A TPM key named by --private-key (handle:0x81… or a TSS2 key file), opened to check it matches. */
async function openTpmKeyFlag(flags: ParsedFlags, env: NodeJS.ProcessEnv): Promise<OpenedHardware | undefined> {
  const path = first(flags, 'private-key');
  const source =
    path === undefined || isTpmHandle(path) || isPkcs11Uri(path)
      ? undefined
      : readFileOrFail(path, readFileSync, 'private key');
  const tpm = tpmConfig(flags, source, env);
  return tpm ? { certificate: undefined, signer: await openTpm(tpm, env) } : undefined;
}

/** Files, or what a token holds (its certificate; its key only when --private-key names it). */
function readInputs(flags: ParsedFlags, token: OpenedHardware | undefined): CertificateInputs {
  const read = (name: string, what: string) => {
    const path = first(flags, name);
    return path === undefined || isPkcs11Uri(path) || isTpmHandle(path)
      ? undefined
      : readFileOrFail(path, readFileSync, what);
  };
  const certificate = token?.certificate ?? read('certificate', 'certificate');
  const pkcs12 = read('pkcs12', 'PKCS#12 file');
  const signer = token?.signer;
  const privateKey = signer ? undefined : read('private-key', 'private key');
  if (!certificate && !pkcs12) throw new IamraError('CONFIG_INVALID', 'give --certificate FILE or --pkcs12 FILE');
  return {
    ...(certificate ? { certificate } : {}),
    ...(pkcs12 ? { pkcs12 } : {}),
    ...(privateKey ? { privateKey } : {}),
    ...(signer ? { signer } : {}),
    intermediates: (flags.values.get('intermediates') ?? []).map((path) =>
      readFileOrFail(path, readFileSync, 'intermediates'),
    ),
  };
}

function reportFormat(flags: ParsedFlags): (typeof REPORTS)[number] | undefined {
  const format = first(flags, 'report');
  if (format === undefined) return undefined;
  const known = REPORTS.find((candidate) => candidate === format);
  if (!known) throw new IamraError('CONFIG_INVALID', `--report must be text or json; got '${format}'`);
  return known;
}

/** stdout holds what scripts read; warnings and --debug go to stderr. */
function print(findings: Findings, flags: ParsedFlags, io: CliIo): void {
  const format = reportFormat(flags);
  const report = { ...findings.report, warnings: findings.warnings.map((w) => `${w.code}: ${w.message}`) };
  if (flags.switches.has('debug')) {
    for (const line of reportText(report)) io.stderr.write(`iamra debug: ${line}\n`);
  }
  if (format === 'json') io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else if (format === 'text') io.stdout.write(`${reportText(report).join('\n')}\n`);
  else {
    io.stdout.write(findings.certificateData);
    for (const w of findings.warnings) io.stderr.write(`iamra: warning: ${w.code}: ${neutralizeForLog(w.message)}\n`);
  }
}

const SUMMARY = `Prints aws_signing_helper's object for the certificate, byte for byte:
{"keyType":"RSA"|"EC"|"ML-DSA-44"|"ML-DSA-65"|"ML-DSA-87","certificateData":"<base64 DER>","serialNumber":"<decimal>","supportedAlgorithms":[...]}
Warnings go to stderr. A certificate the service would refuse (expired, a CA, no digitalSignature,
MD5/SHA-1) is still printed, then refused with one line on stderr and exit code 2.
--report text|json prints iamra's own report instead: the serial in decimal (the Credential in the
Authorization header) and hex (the default session name), subject, issuer, validity, the path
through the intermediates and the certificates not on it (sent all the same).`;

/** The Go helper's answer for a pkcs11: certificate: each match, with the URI that names it. */
async function tokenIdentities(certificate: string, modulePath: string | undefined): Promise<string> {
  const { listPkcs11Certificates } = await import('@iamra/core');
  const found = await listPkcs11Certificates({ certificate, modulePath });
  if (found.length === 0) return 'No matching identities\n';
  const lines = found.map(({ der, uri }, index) => {
    const fingerprint = createHash('sha1').update(der).digest('hex');
    // A token's certificate is untrusted text like any other before it reaches a terminal.
    const subject = neutralizeForLog(parseCertificates(der)[0]?.subject ?? '', Number.POSITIVE_INFINITY);
    return `${index + 1}) ${fingerprint} "${subject}"\n\tURI: ${uri}\n`;
  });
  return `Matching identities\n${lines.join('')}`;
}

export const readCertificateDataCommand: Command = {
  name: 'read-certificate-data',
  summary: 'print the certificate as aws_signing_helper does (--report for subject, chain, validity, warnings)',
  help: () =>
    renderHelp('iamra read-certificate-data --certificate FILE [--private-key FILE] [options]', SUMMARY, FLAGS),
  async run(argv, io) {
    const flags = parseFlags('read-certificate-data', argv, FLAGS);
    const format = reportFormat(flags);
    const hardware = hardwareConfig(flags);
    if (hardware?.certificate && !hardware.privateKey && format === undefined) {
      io.stdout.write(await tokenIdentities(hardware.certificate, hardware.modulePath));
      return 0;
    }
    const token =
      (await openTpmKeyFlag(flags, io.env)) ??
      (hardware ? await openHardware(hardware, io.env, { partnerKey: false }) : undefined);
    let findings: Findings;
    try {
      const inputs = readInputs(flags, token);
      if (inputs.privateKey || inputs.pkcs12 || inputs.signer) findings = await withKey(inputs, io.env);
      else if (inputs.certificate) findings = withoutKey(inputs.certificate, inputs.intermediates);
      else throw new IamraError('CONFIG_INVALID', 'give --certificate FILE or --pkcs12 FILE');
    } finally {
      await token?.signer?.close();
    }
    print(findings, flags, io);
    if (findings.problem) throw findings.problem;
    return 0;
  },
};
