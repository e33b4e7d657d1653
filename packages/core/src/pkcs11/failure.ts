/** A module's CKR_* result as one actionable line (the CKR name is a constant, never input). */
import { type ErrorCode, IamraError } from '../errors.js';

const PIN_REFUSED =
  'the token refused the PIN (it is not shown); check IAMRA_PKCS11_PIN or the pin-source file for a wrong PIN or stray characters';
const PIN_LOCKED =
  "the token's user PIN is locked after too many wrong tries; unlock it with the SO PIN (pkcs11-tool --init-pin, softhsm2-util, or the vendor's tool) before retrying";

const KNOWN: Record<string, [ErrorCode, string]> = {
  CKR_PIN_INCORRECT: ['PKCS11_PIN_WRONG', PIN_REFUSED],
  CKR_PIN_INVALID: ['PKCS11_PIN_WRONG', PIN_REFUSED],
  CKR_PIN_LEN_RANGE: ['PKCS11_PIN_WRONG', PIN_REFUSED],
  CKR_PIN_LOCKED: ['PKCS11_PIN_LOCKED', PIN_LOCKED],
  CKR_MECHANISM_INVALID: [
    'PKCS11_MECHANISM_UNSUPPORTED',
    'the token does not offer the signing mechanism this key needs (RSA PKCS#1 v1.5 with SHA-256, or ECDSA); use an RSA or EC P-256/P-384 key the token can sign with',
  ],
  CKR_KEY_FUNCTION_NOT_PERMITTED: [
    'PKCS11_MECHANISM_UNSUPPORTED',
    'the token does not allow this key to sign (CKA_SIGN is false); use a key made for signing',
  ],
  CKR_TOKEN_NOT_PRESENT: ['PKCS11_TOKEN_NOT_FOUND', 'the token was removed; insert it and retry'],
  CKR_DEVICE_REMOVED: ['PKCS11_TOKEN_NOT_FOUND', 'the token was removed; insert it and retry'],
};

export function ckrName(error: unknown): string | undefined {
  const message = error instanceof Error ? error.message : '';
  return /^CKR_[A-Z0-9_]+$/.test(message) ? message : undefined;
}

export function pkcs11Failure(error: unknown, action: string): IamraError {
  const name = ckrName(error);
  const known = name ? KNOWN[name] : undefined;
  if (known) return new IamraError(known[0], known[1], { cause: error });
  return new IamraError(
    'PKCS11_FAILED',
    `the PKCS#11 module failed to ${action}${name ? ` (${name})` : ''}; check the token with pkcs11-tool --list-objects`,
    { cause: error },
  );
}

/** Runs one module call, turning its failure into that line. */
export function call<T>(action: string, run: () => T): T {
  try {
    return run();
  } catch (error) {
    throw pkcs11Failure(error, action);
  }
}
