/**
 * Keys made IN a software TPM by tpm2-tools, as a user provisions them: signing keys wrapped by
 * the owner hierarchy's standard ECC P-256 primary (written as TSS2 PRIVATE KEY files), one under
 * a persistent parent, one made persistent (handle:0x81…), each with a certificate from the test
 * PKI for its public key. Their private halves never exist outside the TPM.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makePki, type TestPki } from './pki.js';
import { issue } from './softhsm.js';
import type { RunningSwtpm } from './swtpm.js';

/** Long enough for the secret scanner, which ignores fragments under 8 characters. */
export const TPM_KEY_PASSWORD = 'tpm-key-pw-2718-never-logged';
export const PERSISTENT_PARENT = 0x81000001;
export const PERSISTENT_KEY = 0x81000010;
export const PERSISTENT_KEY_NO_PASSWORD = 0x81000011;

/** The SRK template aws_signing_helper, tpm2-tss-engine and tpm2-openssl create. */
const PRIMARY = [
  '-C',
  'o',
  '-G',
  'ecc256:aes128cfb',
  '-a',
  'fixedtpm|fixedparent|sensitivedataorigin|userwithauth|noda|restricted|decrypt',
];
const SIGNING = 'fixedtpm|fixedparent|sensitivedataorigin|userwithauth|noda|sign';

export interface TpmTestKey {
  /** TSS2 PRIVATE KEY file (empty for the persistent key). */
  keyPath: string;
  /** `handle:0x…` for the persistent key. */
  handle: string;
  certPath: string;
  password: string | undefined;
}

export interface TpmKeys {
  pki: TestPki;
  rsa: TpmTestKey;
  ec: TpmTestKey;
  rsaWithPassword: TpmTestKey;
  ecWithPassword: TpmTestKey;
  /** A P-384 key file without a password. */
  ecP384: TpmTestKey;
  /** A P-256 key file whose parent is the persistent primary at 0x81000001. */
  underPersistentParent: TpmTestKey;
  /** An RSA key made persistent at 0x81000010, with the password. */
  persistent: TpmTestKey;
  /** A P-256 key made persistent at 0x81000011, without a password. */
  persistentNoPassword: TpmTestKey;
}

/** DER, just enough for the TSS2 key structure (draft-bottomley-tpm2-keys). */
const der = (tag: number, body: Buffer): Buffer => {
  const { length } = body;
  const size =
    length < 0x80
      ? Buffer.from([length])
      : length < 0x100
        ? Buffer.from([0x81, length])
        : Buffer.from([0x82, length >> 8, length & 0xff]);
  return Buffer.concat([Buffer.from([tag]), size, body]);
};

/** Deviations from a plain key file, to test how a reader treats them. */
export interface Tss2Variant {
  /** The last arc of the key type OID (3 loadable, 4 importable, 5 sealed). */
  typeArc?: number;
  /** emptyAuth's TRUE byte (DER's FF; older engines wrote 01). */
  trueByte?: number;
  /** Extra [n] EXPLICIT fields after emptyAuth (policy 1, secret 2, authPolicy 3). */
  tagged?: number[];
}

export function tss2KeyPem(
  publicBlob: Buffer,
  privateBlob: Buffer,
  parent: number,
  emptyAuth: boolean,
  variant: Tss2Variant = {},
): string {
  const parentBytes = Buffer.alloc(5);
  parentBytes.writeUInt32BE(parent, 1); // leading 00: a positive INTEGER
  const body = Buffer.concat([
    der(0x06, Buffer.from([0x67, 0x81, 0x05, 0x0a, 0x01, variant.typeArc ?? 3])), // 2.23.133.10.1.3
    ...(emptyAuth ? [der(0xa0, der(0x01, Buffer.from([variant.trueByte ?? 0xff])))] : []),
    ...(variant.tagged ?? []).map((n) => der(0xa0 + n, der(0x04, Buffer.from([0])))),
    der(0x02, parentBytes[1] && parentBytes[1] & 0x80 ? parentBytes : parentBytes.subarray(1)),
    der(0x04, publicBlob),
    der(0x04, privateBlob),
  ]);
  const base64 =
    der(0x30, body)
      .toString('base64')
      .match(/.{1,64}/g) ?? [];
  return `-----BEGIN TSS2 PRIVATE KEY-----\n${base64.join('\n')}\n-----END TSS2 PRIVATE KEY-----\n`;
}

const OWNER = 0x40000001;
const hex = (handle: number) => `0x${handle.toString(16)}`;

export async function makeTpmKeys(tpm: RunningSwtpm, dir: string): Promise<TpmKeys> {
  const pki = makePki({ subjectPrefix: 'tpm' });
  const primary = join(dir, 'primary.ctx');
  const passwordFile = join(dir, 'password');
  writeFileSync(passwordFile, TPM_KEY_PASSWORD, { mode: 0o600 });
  // Without a resource manager every tool leaves its objects loaded: flush them after each step.
  const tool = async (name: string, args: string[]) => {
    const output = await tpm.tool(name, args);
    await tpm.tool('tpm2_flushcontext', ['-t']);
    return output;
  };
  await tool('tpm2_createprimary', [...PRIMARY, '-c', primary]);
  const create = async (name: string, algorithm: string, parent: string, password: boolean) => {
    const pub = join(dir, `${name}.pub`);
    const priv = join(dir, `${name}.priv`);
    const auth = password ? ['-p', `file:${passwordFile}`] : [];
    await tool('tpm2_create', ['-C', parent, '-G', algorithm, '-a', SIGNING, ...auth, '-u', pub, '-r', priv]);
    const spki = join(dir, `${name}.spki.der`);
    writeFileSync(spki, await tpm.tool('tpm2_print', ['-t', 'TPM2B_PUBLIC', '-f', 'der', pub]));
    return { pub, priv, certPath: issue(dir, `tpm-${name}`, spki, pki.intermediate) };
  };
  const keyFile = async (name: string, algorithm: string, password: boolean, parent: number): Promise<TpmTestKey> => {
    const made = await create(name, algorithm, parent === OWNER ? primary : hex(parent), password);
    const keyPath = join(dir, `${name}.tss2.pem`);
    writeFileSync(keyPath, tss2KeyPem(readFileSync(made.pub), readFileSync(made.priv), parent, !password));
    return { keyPath, handle: '', certPath: made.certPath, password: password ? TPM_KEY_PASSWORD : undefined };
  };
  const rsa = await keyFile('rsa', 'rsa2048', false, OWNER);
  const ec = await keyFile('ec', 'ecc256', false, OWNER);
  const rsaWithPassword = await keyFile('rsa-pw', 'rsa2048', true, OWNER);
  const ecWithPassword = await keyFile('ec-pw', 'ecc256', true, OWNER);
  const ecP384 = await keyFile('ec-p384', 'ecc384', false, OWNER);
  const persist = async (name: string, algorithm: string, handle: number, password: boolean): Promise<TpmTestKey> => {
    const made = await create(name, algorithm, primary, password);
    const loaded = join(dir, `${name}.ctx`);
    await tpm.tool('tpm2_load', ['-C', primary, '-u', made.pub, '-r', made.priv, '-c', loaded]);
    await tool('tpm2_evictcontrol', ['-C', 'o', '-c', loaded, hex(handle)]);
    const keyPassword = password ? TPM_KEY_PASSWORD : undefined;
    return { keyPath: '', handle: `handle:${hex(handle)}`, certPath: made.certPath, password: keyPassword };
  };
  const persistent = await persist('persistent', 'rsa2048', PERSISTENT_KEY, true);
  const persistentNoPassword = await persist('persistent-no-pw', 'ecc256', PERSISTENT_KEY_NO_PASSWORD, false);
  await tool('tpm2_evictcontrol', ['-C', 'o', '-c', primary, hex(PERSISTENT_PARENT)]);
  const underPersistentParent = await keyFile('ec-persistent-parent', 'ecc256', false, PERSISTENT_PARENT);
  return {
    pki,
    rsa,
    ec,
    rsaWithPassword,
    ecWithPassword,
    ecP384,
    underPersistentParent,
    persistent,
    persistentNoPassword,
  };
}
