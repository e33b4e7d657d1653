/**
 * A small strict DER reader: just enough of X.509 to read what Node's X509Certificate does not
 * expose (signature algorithm, key usage bits, basic constraints). Anything malformed throws
 * CERT_MALFORMED, never a foreign error.
 */
import { IamraError } from '../errors.js';

export interface DerNode {
  tag: number;
  /** Content bytes (without tag and length). */
  value: Buffer;
  /** Offset just past this node in the parent buffer. */
  end: number;
}

export function malformed(what: string): IamraError {
  return new IamraError('CERT_MALFORMED', `certificate is not valid DER (${what}); export it again as PEM or DER`);
}

export function readNode(buffer: Buffer, offset = 0): DerNode {
  const tag = buffer[offset];
  const first = buffer[offset + 1];
  if (tag === undefined || first === undefined) throw malformed('truncated');
  let length = first;
  let cursor = offset + 2;
  if (first & 0x80) {
    const count = first & 0x7f;
    if (count === 0 || count > 4) throw malformed('unsupported length');
    length = 0;
    for (let i = 0; i < count; i += 1) {
      const byte = buffer[cursor + i];
      if (byte === undefined) throw malformed('truncated length');
      length = length * 256 + byte;
    }
    cursor += count;
  }
  const end = cursor + length;
  if (end > buffer.length) throw malformed('truncated');
  return { tag, value: buffer.subarray(cursor, end), end };
}

export function children(node: DerNode): DerNode[] {
  const result: DerNode[] = [];
  let offset = 0;
  while (offset < node.value.length) {
    const child = readNode(node.value, offset);
    result.push(child);
    offset = child.end;
  }
  return result;
}

export function decodeOid(value: Buffer): string {
  const first = value[0] ?? 0;
  const parts = [Math.floor(first / 40), first % 40];
  let current = 0;
  for (const byte of value.subarray(1)) {
    current = current * 128 + (byte & 0x7f);
    if (!(byte & 0x80)) {
      parts.push(current);
      current = 0;
    }
  }
  return parts.join('.');
}

/** Unsigned big-endian integer bytes as a decimal string (leading 00 bytes ignored). */
export function unsignedDecimal(bytes: Buffer): string {
  const hex = bytes.toString('hex');
  return hex === '' ? '0' : BigInt(`0x${hex}`).toString(10);
}
