/** The checks the service would fail us on, made before we sign, with a fix in each message. */
import { IamraError } from '../errors.js';
import type { CertificateInfo, LoadOptions, SigningMaterial, Warning } from './types.js';
import { WEAK_SIGNATURE_OIDS } from './x509-fields.js';

const DAY_MS = 86_400_000;
/**
 * Intermediates travel in one header. Servers commonly cap all headers near 16 KiB (Node's
 * default, which the emulator keeps); a chain past this, padded with certificates off the leaf's
 * path (a system CA file given as intermediates), is worth a warning.
 */
const CHAIN_WARNING_BYTES = 8 * 1024;

/** The X-Amz-X509-Chain header's length: base64 of each DER, joined by commas. */
function chainHeaderBytes(chain: CertificateInfo[]): number {
  return chain.reduce((sum, certificate) => sum + Math.ceil(certificate.der.length / 3) * 4 + 1, 0);
}

function iso(date: Date): string {
  return date.toISOString();
}

function checkSignature(certificate: CertificateInfo, role: string): void {
  if (WEAK_SIGNATURE_OIDS.has(certificate.signatureAlgorithm.oid)) {
    const hash = /md5/i.test(certificate.signatureAlgorithm.name) ? 'MD5' : 'SHA-1';
    throw new IamraError(
      'CERT_WEAK_SIGNATURE',
      `the ${role} "${certificate.subject}" is signed with ${hash} (${certificate.signatureAlgorithm.name}), which IAM Roles Anywhere rejects; reissue it signed with SHA-256 or stronger`,
    );
  }
}

export function preflight(material: SigningMaterial, options: LoadOptions): Warning[] {
  const { leaf } = material;
  const now = options.now;
  if (now < leaf.notBefore) {
    throw new IamraError(
      'CERT_NOT_YET_VALID',
      `certificate "${leaf.subject}" is not valid before ${iso(leaf.notBefore)} (now ${iso(now)}); check the agent's clock or wait until then`,
    );
  }
  if (now > leaf.notAfter) {
    throw new IamraError(
      'CERT_EXPIRED',
      `certificate "${leaf.subject}" expired on ${iso(leaf.notAfter)} (now ${iso(now)}); issue a new certificate from the trust anchor's CA`,
    );
  }
  if (leaf.isCA) {
    throw new IamraError(
      'CERT_IS_CA',
      `certificate "${leaf.subject}" is a CA certificate (basicConstraints CA:TRUE); use an end-entity certificate issued by that CA`,
    );
  }
  if (leaf.keyUsage && !leaf.keyUsage.digitalSignature) {
    throw new IamraError(
      'CERT_KEY_USAGE',
      `certificate "${leaf.subject}" has a key usage without digitalSignature; reissue it with keyUsage = critical, digitalSignature`,
    );
  }
  checkSignature(leaf, 'certificate');
  for (const intermediate of material.path) checkSignature(intermediate, 'intermediate certificate');

  const warnings: Warning[] = [];
  const warningDays = options.expiryWarningDays ?? 30;
  const daysLeft = (leaf.notAfter.getTime() - now.getTime()) / DAY_MS;
  if (daysLeft <= warningDays) {
    warnings.push({
      code: 'CERT_EXPIRES_SOON',
      message: `certificate "${leaf.subject}" expires on ${iso(leaf.notAfter)}, in ${Math.max(0, Math.floor(daysLeft))} days; renew it before then`,
    });
  }
  const chainBytes = chainHeaderBytes(material.chain);
  if (chainBytes > CHAIN_WARNING_BYTES && material.offPath.length > 0) {
    warnings.push({
      code: 'CHAIN_LARGE',
      message: `the intermediates make a ${Math.round(chainBytes / 1024)} KiB X-Amz-X509-Chain header (${material.chain.length} certificates, ${material.offPath.length} of them off the leaf's path), which the service may refuse; give only the intermediates that issued this certificate`,
    });
  }
  if (material.keyType === 'rsa' && material.keyBits < 2048) {
    warnings.push({
      code: 'RSA_KEY_SMALL',
      message: `the RSA key has ${material.keyBits} bits; use 2048 bits or more`,
    });
  }
  return warnings;
}
