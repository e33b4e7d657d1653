/** Reads the TBSCertificate fields Node does not expose. */
import { children, type DerNode, decodeOid, malformed, readNode } from './der.js';

const SIGNATURE_ALGORITHMS: Record<string, string> = {
  '1.2.840.113549.1.1.4': 'md5WithRSAEncryption',
  '1.2.840.113549.1.1.5': 'sha1WithRSAEncryption',
  '1.2.840.113549.1.1.11': 'sha256WithRSAEncryption',
  '1.2.840.113549.1.1.12': 'sha384WithRSAEncryption',
  '1.2.840.113549.1.1.13': 'sha512WithRSAEncryption',
  '1.2.840.113549.1.1.10': 'rsassaPss',
  '1.2.840.10045.4.1': 'ecdsa-with-SHA1',
  '1.2.840.10045.4.3.2': 'ecdsa-with-SHA256',
  '1.2.840.10045.4.3.3': 'ecdsa-with-SHA384',
  '1.2.840.10045.4.3.4': 'ecdsa-with-SHA512',
  '1.2.840.10040.4.3': 'dsa-with-SHA1',
  '2.16.840.1.101.3.4.3.2': 'dsa-with-SHA256',
  '1.3.101.112': 'Ed25519',
  '1.3.101.113': 'Ed448',
  '2.16.840.1.101.3.4.3.17': 'ML-DSA-44',
  '2.16.840.1.101.3.4.3.18': 'ML-DSA-65',
  '2.16.840.1.101.3.4.3.19': 'ML-DSA-87',
};

export const WEAK_SIGNATURE_OIDS = new Set([
  '1.2.840.113549.1.1.4',
  '1.2.840.113549.1.1.5',
  '1.2.840.10045.4.1',
  '1.2.840.10040.4.3',
]);

export interface KeyUsageBits {
  digitalSignature: boolean;
  keyCertSign: boolean;
  cRLSign: boolean;
}

export interface X509Fields {
  signatureAlgorithm: { oid: string; name: string };
  serial: Buffer;
  keyUsage: KeyUsageBits | undefined;
  isCA: boolean;
  version: number;
  /** The SubjectPublicKeyInfo's algorithm OID (Node cannot name a key its OpenSSL cannot read). */
  publicKeyOid: string;
}

const KEY_USAGE_OID = '2.5.29.15';
const BASIC_CONSTRAINTS_OID = '2.5.29.19';

function bitSet(bitString: Buffer, bit: number): boolean {
  const byte = bitString[1 + Math.floor(bit / 8)] ?? 0;
  return (byte & (0x80 >> (bit % 8))) !== 0;
}

function readExtensions(container: DerNode): Map<string, Buffer> {
  const result = new Map<string, Buffer>();
  const [sequence] = children(container);
  if (!sequence) return result;
  for (const extension of children(sequence)) {
    const parts = children(extension);
    const oid = parts[0];
    const value = parts[parts.length - 1];
    if (oid && value) result.set(decodeOid(oid.value), value.value);
  }
  return result;
}

export function readX509Fields(der: Buffer): X509Fields {
  const certificate = readNode(der);
  const [tbs, algorithm] = children(certificate);
  if (certificate.tag !== 0x30 || tbs?.tag !== 0x30 || algorithm?.tag !== 0x30) throw malformed('not a certificate');
  const fields = children(tbs);
  let index = 0;
  let version = 1;
  if (fields[0]?.tag === 0xa0) {
    const versionNode = children(fields[0])[0];
    version = (versionNode?.value[0] ?? 0) + 1;
    index = 1;
  }
  const serial = fields[index]?.value ?? Buffer.alloc(0);
  // serial, signature, issuer, validity, subject, then subjectPublicKeyInfo { algorithm { oid } }.
  const subjectPublicKeyInfo = fields[index + 5];
  const keyAlgorithm = subjectPublicKeyInfo ? children(subjectPublicKeyInfo)[0] : undefined;
  const keyOid = keyAlgorithm?.tag === 0x30 ? children(keyAlgorithm)[0] : undefined;
  const algorithmOid = children(algorithm)[0];
  const oid = algorithmOid ? decodeOid(algorithmOid.value) : '';
  const extensionsNode = fields.find((node) => node.tag === 0xa3);
  const extensions = extensionsNode ? readExtensions(extensionsNode) : new Map<string, Buffer>();

  const keyUsageDer = extensions.get(KEY_USAGE_OID);
  let keyUsage: KeyUsageBits | undefined;
  if (keyUsageDer) {
    const bits = readNode(keyUsageDer).value;
    keyUsage = { digitalSignature: bitSet(bits, 0), keyCertSign: bitSet(bits, 5), cRLSign: bitSet(bits, 6) };
  }
  let isCA = false;
  const basicConstraints = extensions.get(BASIC_CONSTRAINTS_OID);
  if (basicConstraints) {
    const first = children(readNode(basicConstraints))[0];
    isCA = first?.tag === 0x01 && first.value[0] !== 0;
  }
  return {
    signatureAlgorithm: { oid, name: SIGNATURE_ALGORITHMS[oid] ?? oid },
    serial,
    keyUsage,
    isCA,
    version,
    publicKeyOid: keyOid?.tag === 0x06 ? decodeOid(keyOid.value) : '',
  };
}
