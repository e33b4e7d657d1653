/** Imported CRLs: which serials an issuer revoked. */
import 'reflect-metadata';
import { X509Crl } from '@peculiar/x509';
import type { RevocationList } from './model.js';

export function parseCrl(source: string | Buffer): RevocationList {
  const text = typeof source === 'string' ? source : source.toString('latin1');
  const crl = new X509Crl(text.includes('-----BEGIN') ? text : Buffer.from(source as Buffer));
  return {
    issuer: crl.issuer,
    revokedSerials: new Set(crl.entries.map((entry) => entry.serialNumber.toUpperCase().replace(/^(00)+(?=.)/, ''))),
  };
}
