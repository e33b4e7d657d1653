/** Everything a signer needs, parsed, matched, path-built and checked. */
import type { KeyObject } from 'node:crypto';
import { IamraError } from '../errors.js';
import { type ParsedCertificate, parseCertificateList } from './certificate.js';
import { buildChain } from './chain.js';
import { parsePkcs12Contents } from './pkcs12.js';
import { preflight } from './preflight.js';
import { holdsPrivateKey, parsePrivateKey } from './private-key.js';
import type { CertificateInfo, LoadOptions, MaterialInput, SigningMaterial, Warning } from './types.js';

const CURVES: Record<string, SigningMaterial['curve']> = {
  prime256v1: 'P-256',
  secp384r1: 'P-384',
  secp521r1: 'P-521',
};

const SUPPORTED = 'use an RSA (2048–4096) or EC P-256/P-384/P-521 key';

const KEY_NAMES: Record<string, string> = {
  ed25519: 'Ed25519',
  ed448: 'Ed448',
  x25519: 'X25519',
  x448: 'X448',
  dsa: 'DSA',
  dh: 'DH',
  'rsa-pss': 'RSA-PSS',
};

function keyProfile(key: KeyObject): Pick<SigningMaterial, 'keyType' | 'keyBits' | 'curve' | 'algorithm'> {
  const type = key.asymmetricKeyType ?? 'unknown';
  const details = key.asymmetricKeyDetails ?? {};
  if (type === 'rsa') {
    const bits = details.modulusLength ?? 0;
    if (bits < 1024) {
      throw new IamraError(
        'KEY_UNSUPPORTED',
        `an RSA key of ${bits} bits is not supported by IAM Roles Anywhere (too small); ${SUPPORTED}`,
      );
    }
    return { keyType: 'rsa', keyBits: bits, curve: undefined, algorithm: 'AWS4-X509-RSA-SHA256' };
  }
  if (type === 'ec') {
    const curve = CURVES[details.namedCurve ?? ''];
    if (!curve) {
      throw new IamraError(
        'KEY_UNSUPPORTED',
        `an EC key on curve ${details.namedCurve ?? 'unknown'} is not supported by IAM Roles Anywhere; ${SUPPORTED}`,
      );
    }
    return { keyType: 'ec', keyBits: Number(curve.slice(2)), curve, algorithm: 'AWS4-X509-ECDSA-SHA256' };
  }
  throw new IamraError(
    'KEY_UNSUPPORTED',
    `the key type ${KEY_NAMES[type] ?? type} is not supported by IAM Roles Anywhere; ${SUPPORTED}`,
  );
}

/** OpenSSL's own key/certificate match: no public-key export and compare on the hot path. */
function samePublicKey(key: KeyObject, certificate: ParsedCertificate): boolean {
  return certificate.x509.checkPrivateKey(key);
}

/** The certificate that issues none of the others: the bottom of a bundle. */
function structuralLeaf(certificates: ParsedCertificate[]): ParsedCertificate | undefined {
  return (
    certificates.find((candidate) =>
      certificates.every((other) => other === candidate || !other.x509.checkIssued(candidate.x509)),
    ) ?? certificates[0]
  );
}

/** The leaf is the certificate for our key; without a match, we name the likely leaf. */
function pickLeaf(certificates: ParsedCertificate[], key: KeyObject): ParsedCertificate {
  const matching = certificates.find((certificate) => samePublicKey(key, certificate));
  if (matching) return matching;
  const leaf = structuralLeaf(certificates);
  if (!leaf) throw new IamraError('CERT_MISSING', 'no certificate was given; set the certificate input');
  throw new IamraError(
    'KEY_CERT_MISMATCH',
    `the private key does not match certificate "${leaf.subject}" (serial ${leaf.serialHex}); give the key that was used to request this certificate`,
  );
}

function strip(certificate: ParsedCertificate): CertificateInfo {
  const { x509: _x509, ...info } = certificate;
  return info;
}

/** Async only because PKCS#12 support is loaded on demand. */
export async function loadSigningMaterial(
  input: MaterialInput,
  options: LoadOptions,
): Promise<{ material: SigningMaterial; warnings: Warning[] }> {
  let privateKey: KeyObject | undefined;
  const certificates: ParsedCertificate[] = [];
  if (input.pkcs12 !== undefined) {
    const contents = await parsePkcs12Contents(input.pkcs12, input.pkcs12Password);
    privateKey = contents.privateKey;
    certificates.push(...contents.certificates);
  }
  if (input.certificate !== undefined) certificates.unshift(...parseCertificateList(input.certificate));
  if (input.privateKey !== undefined) {
    privateKey = parsePrivateKey(input.privateKey, input.privateKeyPassphrase);
  } else if (!privateKey && input.certificate !== undefined && holdsPrivateKey(input.certificate)) {
    privateKey = parsePrivateKey(input.certificate, input.privateKeyPassphrase);
  }
  if (certificates.length === 0) {
    throw new IamraError('CERT_MISSING', 'no certificate was given; set the certificate input (or a PKCS#12 file)');
  }
  if (!privateKey) {
    throw new IamraError('KEY_MISSING', 'no private key was given; set the private key input (or a PKCS#12 file)');
  }
  const profile = keyProfile(privateKey);
  const leaf = pickLeaf(certificates, privateKey);
  const intermediates = (input.intermediates ?? []).flatMap((source) =>
    parseCertificateList(source, 'intermediate certificate'),
  );
  const candidates = [...certificates.filter((certificate) => certificate !== leaf), ...intermediates];
  const { chain, dropped } = buildChain(leaf, candidates);
  const material: SigningMaterial = {
    privateKey,
    ...profile,
    leaf: strip(leaf),
    chain: chain.map(strip),
    dropped: dropped.map(strip),
  };
  return { material, warnings: preflight(material, options) };
}
