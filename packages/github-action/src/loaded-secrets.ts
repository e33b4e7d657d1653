/**
 * What a path or base64 input loads is as secret as what was typed: the key's PEM lines as
 * read, the base64 text of a PKCS#12 file, the key's PEM once decoded from DER, and the key a
 * PKCS#12 file holds once decrypted. The runner masks line by line, so each of those lines is
 * given to it.
 */
import { createPrivateKey, type KeyObject } from 'node:crypto';
import { type MaterialInput, parsePkcs12, type Source, secretLines } from '@iamra/core';

const KEY_BLOCK = /-----BEGIN ([A-Z0-9 ]*PRIVATE KEY)-----[\s\S]*?-----END \1-----/g;

function base64Lines(bytes: Uint8Array, width: number): string[] {
  const text = Buffer.from(bytes).toString('base64');
  const lines: string[] = [];
  for (let at = 0; at < text.length; at += width) lines.push(text.slice(at, at + width));
  return [text, ...lines];
}

/** DER as the PEM a decoder would print it: the whole block and its 64-column lines. */
function derAsPem(der: Uint8Array, label: string): string[] {
  const body = base64Lines(der, 64);
  const pem = `-----BEGIN ${label}-----\n${body.slice(1).join('\n')}\n-----END ${label}-----\n`;
  return [...secretLines(pem), ...body];
}

function textOf(source: Source): string {
  return typeof source === 'string' ? source : Buffer.from(source).toString('utf8');
}

const DER_TYPES = ['pkcs8', 'pkcs1', 'sec1'] as const;

/** The key as a decoder prints it (PKCS#8 PEM); nothing when it cannot be decoded here. */
function decodedPem(key: string | Buffer, passphrase: string | undefined): string[] {
  const attempts =
    typeof key === 'string' ? [{ key }] : DER_TYPES.map((type) => ({ key, format: 'der' as const, type }));
  for (const attempt of attempts) {
    try {
      const pem = createPrivateKey({ ...attempt, ...(passphrase ? { passphrase } : {}) }).export({
        type: 'pkcs8',
        format: 'pem',
      });
      return secretLines(pem.toString());
    } catch {
      // Not this encoding, or encrypted without a passphrase: the lines as read are masked all the same.
    }
  }
  return [];
}

function pemKeyLines(text: string, passphrase: string | undefined): string[] {
  return [...text.matchAll(KEY_BLOCK)].flatMap((match) => [
    ...secretLines(match[0]),
    ...decodedPem(match[0], passphrase),
  ]);
}

function privateKeyLines(source: Source, passphrase: string | undefined): string[] {
  const text = textOf(source);
  if (text.includes('-----BEGIN ')) return pemKeyLines(text, passphrase);
  if (typeof source === 'string') return secretLines(source);
  return [...derAsPem(source, 'PRIVATE KEY'), ...decodedPem(Buffer.from(source), passphrase)];
}

export function loadedSecrets(material: MaterialInput): string[] {
  const passphrase = material.privateKeyPassphrase;
  const lines = [
    ...(material.privateKey !== undefined ? privateKeyLines(material.privateKey, passphrase) : []),
    ...(material.certificate !== undefined ? pemKeyLines(textOf(material.certificate), passphrase) : []),
    ...(material.pkcs12 !== undefined && typeof material.pkcs12 !== 'string'
      ? [...base64Lines(material.pkcs12, 64), ...base64Lines(material.pkcs12, 76)]
      : []),
  ];
  return [...new Set(lines.filter((line) => line.length > 0))];
}

/** The traditional PEM labels OpenSSL's `pkcs12 -nodes -traditional` and older tools print. */
const TRADITIONAL = { rsa: 'pkcs1', ec: 'sec1' } as const;

/** A decrypted key in every form a decoder prints it: PKCS#8 and traditional PEM, and their DER. */
function keyForms(key: KeyObject): string[] {
  const traditional = TRADITIONAL[key.asymmetricKeyType as keyof typeof TRADITIONAL];
  const types = traditional ? (['pkcs8', traditional] as const) : (['pkcs8'] as const);
  return types.flatMap((type) => [
    ...secretLines(key.export({ type, format: 'pem' }).toString()),
    ...base64Lines(key.export({ type, format: 'der' }), 64),
  ]);
}

/**
 * The key inside a PKCS#12 input, as `openssl pkcs12 -nodes` or a debugging step would print it.
 * Decrypting needs the password and node-forge, so this is its own async step; a file that does
 * not open here gives nothing (loading it fails next, and nothing of it was decoded to print).
 */
export async function loadedPkcs12Secrets(material: MaterialInput): Promise<string[]> {
  if (material.pkcs12 === undefined) return [];
  try {
    const { privateKey } = await parsePkcs12(material.pkcs12, material.pkcs12Password);
    return [...new Set(keyForms(privateKey).filter((line) => line.length > 0))];
  } catch {
    return [];
  }
}
