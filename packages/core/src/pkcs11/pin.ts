/**
 * Where a token PIN comes from: the URI's pin-source file or pin-value (the Go helper's ways),
 * else IAMRA_PKCS11_PIN (for CI, where nothing secret belongs on a command line).
 */
import { IamraError } from '../errors.js';
import { readFileOrFail } from '../material/source.js';
import type { Pkcs11Uri } from './uri.js';

export const PIN_ENV = 'IAMRA_PKCS11_PIN';

/** `file:/path` and `file:///path` (RFC 8089); nothing else may run or fetch. */
function pinSourcePath(source: string): string {
  const match = /^file:(?:\/\/(?:localhost)?)?(\/.*)$/i.exec(source);
  if (!match?.[1]) {
    throw new IamraError(
      'PKCS11_URI_INVALID',
      'pin-source must be a file URI (file:/path or file:///path) naming a file that holds the PIN',
    );
  }
  return decodeURIComponent(match[1]);
}

export function resolvePkcs11Pin(
  uri: Pkcs11Uri,
  env: NodeJS.ProcessEnv,
  readFile: (path: string) => Buffer,
): string | undefined {
  if (uri.pinSource !== undefined) {
    const path = pinSourcePath(uri.pinSource);
    // A trailing newline from `echo 1234 > pin` is not part of the PIN.
    return readFileOrFail(path, readFile, 'PIN file')
      .toString('utf8')
      .replace(/\r?\n$/, '');
  }
  if (uri.pinValue !== undefined) return uri.pinValue;
  return env[PIN_ENV] || undefined;
}
