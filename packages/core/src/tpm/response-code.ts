/**
 * A TPM response code as one actionable line. Only constants reach the message (the code in hex),
 * never anything the TPM sent besides it.
 */
import { type ErrorCode, IamraError } from '../errors.js';

const FORMAT_ONE = 0x080;
export const TPM_RC_SUCCESS = 0x000;
export const TPM_RC_INITIALIZE = 0x100;
/** Warnings that mean "send it again" (TPM_RC_RETRY, TPM_RC_YIELDED, TPM_RC_TESTING, TPM_RC_NV_UNAVAILABLE). */
const RETRY_WARNINGS = new Set([0x922, 0x908, 0x90a, 0x923]);

const PASSWORD_REFUSED =
  'the TPM refused the key password (it is not shown); check IAMRA_TPM_KEY_PASSWORD or --tpm-key-password for a wrong password or stray characters';

/** Format-1 errors (bit 7 set), by their number (the low 6 bits). */
const FORMAT_ONE_ERRORS: Record<number, [ErrorCode, string]> = {
  14: ['TPM_PASSWORD_WRONG', PASSWORD_REFUSED], // TPM_RC_AUTH_FAIL (dictionary-attack protected key)
  34: ['TPM_PASSWORD_WRONG', PASSWORD_REFUSED], // TPM_RC_BAD_AUTH (noDA key)
  27: [
    'TPM_KEY_UNUSABLE',
    "the TPM cannot load the key: it was made by another TPM or under another parent key (TPM_RC_INTEGRITY); use the key file made on this machine's TPM",
  ],
  11: [
    'TPM_KEY_NOT_FOUND',
    'the TPM has no object at that handle (TPM_RC_HANDLE); list persistent keys with tpm2_getcap handles-persistent',
  ],
  2: [
    'TPM_KEY_UNUSABLE',
    'the TPM key cannot sign (its attributes lack sign, or it is restricted); make a signing key (tpm2_create -a ...|sign)',
  ],
  18: [
    'TPM_KEY_UNUSABLE',
    "the TPM key's own scheme is not RSASSA or ECDSA (TPM_RC_SCHEME); make the key with a null, rsassa or ecdsa scheme",
  ],
};

const FORMAT_ZERO_ERRORS: Record<number, [ErrorCode, string]> = {
  257: ['TPM_FAILED', 'the TPM is in failure mode (TPM_RC_FAILURE); reboot the machine or restart the TPM simulator'],
  303: [
    'TPM_KEY_UNUSABLE',
    'the TPM key can only be used with a policy session (no userWithAuth), which iamra does not support; make the key with userwithauth',
  ],
  323: ['TPM_FAILED', 'the TPM does not implement a command iamra needs (TPM_RC_COMMAND_CODE)'],
  2337: [
    'TPM_LOCKOUT',
    'the TPM is in dictionary-attack lockout after wrong passwords (TPM_RC_LOCKOUT); wait for the lockout to expire or reset it with tpm2_dictionarylockout -c',
  ],
  2306: [
    'TPM_BUSY',
    'the TPM has no room for another object (TPM_RC_OBJECT_MEMORY); use /dev/tpmrm0, or flush transient objects with tpm2_flushcontext -t',
  ],
  2307: ['TPM_BUSY', 'the TPM has no room for another session (TPM_RC_SESSION_MEMORY); retry later'],
  2308: ['TPM_BUSY', 'the TPM is out of memory (TPM_RC_MEMORY); retry later'],
};

export function isRetryWarning(code: number): boolean {
  return RETRY_WARNINGS.has(code);
}

export function tpmResponseError(code: number, action: string): IamraError {
  const known = code & FORMAT_ONE ? FORMAT_ONE_ERRORS[code & 0x3f] : FORMAT_ZERO_ERRORS[code];
  const hex = `0x${code.toString(16).padStart(3, '0')}`;
  if (known) return new IamraError(known[0], known[1]);
  return new IamraError(
    'TPM_FAILED',
    `the TPM failed to ${action} (response code ${hex}); decode it with tpm2_rc_decode ${hex}`,
  );
}
