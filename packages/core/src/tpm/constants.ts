/** The few TPM 2.0 constants iamra sends (TPM library spec, Part 2). */

export const TPM_ST = { NO_SESSIONS: 0x8001, SESSIONS: 0x8002, HASHCHECK: 0x8024 } as const;

export const TPM_CC = {
  CreatePrimary: 0x131,
  Startup: 0x144,
  Load: 0x157,
  Sign: 0x15d,
  FlushContext: 0x165,
  ReadPublic: 0x173,
} as const;

export const TPM_ALG = {
  RSA: 0x0001,
  SHA1: 0x0004,
  AES: 0x0006,
  SHA256: 0x000b,
  SHA384: 0x000c,
  SHA512: 0x000d,
  NULL: 0x0010,
  RSASSA: 0x0014,
  ECDSA: 0x0018,
  ECC: 0x0023,
  CFB: 0x0043,
} as const;

export const TPM_ECC_CURVE = { NIST_P256: 0x0003, NIST_P384: 0x0004, NIST_P521: 0x0005 } as const;

export const TPM_RH = {
  OWNER: 0x40000001,
  NULL: 0x40000007,
  /** TPM_RS_PW: the password "session" (the authValue travels in the clear). */
  PASSWORD: 0x40000009,
  ENDORSEMENT: 0x4000000b,
  PLATFORM: 0x4000000c,
} as const;

/** The top byte of a persistent object's handle (0x81xxxxxx). */
export const PERSISTENT_HANDLE_TYPE = 0x81;

export const TPM_SU_CLEAR = 0x0000;

/** TPMA_OBJECT bits iamra looks at. */
export const TPMA_OBJECT = { USER_WITH_AUTH: 1 << 6, RESTRICTED: 1 << 16, SIGN: 1 << 18 } as const;

export function isPersistentHandle(handle: number): boolean {
  return handle >>> 24 === PERSISTENT_HANDLE_TYPE;
}

export function hex32(handle: number): string {
  return `0x${(handle >>> 0).toString(16).padStart(8, '0')}`;
}
