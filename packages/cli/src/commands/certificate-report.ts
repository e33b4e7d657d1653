/** What read-certificate-data finds: the certificate as iamra and the service will see it. */
import { X509Certificate } from 'node:crypto';
import {
  type CertificateInfo,
  IamraError,
  type KeySigner,
  loadSigningMaterial,
  parseCertificates,
  planChain,
  preflight,
  type SigningMaterial,
  type Source,
  type Warning,
} from '@iamra/core';
import { goCertificateData } from './certificate-data.js';

export interface CertificateInputs {
  certificate?: Buffer;
  privateKey?: Buffer;
  pkcs12?: Buffer;
  /** A key on a token (pkcs11:), opened by the caller. */
  signer?: KeySigner;
  intermediates: Buffer[];
}

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

export interface Findings {
  report: Record<string, unknown>;
  /** aws_signing_helper's object for the leaf. */
  certificateData: string;
  warnings: Warning[];
  /** What the service would refuse, if anything. */
  problem?: IamraError | undefined;
}

/** The report from the certificates alone: the key type is the certificate's public key. */
export function withoutKey(certificate: Source, intermediates: Source[]): Findings {
  // buildChain checks signatures, so each certificate carries its X509Certificate.
  const parse = (source: Source) =>
    parseCertificates(source).map((info) => ({ ...info, x509: new X509Certificate(info.der) }));
  const [leaf, ...rest] = parse(certificate);
  if (!leaf) throw new IamraError('CERT_MISSING', 'no certificate found; give the leaf certificate in --certificate');
  const { chain, path, offPath } = planChain(leaf, [...rest, ...intermediates.flatMap(parse)]);
  const publicKey = leaf.x509.publicKey;
  const details = publicKey.asymmetricKeyDetails;
  const keyType = publicKey.asymmetricKeyType === 'rsa' ? 'rsa' : 'ec';
  const curve = CURVES[details?.namedCurve ?? ''];
  const report: Record<string, unknown> = {
    keyType: keyTypeOf(publicKey.asymmetricKeyType, details?.modulusLength, curve),
    ...describe(leaf),
    path: path.map(describe),
    notOnPath: offPath.map((c) => c.subject),
  };
  const certificateData = goCertificateData(leaf.der, publicKey.asymmetricKeyType, leaf.serialDecimal);
  try {
    // Only the certificate checks apply: preflight reads the key's type and size, never the key.
    const warnings = preflight(
      {
        keyType,
        keyBits: details?.modulusLength ?? 0,
        curve,
        leaf,
        chain,
        path,
        offPath,
      } as unknown as SigningMaterial,
      { now: new Date() },
    );
    return { report, certificateData, warnings };
  } catch (error) {
    if (error instanceof IamraError && PREFLIGHT_CODES.has(error.code)) {
      return { report, certificateData, warnings: [], problem: error };
    }
    throw error;
  }
}

/** With a key (or PKCS#12): every pre-flight check; a refused certificate is still described. */
export async function withKey(inputs: CertificateInputs, env: NodeJS.ProcessEnv): Promise<Findings> {
  const { certificate, privateKey, pkcs12, signer, intermediates } = inputs;
  try {
    const { material, warnings } = await loadSigningMaterial(
      {
        ...(certificate ? { certificate } : {}),
        ...(privateKey ? { privateKey } : {}),
        ...(signer ? { signer } : {}),
        ...(pkcs12 ? { pkcs12 } : {}),
        ...(intermediates.length ? { intermediates } : {}),
        ...(env.IAMRA_PRIVATE_KEY_PASSPHRASE ? { privateKeyPassphrase: env.IAMRA_PRIVATE_KEY_PASSPHRASE } : {}),
        ...(env.IAMRA_PKCS12_PASSWORD ? { pkcs12Password: env.IAMRA_PKCS12_PASSWORD } : {}),
      },
      { now: new Date() },
    );
    const report = {
      keyType: keyTypeOf(material.keyType, material.keyBits, material.curve),
      algorithm: material.algorithm,
      ...describe(material.leaf),
      path: material.path.map(describe),
      notOnPath: material.offPath.map((c) => c.subject),
    };
    const { leaf } = material;
    return { report, certificateData: goCertificateData(leaf.der, material.keyType, leaf.serialDecimal), warnings };
  } catch (error) {
    if (!(error instanceof IamraError && PREFLIGHT_CODES.has(error.code) && certificate)) throw error;
    return { ...withoutKey(certificate, intermediates), problem: error };
  }
}
