/** Everything a signer needs, parsed, matched, path-built and checked. */
import type { KeyObject } from 'node:crypto';
import { IamraError } from '../errors.js';
import { fileSigner } from '../keys/file-signer.js';
import { type MlDsaParameterSet, mlDsaParameterSet, mlDsaUnsupported } from '../keys/ml-dsa.js';
import type { KeySigner } from '../keys/types.js';
import { type ParsedCertificate, parseCertificateList } from './certificate.js';
import { planChain } from './chain.js';
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

/** Each parameter set's claimed classical security strength in bits (FIPS 204 categories 2, 3, 5). */
const ML_DSA_STRENGTH: Record<MlDsaParameterSet, number> = { 'ML-DSA-44': 128, 'ML-DSA-65': 192, 'ML-DSA-87': 256 };

const KEY_NAMES: Record<string, string> = {
  ed25519: 'Ed25519',
  ed448: 'Ed448',
  x25519: 'X25519',
  x448: 'X448',
  dsa: 'DSA',
  dh: 'DH',
  'rsa-pss': 'RSA-PSS',
};

function keyProfile(key: KeyObject): Pick<SigningMaterial, 'keyType' | 'keyBits' | 'curve' | 'algorithm' | 'mlDsa'> {
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
  const mlDsa = mlDsaParameterSet(type);
  if (mlDsa) {
    return {
      keyType: 'ml-dsa',
      keyBits: ML_DSA_STRENGTH[mlDsa],
      curve: undefined,
      algorithm: 'AWS4-X509-MLDSA',
      mlDsa,
    };
  }
  throw new IamraError(
    'KEY_UNSUPPORTED',
    `the key type ${KEY_NAMES[type] ?? type} is not supported by IAM Roles Anywhere; ${SUPPORTED}`,
  );
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
async function pickLeaf(certificates: ParsedCertificate[], signer: KeySigner): Promise<ParsedCertificate> {
  for (const certificate of certificates) {
    if (!certificate.keyUnreadable && (await signer.matches(certificate.x509))) return certificate;
  }
  const leaf = structuralLeaf(certificates);
  if (!leaf) throw new IamraError('CERT_MISSING', 'no certificate was given; set the certificate input');
  if (leaf.keyUnreadable) throw mlDsaUnsupported(`certificate "${leaf.subject}"`);
  throw new IamraError(
    'KEY_CERT_MISMATCH',
    `${signer.description} does not match certificate "${leaf.subject}" (serial ${leaf.serialHex}); give the key that was used to request this certificate`,
  );
}

function strip(certificate: ParsedCertificate): CertificateInfo {
  const { x509: _x509, keyUnreadable: _unreadable, ...info } = certificate;
  return info;
}

/**
 * The key, or the one line saying this runtime cannot use ML-DSA: an ML-DSA key (encrypted, or
 * in a form Node 20 cannot even name) fails to parse there, and its certificate tells why.
 */
function keySignerFor(
  input: MaterialInput,
  fromPkcs12: KeyObject | undefined,
  certificates: ParsedCertificate[],
): KeySigner | undefined {
  try {
    return keySigner(input, fromPkcs12);
  } catch (error) {
    const unreadable = certificates.find((certificate) => certificate.keyUnreadable);
    if (unreadable && error instanceof IamraError && error.code !== 'PASSPHRASE_REQUIRED') {
      throw mlDsaUnsupported(`certificate "${unreadable.subject}"`, error);
    }
    throw error;
  }
}

/** The key from a file, a combined PEM, PKCS#12 or a signer the caller opened (hardware). */
function keySigner(input: MaterialInput, fromPkcs12: KeyObject | undefined): KeySigner | undefined {
  if (input.signer) return input.signer;
  if (input.privateKey !== undefined) return fileSigner(parsePrivateKey(input.privateKey, input.privateKeyPassphrase));
  if (fromPkcs12) return fileSigner(fromPkcs12);
  if (input.certificate !== undefined && holdsPrivateKey(input.certificate)) {
    return fileSigner(parsePrivateKey(input.certificate, input.privateKeyPassphrase));
  }
  return undefined;
}

/** Async because PKCS#12 support is loaded on demand and hardware keys answer asynchronously. */
export async function loadSigningMaterial(
  input: MaterialInput,
  options: LoadOptions,
): Promise<{ material: SigningMaterial; warnings: Warning[] }> {
  let fromPkcs12: KeyObject | undefined;
  const certificates: ParsedCertificate[] = [];
  if (input.pkcs12 !== undefined) {
    const contents = await parsePkcs12Contents(input.pkcs12, input.pkcs12Password);
    fromPkcs12 = contents.privateKey;
    certificates.push(...contents.certificates);
  }
  if (input.certificate !== undefined) certificates.unshift(...parseCertificateList(input.certificate));
  const signer = keySignerFor(input, fromPkcs12, certificates);
  if (certificates.length === 0) {
    throw new IamraError('CERT_MISSING', 'no certificate was given; set the certificate input (or a PKCS#12 file)');
  }
  if (!signer) {
    throw new IamraError('KEY_MISSING', 'no private key was given; set the private key input (or a PKCS#12 file)');
  }
  // A file key's type is checked before matching; a hardware key is described by its certificate.
  const ownProfile = signer.publicKey ? keyProfile(signer.publicKey) : undefined;
  const leaf = await pickLeaf(certificates, signer);
  const profile = ownProfile ?? keyProfile(leaf.x509.publicKey);
  const intermediates = (input.intermediates ?? []).flatMap((source) =>
    parseCertificateList(source, 'intermediate certificate'),
  );
  const candidates = [...certificates.filter((certificate) => certificate !== leaf), ...intermediates];
  const { chain, path, offPath } = planChain(leaf, candidates);
  const material: SigningMaterial = {
    signer,
    ...profile,
    leaf: strip(leaf),
    chain: chain.map(strip),
    path: path.map(strip),
    offPath: offPath.map(strip),
  };
  return { material, warnings: preflight(material, options) };
}
