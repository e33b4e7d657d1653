/** `iamra read-certificate-data`: what the certificate is, as iamra and the service will see it. */
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import {
  buildChain,
  type CertificateInfo,
  IamraError,
  loadSigningMaterial,
  parseCertificates,
  preflight,
  readFileOrFail,
  type SigningMaterial,
  type Source,
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

/** Refusals about the certificate itself: worth showing the certificate before them. */
const PREFLIGHT_CODES = new Set<string>([
  'CERT_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_IS_CA',
  'CERT_KEY_USAGE',
  'CERT_WEAK_SIGNATURE',
]);

function keyTypeOf(type: string | undefined, bits: number | undefined, curve: string | undefined): string {
  if (type === 'rsa') return `RSA ${bits}`;
  if (type === 'ec') return `EC ${curve ?? 'unknown curve'}`;
  return type ?? 'unknown';
}

const CURVES: Record<string, 'P-256' | 'P-384' | 'P-521'> = {
  prime256v1: 'P-256',
  secp384r1: 'P-384',
  secp521r1: 'P-521',
};

interface Findings {
  report: Record<string, unknown>;
  warnings: Warning[];
  /** What the service would refuse, if anything. */
  problem?: IamraError | undefined;
}

/** The report from the certificates alone: the key type is the certificate's public key. */
function withoutKey(certificate: Source, intermediates: Source[]): Findings {
  // buildChain checks signatures, so each certificate carries its X509Certificate.
  const parse = (source: Source) =>
    parseCertificates(source).map((info) => ({ ...info, x509: new X509Certificate(info.der) }));
  const [leaf, ...rest] = parse(certificate);
  if (!leaf) throw new IamraError('CERT_MISSING', 'no certificate found; give the leaf certificate in --certificate');
  const { chain, dropped } = buildChain(leaf, [...rest, ...intermediates.flatMap(parse)]);
  const publicKey = leaf.x509.publicKey;
  const details = publicKey.asymmetricKeyDetails;
  const keyType = publicKey.asymmetricKeyType === 'rsa' ? 'rsa' : 'ec';
  const curve = CURVES[details?.namedCurve ?? ''];
  const report: Record<string, unknown> = {
    keyType: keyTypeOf(publicKey.asymmetricKeyType, details?.modulusLength, curve),
    ...describe(leaf),
    chain: chain.map(describe),
    dropped: dropped.map((c) => c.subject),
  };
  try {
    // Only the certificate checks apply: preflight reads the key's type and size, never the key.
    const warnings = preflight(
      {
        keyType,
        keyBits: details?.modulusLength ?? 0,
        curve,
        leaf,
        chain,
        dropped,
      } as unknown as SigningMaterial,
      { now: new Date() },
    );
    return { report, warnings };
  } catch (error) {
    if (error instanceof IamraError && PREFLIGHT_CODES.has(error.code)) return { report, warnings: [], problem: error };
    throw error;
  }
}

/** One line per chain entry in the human-readable form. */
function summarize(item: unknown): string {
  if (typeof item === 'string') return item;
  const c = item as ReturnType<typeof describe>;
  return `${c.subject} (serial ${c.serialHex}, valid ${c.notBefore} to ${c.notAfter}, issuer ${c.issuer})`;
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
    // A certificate the service would refuse is still shown; the refusal follows on stderr.
    let problem: IamraError | undefined;
    if (privateKey || pkcs12) {
      try {
        const loaded = await loadSigningMaterial(
          {
            ...(certificate ? { certificate } : {}),
            ...(privateKey ? { privateKey } : {}),
            ...(pkcs12 ? { pkcs12 } : {}),
            ...(intermediates.length ? { intermediates } : {}),
            ...(io.env.IAMRA_PRIVATE_KEY_PASSPHRASE
              ? { privateKeyPassphrase: io.env.IAMRA_PRIVATE_KEY_PASSPHRASE }
              : {}),
            ...(io.env.IAMRA_PKCS12_PASSWORD ? { pkcs12Password: io.env.IAMRA_PKCS12_PASSWORD } : {}),
          },
          { now: new Date() },
        );
        warnings = loaded.warnings;
        const { material } = loaded;
        report = {
          keyType: keyTypeOf(material.keyType, material.keyBits, material.curve),
          algorithm: material.algorithm,
          ...describe(material.leaf),
          chain: material.chain.map(describe),
          dropped: material.dropped.map((c) => c.subject),
        };
      } catch (error) {
        if (!(error instanceof IamraError && PREFLIGHT_CODES.has(error.code) && certificate)) throw error;
        ({ report, warnings } = withoutKey(certificate, intermediates));
        problem = error;
      }
    } else {
      if (!certificate) throw new IamraError('CONFIG_INVALID', 'give --certificate FILE or --pkcs12 FILE');
      ({ report, warnings, problem } = withoutKey(certificate, intermediates));
    }
    report.warnings = warnings.map((w) => `${w.code}: ${w.message}`);
    if (flags.switches.has('json')) {
      io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      if (problem) throw problem;
      return 0;
    }
    const lines = Object.entries(report).flatMap(([key, value]) => {
      if (Array.isArray(value)) {
        return [`${key}:${value.length ? '' : ' none'}`, ...value.map((item) => `  - ${summarize(item)}`)];
      }
      return [`${key}: ${String(value)}`];
    });
    io.stdout.write(`${lines.join('\n')}\n`);
    if (problem) throw problem;
    return 0;
  },
};
