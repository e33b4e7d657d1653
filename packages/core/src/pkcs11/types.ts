/**
 * The part of the pkcs11js binding iamra uses, written out here. pkcs11js is an optional
 * dependency with a native build: if its build fails, npm leaves it out, and no type of ours may
 * then depend on its declarations (or nothing would compile). The loader casts the module it
 * imports at run time to this shape; the names and signatures are pkcs11js 2.x's.
 */

/** A slot, session or object handle (an opaque buffer). */
export type Pkcs11Handle = Buffer;

export interface Pkcs11SlotInfo {
  slotDescription: string;
  manufacturerID: string;
  flags: number;
}

export interface Pkcs11TokenInfo {
  label: string;
  manufacturerID: string;
  model: string;
  serialNumber: string;
  flags: number;
}

export interface Pkcs11Attribute {
  type: number;
  value?: number | boolean | string | Buffer;
}

export interface Pkcs11Module {
  load(path: string): void;
  close(): void;
  C_Initialize(): void;
  C_Finalize(): void;
  C_GetSlotList(tokenPresent?: boolean): Pkcs11Handle[];
  C_GetSlotInfo(slot: Pkcs11Handle): Pkcs11SlotInfo;
  C_GetTokenInfo(slot: Pkcs11Handle): Pkcs11TokenInfo;
  C_GetMechanismList(slot: Pkcs11Handle): number[];
  C_OpenSession(slot: Pkcs11Handle, flags: number): Pkcs11Handle;
  C_CloseSession(session: Pkcs11Handle): void;
  C_Login(session: Pkcs11Handle, userType: number, pin?: string): void;
  C_FindObjectsInit(session: Pkcs11Handle, template: Pkcs11Attribute[]): void;
  C_FindObjects(session: Pkcs11Handle, maxObjectCount: number): Pkcs11Handle[];
  C_FindObjectsFinal(session: Pkcs11Handle): void;
  C_GetAttributeValue(
    session: Pkcs11Handle,
    object: Pkcs11Handle,
    template: Pkcs11Attribute[],
  ): { type: number; value: Buffer }[];
  C_SignInit(session: Pkcs11Handle, mechanism: { mechanism: number }, key: Pkcs11Handle): void;
  C_SignAsync(session: Pkcs11Handle, inData: Buffer, outData: Buffer): Promise<Buffer>;
}

/** The module's exports: the class and the PKCS#11 constants iamra reads. */
export interface Pkcs11Binding {
  PKCS11: new () => Pkcs11Module;
  CKA_ALWAYS_AUTHENTICATE: number;
  CKA_CLASS: number;
  CKA_ID: number;
  CKA_KEY_TYPE: number;
  CKA_LABEL: number;
  CKA_VALUE: number;
  CKF_LOGIN_REQUIRED: number;
  CKF_PROTECTED_AUTHENTICATION_PATH: number;
  CKF_SERIAL_SESSION: number;
  CKF_TOKEN_INITIALIZED: number;
  CKF_USER_PIN_LOCKED: number;
  CKK_EC: number;
  CKK_RSA: number;
  CKM_ECDSA: number;
  CKM_RSA_PKCS: number;
  CKM_SHA256_RSA_PKCS: number;
  CKM_SHA384_RSA_PKCS: number;
  CKM_SHA512_RSA_PKCS: number;
  CKO_CERTIFICATE: number;
  CKO_PRIVATE_KEY: number;
  CKU_CONTEXT_SPECIFIC: number;
  CKU_USER: number;
}
