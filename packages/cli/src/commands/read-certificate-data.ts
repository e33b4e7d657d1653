/** `iamra read-certificate-data`: what the certificate is, as iamra and the service will see it. */
import { readFileSync } from 'node:fs';
import {
  type CertificateInfo,
  IamraError,
  loadSigningMaterial,
  parseCertificates,
  readFileOrFail,
  type Warning,
} from '@iamra/core';
import { type FlagSpecs, first, parseFlags, renderHelp } from '../args.js';
import type { Command } from './command.js';

const FLAGS: FlagSpecs = {
  certificate: { value: true, placeholder: 'FILE', description: 'leaf certificate or bundle (PEM or DER)' },
  'private-key': {
    value: true,
    placeholder: 'FILE',
    description: 'private key, to check it matches and run every pre-flight check',
  },
  intermediates: { value: true, placeholder: 'FILE', repeatable: true, description: 'intermediate CA certificates' },
  pkcs12: { value: true, placeholder: 'FILE', description: 'PKCS#12/.pfx (password from IAMRA_PKCS12_PASSWORD)' },
  json: { value: false, description: 'print JSON' },
};

function describe(certificate: CertificateInfo) {
  return {
    subject: certificate.subject,
    issuer: certificate.issuer,
    serialDecimal: certificate.serialDecimal,
    serialHex: certificate.serialHex,
    notBefore: certificate.notBefore.toISOString(),
    notAfter: certificate.notAfter.toISOString(),
    isCA: certificate.isCA,
    signatureAlgorithm: certificate.signatureAlgorithm.name,
    fingerprintSha256: certificate.fingerprintSha256,
  };
}

const SUMMARY =
  'Parses the certificate (and key, chain or PKCS#12) like credential-process does and prints what it found,\nincluding the serial in decimal (the Credential in the Authorization header) and in hex (the default session name).';

export const readCertificateDataCommand: Command = {
  name: 'read-certificate-data',
  summary: 'show key type, serial, subject, issuer, validity, chain and pre-flight warnings',
  help: () =>
    renderHelp('iamra read-certificate-data --certificate FILE [--private-key FILE] [options]', SUMMARY, FLAGS),
  async run(argv, io) {
    const flags = parseFlags('read-certificate-data', argv, FLAGS);
    const read = (name: string, what: string) => {
      const path = first(flags, name);
      return path === undefined ? undefined : readFileOrFail(path, readFileSync, what);
    };
    const certificate = read('certificate', 'certificate');
    const privateKey = read('private-key', 'private key');
    const pkcs12 = read('pkcs12', 'PKCS#12 file');
    const intermediates = (flags.values.get('intermediates') ?? []).map((path) =>
      readFileOrFail(path, readFileSync, 'intermediates'),
    );
    if (!certificate && !pkcs12) throw new IamraError('CONFIG_INVALID', 'give --certificate FILE or --pkcs12 FILE');
    let report: Record<string, unknown>;
    let warnings: Warning[] = [];
    if (privateKey || pkcs12) {
      const loaded = await loadSigningMaterial(
        {
          ...(certificate ? { certificate } : {}),
          ...(privateKey ? { privateKey } : {}),
          ...(pkcs12 ? { pkcs12 } : {}),
          ...(intermediates.length ? { intermediates } : {}),
          ...(io.env.IAMRA_PRIVATE_KEY_PASSPHRASE ? { privateKeyPassphrase: io.env.IAMRA_PRIVATE_KEY_PASSPHRASE } : {}),
          ...(io.env.IAMRA_PKCS12_PASSWORD ? { pkcs12Password: io.env.IAMRA_PKCS12_PASSWORD } : {}),
        },
        { now: new Date() },
      );
      warnings = loaded.warnings;
      const { material } = loaded;
      report = {
        keyType: material.keyType === 'rsa' ? `RSA ${material.keyBits}` : `EC ${material.curve}`,
        algorithm: material.algorithm,
        ...describe(material.leaf),
        chain: material.chain.map(describe),
        dropped: material.dropped.map((c) => c.subject),
      };
    } else {
      const [leaf, ...rest] = parseCertificates(certificate ?? '');
      if (!leaf) throw new IamraError('CERT_MISSING', 'no certificate found');
      const extra = intermediates.flatMap((source) => parseCertificates(source));
      report = { ...describe(leaf), chain: [...rest, ...extra].map(describe) };
    }
    report.warnings = warnings.map((w) => `${w.code}: ${w.message}`);
    if (flags.switches.has('json')) {
      io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      return 0;
    }
    const lines = Object.entries(report).flatMap(([key, value]) => {
      if (Array.isArray(value)) {
        return [`${key}:`, ...value.map((item) => `  - ${typeof item === 'string' ? item : JSON.stringify(item)}`)];
      }
      return [`${key}: ${String(value)}`];
    });
    io.stdout.write(`${lines.join('\n')}\n`);
    return 0;
  },
};
