/** PEM blocks and the text/binary forms a user may hand us. */
import { IamraError } from '../errors.js';
import type { Source } from './types.js';

export const MAX_INPUT_BYTES = 1024 * 1024;

export interface PemBlock {
  label: string;
  headers: Record<string, string>;
  der: Buffer;
  text: string;
}

const BLOCK = /-----BEGIN ([A-Z0-9 #]+)-----([\s\S]*?)-----END \1-----/g;

export function checkSize(source: Source, what: string): void {
  const size = typeof source === 'string' ? Buffer.byteLength(source) : source.byteLength;
  if (size > MAX_INPUT_BYTES) {
    throw new IamraError(
      'INPUT_TOO_LARGE',
      `${what} is ${(size / 1048576).toFixed(1)} MiB, over the 1 MiB limit; pass the PEM or DER file itself, not an archive or a log`,
    );
  }
}

export function isPemText(source: Source): source is string {
  return typeof source === 'string' && source.includes('-----BEGIN ');
}

export function hasPemMarker(source: Source): boolean {
  const text = typeof source === 'string' ? source : Buffer.from(source).toString('latin1');
  return text.includes('-----BEGIN ');
}

export function pemBlocks(text: string): PemBlock[] {
  const blocks: PemBlock[] = [];
  for (const match of text.matchAll(BLOCK)) {
    const label = match[1] ?? '';
    const body = match[2] ?? '';
    const headers: Record<string, string> = {};
    const lines: string[] = [];
    for (const raw of body.split(/\r?\n/)) {
      const line = raw.trim();
      if (!line) continue;
      const header = /^([A-Za-z-]+):\s*(.*)$/.exec(line);
      if (header?.[1] && header[2] !== undefined) headers[header[1]] = header[2];
      else lines.push(line);
    }
    const base64 = lines.join('');
    const valid = /^[A-Za-z0-9+/]*={0,2}$/.test(base64) && base64.length % 4 === 0;
    blocks.push({ label, headers, der: valid ? Buffer.from(base64, 'base64') : Buffer.alloc(0), text: match[0] });
  }
  return blocks;
}

/** Raw bytes of a non-PEM source: DER as given, or base64 text decoded. */
export function binaryOf(source: Source): Buffer {
  if (typeof source !== 'string') return Buffer.from(source);
  const compact = source.replace(/\s+/g, '');
  if (compact === '') return Buffer.alloc(0);
  if (/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) return Buffer.from(compact, 'base64');
  return Buffer.from(source, 'latin1');
}

export function toPem(label: string, der: Buffer): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}
