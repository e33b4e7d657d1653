/** What read-certificate-data finds: the certificate as iamra and the service will see it. */
import type { KeyObject } from 'node:crypto';
import {
  type CertificateInfo,
  IamraError,
  type KeySigner,
  loadSigningMaterial,
  mlDsaParameterSet,
  mlDsaUnsupported,
  parseCertificateList,
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

type KeyFacts = Pick<SigningMaterial, 'keyType' | 'keyBits' | 'curve' | 'mlDsa'>;

function keyTypeOf(key: KeyFacts, nodeType?: string): string {
  if (key.mlDsa) return key.mlDsa;
  if (nodeType !== undefined && nodeType !== 'rsa' && nodeType !== 'ec') return nodeType;
  return key.keyType === 'rsa' ? `RSA ${key.keyBits}` : `EC ${key.curve ?? 'unknown curve'}`;
}

const CURVES: Record<string, 'P-256' | 'P-384' | 'P-521'> = {
  prime256v1: 'P-256',
  secp384r1: 'P-384',
  secp521r1: 'P-521',
};

/** The leaf's key as pre-flight and the report describe it, from the certificate alone. */
function keyFacts(publicKey: KeyObject): KeyFacts {
  const mlDsa = mlDsaParameterSet(publicKey.asymmetricKeyType);
  if (mlDsa) return { keyType: 'ml-dsa', keyBits: 0, curve: undefined, mlDsa };
  const details = publicKey.asymmetricKeyDetails;
  return {
    keyType: publicKey.asymmetricKeyType === 'rsa' ? 'rsa' : 'ec',
    keyBits: details?.modulusLength ?? 0,
    curve: CURVES[details?.namedCurve ?? ''],
  };
}

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
  const [leaf, ...rest] = parseCertificateList(certificate);
  if (!leaf) throw new IamraError('CERT_MISSING', 'no certificate found; give the leaf certificate in --certificate');
  if (leaf.keyUnreadable) throw mlDsaUnsupported(`certificate "${leaf.subject}"`);
  const others = intermediates.flatMap((source) => parseCertificateList(source, 'intermediate certificate'));
  const { chain, path, offPath } = planChain(leaf, [...rest, ...others]);
  const publicKey = leaf.x509.publicKey;
  const key = keyFacts(publicKey);
  const report: Record<string, unknown> = {
    keyType: keyTypeOf(key, publicKey.asymmetricKeyType),
    ...describe(leaf),
    path: path.map(describe),
    notOnPath: offPath.map((c) => c.subject),
  };
  const certificateData = goCertificateData(leaf.der, publicKey.asymmetricKeyType, leaf.serialDecimal);
  try {
    // Only the certificate checks apply: preflight reads the key's type and size, never the key.
    const warnings = preflight(
      {
        ...key,
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
      keyType: keyTypeOf(material),
      algorithm: material.algorithm,
      ...describe(material.leaf),
      path: material.path.map(describe),
      notOnPath: material.offPath.map((c) => c.subject),
    };
    const { leaf } = material;
    return {
      report,
      certificateData: goCertificateData(leaf.der, material.mlDsa ?? material.keyType, leaf.serialDecimal),
      warnings,
    };
  } catch (error) {
    if (!(error instanceof IamraError && PREFLIGHT_CODES.has(error.code) && certificate)) throw error;
    return { ...withoutKey(certificate, intermediates), problem: error };
  }
}
