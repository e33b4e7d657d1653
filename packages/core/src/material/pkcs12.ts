/**
 * PKCS#12 / .pfx with a password. node-forge is the well-kept pure-JS implementation that
 * reads every variant CI users have (PBES2/AES from OpenSSL 3, legacy 3DES, RC2-40 cert bags
 * from old Windows exports); Node's OpenSSL 3 default provider cannot decrypt RC2. It is
 * imported dynamically, only here, so the PEM path never pays its ~25 ms of loading.
 */
/// <reference path="./node-forge-lib.d.ts" />
import { createPrivateKey, type KeyObject } from 'node:crypto';
import type * as Forge from 'node-forge';
import { IamraError } from '../errors.js';
import { describeCertificate, type ParsedCertificate } from './certificate.js';
import { binaryOf, checkSize, isPemText } from './pem.js';
import type { Source } from './types.js';

let forgeModule: typeof Forge | undefined;
function forge(): typeof Forge {
  if (!forgeModule) throw new Error('node-forge not loaded');
  return forgeModule;
}

/** A CommonJS module's exports, however the loader (Node, tsx, ncc) wraps them. */
function exportsOf<T>(imported: unknown): T {
  const wrapped = imported as { default?: T };
  return wrapped.default ?? (imported as T);
}

async function loadForge(): Promise<void> {
  if (!forgeModule) {
    // Only the parts PKCS#12 needs (they register themselves on the shared forge object):
    // a third of the whole library. lib/pkcs12.js exports forge.pkcs12, so take forge itself
    // from lib/forge.js; SHA-256/512 are for PBES2 PRFs and MACs of OpenSSL 3 files.
    await import('node-forge/lib/pkcs12.js');
    await import('node-forge/lib/sha256.js');
    await import('node-forge/lib/sha512.js');
    forgeModule = exportsOf<typeof Forge>(await import('node-forge/lib/forge.js'));
  }
}

export interface Pkcs12Contents {
  privateKey: KeyObject;
  certificates: ParsedCertificate[];
}

function malformed(cause: unknown): IamraError {
  return new IamraError('PKCS12_MALFORMED', 'the PKCS#12 (.pfx/.p12) file is not valid; export it again', { cause });
}

function readPfx(der: Buffer, password: string | undefined): Forge.pkcs12.Pkcs12Pfx {
  const f = forge();
  let asn1: Forge.asn1.Asn1;
  try {
    asn1 = f.asn1.fromDer(f.util.createBuffer(der.toString('binary')), true);
  } catch (error) {
    throw malformed(error);
  }
  try {
    return f.pkcs12.pkcs12FromAsn1(asn1, true, password ?? '');
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    if (/password|mac|decrypt|invalid/i.test(text) && !/asn\.?1|too few bytes|not enough/i.test(text)) {
      throw new IamraError(
        'PKCS12_PASSWORD_WRONG',
        password === undefined || password === ''
          ? 'the PKCS#12 file is password-protected and no password was given; set the PKCS#12 password input (IAMRA_PKCS12_PASSWORD for the CLI)'
          : 'the PKCS#12 password is wrong (its integrity check failed); check the password secret for stray spaces or newlines',
        { cause: error },
      );
    }
    throw malformed(error);
  }
}

function keyFromBags(pfx: Forge.pkcs12.Pkcs12Pfx): KeyObject | undefined {
  const f = forge();
  const shrouded =
    pfx.getBags({ bagType: f.pki.oids.pkcs8ShroudedKeyBag ?? '' })[f.pki.oids.pkcs8ShroudedKeyBag ?? ''] ?? [];
  const plain = pfx.getBags({ bagType: f.pki.oids.keyBag ?? '' })[f.pki.oids.keyBag ?? ''] ?? [];
  for (const bag of [...shrouded, ...plain]) {
    // forge decodes RSA keys only; for EC the decrypted PKCS#8 ASN.1 is kept in bag.asn1.
    const asn1 = bag.key ? f.pki.wrapRsaPrivateKey(f.pki.privateKeyToAsn1(bag.key)) : bag.asn1;
    if (!asn1) continue;
    const der = Buffer.from(f.asn1.toDer(asn1).getBytes(), 'binary');
    return createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  }
  return undefined;
}

export async function parsePkcs12Contents(source: Source, password: string | undefined): Promise<Pkcs12Contents> {
  checkSize(source, 'PKCS#12 file');
  if (isPemText(source)) {
    throw new IamraError(
      'PKCS12_MALFORMED',
      'the PKCS#12 input is PEM text; give the binary .pfx/.p12 file or its base64',
    );
  }
  const der = binaryOf(source);
  if (der.length === 0 || der[0] !== 0x30) throw malformed(new Error('not DER'));
  await loadForge();
  const pfx = readPfx(der, password);
  const f = forge();
  const certBags = pfx.getBags({ bagType: f.pki.oids.certBag ?? '' })[f.pki.oids.certBag ?? ''] ?? [];
  const certificates = certBags.flatMap((bag) => {
    const asn1 = bag.cert ? f.pki.certificateToAsn1(bag.cert) : bag.asn1;
    if (!asn1) return [];
    return [describeCertificate(Buffer.from(f.asn1.toDer(asn1).getBytes(), 'binary'), 'PKCS#12 certificate')];
  });
  let privateKey: KeyObject | undefined;
  try {
    privateKey = keyFromBags(pfx);
  } catch (error) {
    throw malformed(error);
  }
  if (!privateKey) {
    throw new IamraError(
      'PKCS12_NO_KEY',
      'the PKCS#12 file holds no private key; export it again including the private key (e.g. openssl pkcs12 -export -inkey KEY)',
    );
  }
  if (certificates.length === 0) {
    throw new IamraError(
      'PKCS12_NO_CERT',
      'the PKCS#12 file holds no certificate; export it again including the certificate',
    );
  }
  return { privateKey, certificates };
}

export async function parsePkcs12(source: Source, password: string | undefined) {
  const { privateKey, certificates } = await parsePkcs12Contents(source, password);
  return { privateKey, certificates: certificates.map(({ x509: _x509, ...info }) => info) };
}
