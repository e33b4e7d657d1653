/**
 * RFC 7512 PKCS#11 URIs, as the Go helper takes them for --certificate and --private-key:
 * `pkcs11:token=CI;object=ci-key;type=private?pin-source=file:/run/pin`. No crypto here: the
 * CLI recognises a URI before anything heavy loads.
 */
import { IamraError } from '../errors.js';

export type Pkcs11ObjectType = 'private' | 'cert' | 'public' | 'secret-key' | 'data';

export interface Pkcs11Uri {
  /** Token attributes (RFC 7512 section 2.3) that pick the slot. */
  token?: string;
  manufacturer?: string;
  serial?: string;
  model?: string;
  slotId?: number;
  slotDescription?: string;
  slotManufacturer?: string;
  /** Object attributes: CKA_LABEL, CKA_ID (bytes), the object class. */
  object?: string;
  id?: Buffer;
  type?: Pkcs11ObjectType;
  /** Query attributes. `pin-value` is accepted for the Go helper's command lines. */
  pinValue?: string;
  pinSource?: string;
  modulePath?: string;
  /** The URI without its PIN: what errors and --debug lines may show. */
  display: string;
}

const PATH_NAMES: Record<string, keyof Pkcs11Uri> = {
  token: 'token',
  manufacturer: 'manufacturer',
  serial: 'serial',
  model: 'model',
  'slot-description': 'slotDescription',
  'slot-manufacturer': 'slotManufacturer',
  object: 'object',
};
/** Attributes RFC 7512 defines that do not pick a key here; accepted and ignored. */
const IGNORED = new Set(['library-manufacturer', 'library-description', 'library-version', 'module-name']);
const TYPES = new Set<Pkcs11ObjectType>(['private', 'cert', 'public', 'secret-key', 'data']);

export function isPkcs11Uri(value: string | undefined): value is string {
  return value !== undefined && /^pkcs11:/i.test(value.trim());
}

function invalid(detail: string): IamraError {
  return new IamraError(
    'PKCS11_URI_INVALID',
    `the PKCS#11 URI ${detail}; write it as pkcs11:token=LABEL;object=LABEL (RFC 7512)`,
  );
}

/** Percent-decoding to bytes: CKA_ID is binary, labels are UTF-8. */
function decodeBytes(text: string, name: string): Buffer {
  if (/%(?![0-9a-fA-F]{2})/.test(text)) throw invalid(`has a broken %-escape in ${name}`);
  const bytes: number[] = [];
  for (let i = 0; i < text.length; ) {
    if (text[i] === '%') {
      bytes.push(Number.parseInt(text.slice(i + 1, i + 3), 16));
      i += 3;
    } else {
      const char = String.fromCodePoint(text.codePointAt(i) ?? 0);
      bytes.push(...Buffer.from(char, 'utf8'));
      i += char.length;
    }
  }
  return Buffer.from(bytes);
}

function splitPair(pair: string): [string, string] {
  const at = pair.indexOf('=');
  // Never quoted: a stray part of the query may be a PIN typed in the wrong place.
  if (at <= 0) throw invalid('has an attribute that is not NAME=VALUE');
  return [pair.slice(0, at).toLowerCase(), pair.slice(at + 1)];
}

function setPath(uri: Pkcs11Uri, name: string, value: string): void {
  const seen = (key: keyof Pkcs11Uri) => {
    if (uri[key] !== undefined) throw invalid(`gives ${name} twice`);
  };
  const field = PATH_NAMES[name];
  if (field) {
    seen(field);
    (uri as unknown as Record<string, string>)[field] = decodeBytes(value, name).toString('utf8');
  } else if (name === 'id') {
    seen('id');
    uri.id = decodeBytes(value, name);
  } else if (name === 'slot-id') {
    seen('slotId');
    if (!/^\d+$/.test(value)) throw invalid('has a slot-id that is not a number');
    uri.slotId = Number(value);
  } else if (name === 'type') {
    seen('type');
    if (!TYPES.has(value as Pkcs11ObjectType)) throw invalid(`has an unknown type "${value.slice(0, 20)}"`);
    uri.type = value as Pkcs11ObjectType;
  } else if (!IGNORED.has(name) && !name.startsWith('x-')) {
    throw invalid(`has an unknown attribute "${name.slice(0, 40)}"`);
  }
}

function setQuery(uri: Pkcs11Uri, name: string, value: string): void {
  const decoded = decodeBytes(value, name).toString('utf8');
  if (name === 'pin-value') uri.pinValue = decoded;
  else if (name === 'pin-source') uri.pinSource = decoded;
  else if (name === 'module-path') uri.modulePath = decoded;
  else if (!IGNORED.has(name) && !name.startsWith('x-')) {
    throw invalid(`has an unknown query attribute "${name.slice(0, 40)}"`);
  }
}

export function parsePkcs11Uri(text: string): Pkcs11Uri {
  const trimmed = text.trim();
  if (!isPkcs11Uri(trimmed)) throw invalid('does not start with pkcs11:');
  const body = trimmed.slice('pkcs11:'.length);
  const questionMark = body.indexOf('?');
  const path = questionMark < 0 ? body : body.slice(0, questionMark);
  const query = questionMark < 0 ? '' : body.slice(questionMark + 1);
  // The display form drops pin-value, so a PIN given the Go helper's way never reaches a log.
  const shownQuery = query
    .split('&')
    .filter((pair) => pair && !/^pin-value=/i.test(pair))
    .join('&');
  const uri: Pkcs11Uri = { display: `pkcs11:${path}${shownQuery ? `?${shownQuery}` : ''}` };
  for (const pair of path.split(';').filter(Boolean)) setPath(uri, ...splitPair(pair));
  for (const pair of query.split('&').filter(Boolean)) setQuery(uri, ...splitPair(pair));
  if (uri.pinValue !== undefined && uri.pinSource !== undefined) throw invalid('gives both pin-value and pin-source');
  return uri;
}
