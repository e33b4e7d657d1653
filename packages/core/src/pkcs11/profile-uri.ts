/**
 * pkcs11: URIs as a credential_process line carries them: the PIN is never on the line. A
 * `pin-value` (accepted from the Go helper's command lines) and a PIN the step was given move
 * into a private file the URI names as `pin-source`; a URI with its own pin-source keeps it.
 * Also the cache key's name for a token object, shared by the CLI and the profiles that prime it.
 */
import { IamraError } from '../errors.js';
import { parsePkcs11Uri } from './uri.js';

/** What the cache key counts for a token object: its URI without the PIN, and the module flag. */
export function tokenIdentity(kind: 'certificate' | 'key', uri: string, modulePath: string | undefined): string {
  return `pkcs11 ${kind} ${parsePkcs11Uri(uri).display} module ${modulePath ?? ''}`;
}

/** Safe as they are in a file: URI inside a pkcs11: query; anything else is escaped. */
const PLAIN = /[A-Za-z0-9/._~-]/;

/**
 * `file:` + the path, escaped twice: the pkcs11: URI's query is percent-decoded, then the file
 * URI it holds (RFC 8089) is decoded again when the PIN is read.
 */
export function pinSourceFileUri(path: string): string {
  if (!path.startsWith('/')) {
    throw new IamraError(
      'FEATURE_UNSUPPORTED',
      'a profile for a key on a token reads its PIN from a file by a POSIX path (Linux and macOS agents); on Windows use environment variables for the credentials',
    );
  }
  let text = '';
  for (const char of path) {
    text += PLAIN.test(char)
      ? char
      : [...Buffer.from(char, 'utf8')].map((byte) => `%25${byte.toString(16).toUpperCase().padStart(2, '0')}`).join('');
  }
  return `file:${text}`;
}

/**
 * The URI for a profile: without pin-value, and with a pin-source file for its PIN (its own
 * pin-value, else `pin`) unless it names one itself. `pinFile` writes a PIN and returns the path.
 */
export function uriWithPinSource(text: string, pin: string | undefined, pinFile: (pin: string) => string): string {
  const uri = parsePkcs11Uri(text);
  const trimmed = text.trim();
  const at = trimmed.indexOf('?');
  const path = at < 0 ? trimmed : trimmed.slice(0, at);
  const query = (at < 0 ? '' : trimmed.slice(at + 1)).split('&').filter((pair) => pair && !/^pin-value=/i.test(pair));
  const secret = uri.pinValue ?? pin;
  if (uri.pinSource === undefined && secret !== undefined) {
    query.push(`pin-source=${pinSourceFileUri(pinFile(secret))}`);
  }
  return query.length ? `${path}?${query.join('&')}` : path;
}
