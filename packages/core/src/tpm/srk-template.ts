/**
 * The parent a key file names by its hierarchy: the TCG provisioning guidance's ECC P-256
 * storage root key (AES-128-CFB, empty unique), the primary that tpm2-tss-engine, tpm2-openssl
 * and aws_signing_helper all create. The same template on the same TPM always yields the same key,
 * so the wrapped key loads under it.
 */
import { TPM_ALG, TPM_ECC_CURVE } from './constants.js';
import { TpmWriter } from './wire.js';

const ATTRIBUTES =
  (1 << 1) | // fixedTPM
  (1 << 4) | // fixedParent
  (1 << 5) | // sensitiveDataOrigin
  (1 << 6) | // userWithAuth
  (1 << 10) | // noDA
  (1 << 16) | // restricted
  (1 << 17); // decrypt

export function srkTemplate(): Buffer {
  return new TpmWriter()
    .u16(TPM_ALG.ECC)
    .u16(TPM_ALG.SHA256) // nameAlg
    .u32(ATTRIBUTES)
    .sized(Buffer.alloc(0)) // authPolicy
    .u16(TPM_ALG.AES)
    .u16(128)
    .u16(TPM_ALG.CFB) // symmetric
    .u16(TPM_ALG.NULL) // scheme
    .u16(TPM_ECC_CURVE.NIST_P256)
    .u16(TPM_ALG.NULL) // kdf
    .sized(Buffer.alloc(0)) // unique.x
    .sized(Buffer.alloc(0)) // unique.y
    .toBuffer();
}
