/** Private keys in every form CI systems hold them: PKCS#8, PKCS#1, SEC1, DER, encrypted. */
import { createPrivateKey, type KeyObject } from 'node:crypto';
import { IamraError } from '../errors.js';
import { mlDsaAvailable, mlDsaOfPkcs8, mlDsaUnsupported } from '../keys/ml-dsa.js';
import { binaryOf, checkSize, hasPemMarker, pemBlocks } from './pem.js';
import type { Source } from './types.js';

const KEY_LABELS = new Set([
  'PRIVATE KEY',
  'ENCRYPTED PRIVATE KEY',
  'RSA PRIVATE KEY',
  'EC PRIVATE KEY',
  'DSA PRIVATE KEY',
  'OPENSSH PRIVATE KEY',
]);

function nodeCode(error: unknown): string {
  return typeof error === 'object' && error && 'code' in error ? String(error.code) : '';
}

function passphraseFailure(error: unknown, passphrase: string | undefined): IamraError | undefined {
  const code = nodeCode(error);
  const text = error instanceof Error ? error.message : '';
  if (code === 'ERR_MISSING_PASSPHRASE' || (passphrase === undefined && /passphrase|password/i.test(text))) {
    return new IamraError(
      'PASSPHRASE_REQUIRED',
      'the private key is encrypted and no passphrase was given; set the private key passphrase input (IAMRA_PRIVATE_KEY_PASSPHRASE for the CLI)',
      { cause: error },
    );
  }
  if (passphrase !== undefined && /bad decrypt|decrypt|unsupported|wrong/i.test(`${code} ${text}`)) {
    return new IamraError(
      'PASSPHRASE_WRONG',
      'the private key passphrase is wrong (the key could not be decrypted); check the passphrase secret for stray spaces or newlines',
      { cause: error },
    );
  }
  return undefined;
}

/** Why Node could not read an unencrypted key: ML-DSA on a runtime without it, or damage. */
function unreadableKey(der: Buffer, cause: unknown): IamraError {
  if (mlDsaOfPkcs8(der) && !mlDsaAvailable()) return mlDsaUnsupported('the private key', cause);
  return malformedKey('is truncated or corrupted', cause);
}

function malformedKey(detail: string, cause?: unknown): IamraError {
  return new IamraError(
    'KEY_MALFORMED',
    `private key ${detail}; give a PEM (PKCS#8, PKCS#1 or SEC1) or DER private key`,
    cause === undefined ? {} : { cause },
  );
}

function fromPem(text: string, passphrase: string | undefined): KeyObject {
  const block = pemBlocks(text).find((candidate) => KEY_LABELS.has(candidate.label));
  if (!block) throw malformedKey('holds no complete "BEGIN ... PRIVATE KEY" PEM block');
  if (block.label === 'OPENSSH PRIVATE KEY') {
    throw malformedKey('is in OpenSSH format; convert it with `ssh-keygen -p -m PKCS8 -f FILE`');
  }
  if (block.der.length === 0) throw malformedKey('has a corrupted PEM body');
  const encrypted = block.label === 'ENCRYPTED PRIVATE KEY' || /ENCRYPTED/.test(block.headers['Proc-Type'] ?? '');
  if (encrypted && passphrase === undefined) {
    throw new IamraError(
      'PASSPHRASE_REQUIRED',
      'the private key is encrypted and no passphrase was given; set the private key passphrase input (IAMRA_PRIVATE_KEY_PASSPHRASE for the CLI)',
    );
  }
  try {
    return createPrivateKey({ key: block.text, format: 'pem', ...(encrypted ? { passphrase: passphrase ?? '' } : {}) });
  } catch (error) {
    throw (encrypted ? passphraseFailure(error, passphrase) : undefined) ?? unreadableKey(block.der, error);
  }
}

function fromDer(der: Buffer, passphrase: string | undefined): KeyObject {
  if (der.length === 0) throw malformedKey('is empty');
  if (der[0] !== 0x30) throw malformedKey('is neither PEM nor DER');
  let firstError: unknown;
  for (const type of ['pkcs8', 'pkcs1', 'sec1'] as const) {
    try {
      return createPrivateKey({ key: der, format: 'der', type });
    } catch (error) {
      if (nodeCode(error) === 'ERR_MISSING_PASSPHRASE') return decryptDer(der, passphrase, error);
      firstError ??= error;
    }
  }
  throw unreadableKey(der, firstError);
}

/** Encrypted PKCS#8 in DER: Node reports it as needing a passphrase. */
function decryptDer(der: Buffer, passphrase: string | undefined, missing: unknown): KeyObject {
  if (passphrase === undefined) throw passphraseFailure(missing, undefined) ?? malformedKey('is encrypted');
  try {
    return createPrivateKey({ key: der, format: 'der', type: 'pkcs8', passphrase });
  } catch (error) {
    throw passphraseFailure(error, passphrase) ?? malformedKey('is truncated or corrupted', error);
  }
}

export function parsePrivateKey(source: Source, passphrase?: string): KeyObject {
  checkSize(source, 'private key');
  if (hasPemMarker(source)) {
    const text = typeof source === 'string' ? source : Buffer.from(source).toString('utf8');
    return fromPem(text, passphrase);
  }
  return fromDer(binaryOf(source), passphrase);
}

/** Whether a PEM source holds a private key block (a combined certificate + key file). */
export function holdsPrivateKey(source: Source): boolean {
  if (!hasPemMarker(source)) return false;
  const text = typeof source === 'string' ? source : Buffer.from(source).toString('utf8');
  return pemBlocks(text).some((block) => KEY_LABELS.has(block.label));
}
