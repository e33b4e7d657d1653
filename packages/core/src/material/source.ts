/** Adapter inputs are PEM text, base64 DER, or a path; this tells them apart. */
import { IamraError } from '../errors.js';
import type { Source } from './types.js';

const BASE64 = /^[A-Za-z0-9+/\s]+={0,2}\s*$/;

function looksLikeBase64Der(value: string): boolean {
  const compact = value.replace(/\s+/g, '');
  if (compact.length < 64 || !BASE64.test(value)) return false;
  return Buffer.from(compact.slice(0, 8), 'base64')[0] === 0x30;
}

const REASONS: Record<string, string> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EISDIR: 'it is a directory',
  EPERM: 'permission denied',
};

export function readFileOrFail(path: string, readFile: (path: string) => Buffer, what = 'file'): Buffer {
  try {
    return readFile(path);
  } catch (error) {
    const code = typeof error === 'object' && error && 'code' in error ? String(error.code) : '';
    throw new IamraError(
      'FILE_UNREADABLE',
      `cannot read ${what} ${path}: ${REASONS[code] ?? (code || 'read failed')}; check the path and its permissions`,
      { cause: error },
    );
  }
}

export function sourceFromInput(value: string, readFile: (path: string) => Buffer, what = 'file'): Source {
  if (value.includes('-----BEGIN ')) return value;
  if (looksLikeBase64Der(value)) return Buffer.from(value.replace(/\s+/g, ''), 'base64');
  return readFileOrFail(value.trim(), readFile, what);
}

/** Every line of a secret and the whole value, for maskers that match line by line. */
export function secretLines(value: string): string[] {
  const lines = value
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
  const whole = value.trim();
  return [...new Set(whole && lines.length > 1 ? [whole, ...lines] : lines)];
}
