/**
 * ML-DSA certificates for the tests, made the honest way: @peculiar/x509 does not know ML-DSA,
 * so this writes the TBSCertificate with a small DER writer and signs it with node:crypto
 * (ML-DSA pure, empty context, or ECDSA with SHA-256 for an EC CA).
 *
 * Runs under Node 24 only (ML-DSA keys need OpenSSL 3.5), as a child process with Node's own type
 * stripping: `node ml-dsa-pki.ts` prints one JSON object (see MlDsaPki). Self-contained on purpose
 * (Node 24 runs it without tsx), so it imports nothing but node: modules.
 */
import { createHash, generateKeyPairSync, type KeyObject, randomBytes, sign } from 'node:crypto';

export type MlDsaParameterSet = 'ml-dsa-44' | 'ml-dsa-65' | 'ml-dsa-87';

export interface IssuedPair {
  certPem: string;
  keyPem: string;
}

export interface MlDsaCase {
  /** e.g. "ml-dsa-65 leaf, ml-dsa-65 CA" */
  name: string;
  ca: IssuedPair;
  leaf: IssuedPair;
}

export interface MlDsaPki {
  cases: MlDsaCase[];
}

const OIDS = {
  'ml-dsa-44': '2.16.840.1.101.3.4.3.17',
  'ml-dsa-65': '2.16.840.1.101.3.4.3.18',
  'ml-dsa-87': '2.16.840.1.101.3.4.3.19',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  commonName: '2.5.4.3',
  subjectKeyIdentifier: '2.5.29.14',
  keyUsage: '2.5.29.15',
  basicConstraints: '2.5.29.19',
  authorityKeyIdentifier: '2.5.29.35',
} as const;

function length(size: number): Buffer {
  if (size < 0x80) return Buffer.from([size]);
  const bytes: number[] = [];
  for (let rest = size; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function tlv(tag: number, ...parts: Buffer[]): Buffer {
  const body = Buffer.concat(parts);
  return Buffer.concat([Buffer.from([tag]), length(body.length), body]);
}

const der = {
  sequence: (...parts: Buffer[]) => tlv(0x30, ...parts),
  set: (...parts: Buffer[]) => tlv(0x31, ...parts),
  explicit: (tag: number, ...parts: Buffer[]) => tlv(0xa0 + tag, ...parts),
  octets: (bytes: Buffer) => tlv(0x04, bytes),
  bits: (bytes: Buffer, unusedBits = 0) => tlv(0x03, Buffer.from([unusedBits]), bytes),
  utf8: (text: string) => tlv(0x0c, Buffer.from(text, 'utf8')),
  boolean: (value: boolean) => tlv(0x01, Buffer.from([value ? 0xff : 0x00])),
  /** A non-negative integer from big-endian bytes (a 00 is added when the top bit is set). */
  unsigned: (bytes: Buffer) => tlv(0x02, (bytes[0] ?? 0) & 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes),
  oid(dotted: string): Buffer {
    const [first = 0, second = 0, ...rest] = dotted.split('.').map(Number);
    const bytes = [first * 40 + second];
    for (const arc of rest) {
      const groups = [arc & 0x7f];
      for (let value = Math.floor(arc / 128); value > 0; value = Math.floor(value / 128)) {
        groups.unshift(0x80 | (value & 0x7f));
      }
      bytes.push(...groups);
    }
    return tlv(0x06, Buffer.from(bytes));
  },
  /** UTCTime, as RFC 5280 wants for dates through 2049. */
  time(date: Date): Buffer {
    const text = date.toISOString().replace(/[-:T]/g, '').slice(2, 14);
    return tlv(0x17, Buffer.from(`${text}Z`, 'ascii'));
  },
};

function name(commonName: string): Buffer {
  return der.sequence(der.set(der.sequence(der.oid(OIDS.commonName), der.utf8(commonName))));
}

function extension(oid: string, critical: boolean, value: Buffer): Buffer {
  return der.sequence(der.oid(oid), ...(critical ? [der.boolean(true)] : []), der.octets(value));
}

function keyIdentifier(publicKey: KeyObject): Buffer {
  return createHash('sha1')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest();
}

interface Party {
  name: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

/** The AlgorithmIdentifier and the signing call for an issuer's key. */
function signatureScheme(issuer: KeyObject): { algorithm: Buffer; sign: (tbs: Buffer) => Buffer } {
  const type = issuer.asymmetricKeyType ?? '';
  if (type === 'ec') {
    return { algorithm: der.sequence(der.oid(OIDS.ecdsaWithSha256)), sign: (tbs) => sign('sha256', tbs, issuer) };
  }
  const oid = OIDS[type as MlDsaParameterSet];
  if (!oid) throw new Error(`no certificate signature scheme for ${type} keys`);
  // RFC 9881: ML-DSA AlgorithmIdentifiers have absent parameters; the signature is pure ML-DSA.
  return { algorithm: der.sequence(der.oid(oid)), sign: (tbs) => sign(null, tbs, issuer) };
}

function certificate(subject: Party, issuer: Party, isCA: boolean): string {
  const serial = randomBytes(16);
  serial[0] = ((serial[0] ?? 0) & 0x7f) | 0x01;
  const now = Date.now();
  const scheme = signatureScheme(issuer.privateKey);
  const keyUsage = isCA ? der.bits(Buffer.from([0x06]), 1) : der.bits(Buffer.from([0x80]), 7);
  const tbs = der.sequence(
    der.explicit(0, tlv(0x02, Buffer.from([2]))),
    der.unsigned(serial),
    scheme.algorithm,
    name(issuer.name),
    der.sequence(der.time(new Date(now - 3_600_000)), der.time(new Date(now + 365 * 86_400_000))),
    name(subject.name),
    subject.publicKey.export({ type: 'spki', format: 'der' }),
    der.explicit(
      3,
      der.sequence(
        extension(OIDS.basicConstraints, true, isCA ? der.sequence(der.boolean(true)) : der.sequence()),
        extension(OIDS.keyUsage, true, keyUsage),
        extension(OIDS.subjectKeyIdentifier, false, der.octets(keyIdentifier(subject.publicKey))),
        extension(OIDS.authorityKeyIdentifier, false, der.sequence(tlv(0x80, keyIdentifier(issuer.publicKey)))),
      ),
    ),
  );
  const body = der.sequence(tbs, scheme.algorithm, der.bits(scheme.sign(tbs))).toString('base64');
  return `-----BEGIN CERTIFICATE-----\n${body.replace(/.{1,64}/g, '$&\n')}-----END CERTIFICATE-----\n`;
}

function party(name: string, type: MlDsaParameterSet | 'ec'): Party {
  // @types/node for Node 20 does not list the ML-DSA key types; Node 24 makes them.
  const pair =
    type === 'ec' ? generateKeyPairSync('ec', { namedCurve: 'P-256' }) : generateKeyPairSync(type as 'ed25519');
  return { name, ...pair };
}

function issue(caType: MlDsaParameterSet | 'ec', leafType: MlDsaParameterSet | 'ec'): MlDsaCase {
  const ca = party(`${caType} test CA`, caType);
  const leaf = party(`${leafType} workload`, leafType);
  const pem = (key: KeyObject) => key.export({ type: 'pkcs8', format: 'pem' }).toString();
  return {
    name: `${leafType} leaf, ${caType} CA`,
    ca: { certPem: certificate(ca, ca, true), keyPem: pem(ca.privateKey) },
    leaf: { certPem: certificate(leaf, ca, false), keyPem: pem(leaf.privateKey) },
  };
}

/** Every ML-DSA parameter set under a CA of its own kind, ML-DSA under EC, and EC under ML-DSA. */
export function makeMlDsaPki(): MlDsaPki {
  const sets: MlDsaParameterSet[] = ['ml-dsa-44', 'ml-dsa-65', 'ml-dsa-87'];
  return {
    cases: [...sets.map((set) => issue(set, set)), issue('ec', 'ml-dsa-65'), issue('ml-dsa-65', 'ec')],
  };
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop() ?? '\0')) {
  process.stdout.write(JSON.stringify(makeMlDsaPki()));
}
