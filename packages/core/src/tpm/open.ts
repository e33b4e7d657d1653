/**
 * A key in the TPM behind the KeySigner seam, the Go helper's two forms: a TSS2 PRIVATE KEY file
 * (loaded under its parent for each signature, then flushed) or a persistent handle
 * (`handle:0x81000001`). The TPM is reached only to sign (and, for a handle, once to read its
 * public key); the password goes to the TPM in a password session and nowhere else.
 */
import type { X509Certificate } from 'node:crypto';
import { IamraError } from '../errors.js';
import type { KeySigner, SignatureDigest } from '../keys/types.js';
import { TpmClient } from './commands.js';
import { hex32, isPersistentHandle, TPMA_OBJECT } from './constants.js';
import { parseTss2Key, type Tss2Key } from './key-file.js';
import { parsePublicArea, type TpmPublic } from './public-area.js';
import { readSignature, signRequest } from './signature.js';
import { srkTemplate } from './srk-template.js';
import { resolveTcti, type TctiConfig, TPM_PASSWORD_ENV } from './tcti.js';
import { openTransport, type TpmTransport } from './transport.js';

export type TpmKeySource = { kind: 'file'; pem: string; path: string } | { kind: 'handle'; handle: number };

export interface TpmKeyOptions {
  key: TpmKeySource;
  /** --tpm-key-password, else IAMRA_TPM_KEY_PASSWORD. */
  password: string | undefined;
  /** --no-tpm-key-password: the handle's key has no password. */
  noPassword: boolean;
  env: NodeJS.ProcessEnv;
  /** Tests: another way to reach the TPM. */
  connect?: (tcti: TctiConfig) => Promise<TpmTransport>;
}

/** Parses `handle:0x81000001` (the Go helper's form; hex with or without 0x). */
export function parseTpmHandle(text: string): number {
  const hex = /^handle:(?:0x)?([0-9a-f]{1,8})$/i.exec(text.trim())?.[1];
  const handle = hex === undefined ? Number.NaN : Number.parseInt(hex, 16);
  if (!isPersistentHandle(handle)) {
    throw new IamraError(
      'CONFIG_INVALID',
      '--private-key handle: must name a persistent TPM key, handle:0x81xxxxxx (list them with tpm2_getcap handles-persistent)',
    );
  }
  return handle;
}

function unusable(description: string, why: string): IamraError {
  return new IamraError('TPM_KEY_UNUSABLE', `${description} cannot sign: ${why}`);
}

function checkSigningKey(key: TpmPublic, description: string): void {
  if (!(key.attributes & TPMA_OBJECT.SIGN)) {
    throw unusable(description, 'it was made without the sign attribute; make a signing key (tpm2_create -a …|sign)');
  }
  if (key.attributes & TPMA_OBJECT.RESTRICTED) {
    throw unusable(
      description,
      'it is restricted to TPM-made data (an attestation key); use an unrestricted signing key',
    );
  }
}

/** The key's password as the TPM takes it, checked against what the key says it needs. */
function keyPassword(options: TpmKeyOptions, file: Tss2Key | undefined, description: string): Buffer {
  const { password } = options;
  if (file?.emptyAuth || options.noPassword) {
    if (password !== undefined) {
      throw new IamraError(
        'CONFIG_INVALID',
        file?.emptyAuth
          ? `${description} has no password (emptyAuth), but one was given; drop --tpm-key-password or ${TPM_PASSWORD_ENV} (a file from tpm2_encodeobject without its emptyAuth fix says the opposite of its -p: encode it again)`
          : `give --no-tpm-key-password or a password (--tpm-key-password, ${TPM_PASSWORD_ENV}), not both`,
      );
    }
    return Buffer.alloc(0);
  }
  if (password === undefined) {
    throw new IamraError(
      'TPM_PASSWORD_REQUIRED',
      file
        ? `${description} has a password; set ${TPM_PASSWORD_ENV} (or --tpm-key-password)`
        : `say whether ${description} has a password: set ${TPM_PASSWORD_ENV} (or --tpm-key-password), or give --no-tpm-key-password`,
    );
  }
  return Buffer.from(password, 'utf8');
}

async function withClient<T>(
  options: TpmKeyOptions,
  tcti: TctiConfig,
  run: (client: TpmClient) => Promise<T>,
): Promise<T> {
  const client = new TpmClient(await (options.connect ?? openTransport)(tcti));
  try {
    return await run(client);
  } finally {
    await client.close();
  }
}

/** Loads a key file's key: under its persistent parent, or under the hierarchy's standard primary. */
async function loadKeyFile(client: TpmClient, file: Tss2Key): Promise<number> {
  if (isPersistentHandle(file.parent)) return client.load(file.parent, file.privateBlob, file.publicBlob);
  const parent = await client.createPrimary(file.parent, srkTemplate());
  try {
    return await client.load(parent, file.privateBlob, file.publicBlob);
  } finally {
    await client.flush(parent);
  }
}

export async function openTpmKey(options: TpmKeyOptions): Promise<KeySigner> {
  const { key } = options;
  const description = key.kind === 'file' ? `the TPM key ${key.path}` : `the TPM key at ${hex32(key.handle)}`;
  const file = key.kind === 'file' ? parseTss2Key(key.pem) : undefined;
  const persistent = key.kind === 'handle' ? key.handle : undefined;
  let password = keyPassword(options, file, description);
  // After the key file and password checks: those errors need no TPM.
  const tcti = resolveTcti(options.env);
  const publicArea =
    persistent === undefined
      ? (file as Tss2Key).publicBlob.subarray(2)
      : await withClient(options, tcti, (client) => client.readPublic(persistent));
  const tpmPublic = parsePublicArea(publicArea);
  checkSigningKey(tpmPublic, description);
  const sign = (data: Uint8Array, digest: SignatureDigest = 'SHA256'): Promise<Buffer> =>
    withClient(options, tcti, async (client) => {
      const request = signRequest(tpmPublic, data, digest);
      const handle = persistent ?? (await loadKeyFile(client, file as Tss2Key));
      try {
        const reader = await client.sign(handle, password, request.digest, request.scheme, request.hash);
        return readSignature(tpmPublic, reader);
      } finally {
        if (file) await client.flush(handle);
      }
    });
  const spki = tpmPublic.publicKey.export({ type: 'spki', format: 'der' });
  return {
    description,
    publicKey: tpmPublic.publicKey,
    sign,
    matches: (certificate: X509Certificate) =>
      spki.equals(certificate.publicKey.export({ type: 'spki', format: 'der' })),
    close: () => {
      password.fill(0);
      password = Buffer.alloc(0);
    },
  };
}
