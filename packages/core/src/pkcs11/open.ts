/**
 * Opens what the pkcs11: URIs of --certificate and --private-key name, the Go helper's way: the
 * certificate may be on the token or in a file; without a key URI the key is the one beside the
 * token's certificate (same CKA_ID).
 */
import { readFileSync } from 'node:fs';
import { IamraError } from '../errors.js';
import type { KeySigner } from '../keys/types.js';
import { findModulePath, loadBinding, type Pkcs11Binding } from './module.js';
import { resolvePkcs11Pin } from './pin.js';
import { tokenSigner } from './signer.js';
import { TokenSession } from './token.js';
import { isPkcs11Uri, type Pkcs11Uri, parsePkcs11Uri } from './uri.js';

export interface Pkcs11Options {
  /** --certificate when it is a pkcs11: URI. */
  certificate?: string | undefined;
  /** --private-key when it is a pkcs11: URI. */
  privateKey?: string | undefined;
  /** --pkcs11-lib; else the URI's module-path; else the default search. */
  modulePath?: string | undefined;
  /** --reuse-pin: give the user PIN to keys that ask for it at every signature. */
  reusePin?: boolean;
  /** Without a key URI, open the key beside the token's certificate (default true; false: the certificate alone). */
  partnerKey?: boolean;
  env: NodeJS.ProcessEnv;
  readFile?: (path: string) => Buffer;
  /** Tests: a different binding loader or module search list. */
  importBinding?: () => Promise<unknown>;
  moduleCandidates?: readonly string[];
}

export interface Pkcs11Opened {
  /** The key on the token (undefined when only the certificate is on one). */
  signer: KeySigner | undefined;
  /** The certificate's DER when --certificate named one on the token. */
  certificate: Buffer | undefined;
}

interface Context {
  binding: Pkcs11Binding;
  modulePath: string;
  pin: string | undefined;
}

function one(found: Buffer[], what: string, uri: Pkcs11Uri, token: TokenSession): Buffer {
  const [first] = found;
  if (!first) {
    throw new IamraError(
      'PKCS11_OBJECT_NOT_FOUND',
      `no ${what} matches ${uri.display} on token "${token.label}"; list the objects with pkcs11-tool --list-objects --login and fix object= or id=`,
    );
  }
  if (found.length > 1) {
    throw new IamraError(
      'PKCS11_AMBIGUOUS',
      `${found.length} objects of type ${what} match ${uri.display} on token "${token.label}"; add object=LABEL or id=… to name one`,
    );
  }
  return first;
}

function readCertificate(context: Context, uri: Pkcs11Uri): { der: Buffer; id: Buffer | undefined } {
  const { binding } = context;
  const token = TokenSession.open(binding, context.modulePath, uri);
  try {
    const handle = one(token.find(binding.CKO_CERTIFICATE, uri), 'certificate', uri, token);
    const der = token.attribute(handle, binding.CKA_VALUE);
    if (!der) throw new IamraError('PKCS11_FAILED', `the certificate ${uri.display} has no value on the token`);
    return { der, id: token.attribute(handle, binding.CKA_ID) };
  } finally {
    token.close();
  }
}

function openKey(context: Context, uri: Pkcs11Uri, reusePin: boolean): KeySigner {
  const { binding } = context;
  const token = TokenSession.open(binding, context.modulePath, uri);
  try {
    token.login(context.pin);
    const handle = one(token.find(binding.CKO_PRIVATE_KEY, uri), 'private key', uri, token);
    const keyType = token.attribute(handle, binding.CKA_KEY_TYPE)?.readUIntLE(0, 4);
    if (keyType !== binding.CKK_RSA && keyType !== binding.CKK_EC) {
      throw new IamraError(
        'PKCS11_MECHANISM_UNSUPPORTED',
        `the key ${uri.display} is neither RSA nor EC; IAM Roles Anywhere takes RSA and EC P-256/P-384/P-521 keys`,
      );
    }
    return tokenSigner({
      token,
      handle,
      keyType: keyType === binding.CKK_RSA ? 'rsa' : 'ec',
      alwaysAuthenticate: token.attribute(handle, binding.CKA_ALWAYS_AUTHENTICATE)?.[0] === 1,
      mechanisms: new Set(token.module.C_GetMechanismList(token.facts.slot)),
      pin: context.pin,
      reusePin,
      description: `the key ${uri.display}`,
    });
  } catch (error) {
    token.close();
    throw error;
  }
}

function partnerKeyUri(certificateUri: Pkcs11Uri, id: Buffer | undefined): Pkcs11Uri {
  if (!id?.length) return certificateUri;
  const { object: _label, ...rest } = certificateUri;
  return { ...rest, id };
}

export async function openPkcs11(options: Pkcs11Options): Promise<Pkcs11Opened> {
  const certificateUri = isPkcs11Uri(options.certificate) ? parsePkcs11Uri(options.certificate) : undefined;
  const explicitKeyUri = isPkcs11Uri(options.privateKey) ? parsePkcs11Uri(options.privateKey) : undefined;
  const firstUri = explicitKeyUri ?? certificateUri;
  if (!firstUri) return { signer: undefined, certificate: undefined };
  const readFile = options.readFile ?? readFileSync;
  const binding = await loadBinding(options.importBinding);
  const modulePath = findModulePath(options.modulePath ?? firstUri.modulePath, options.moduleCandidates);
  const pin =
    (explicitKeyUri && resolvePkcs11Pin(explicitKeyUri, options.env, readFile)) ??
    (certificateUri && resolvePkcs11Pin(certificateUri, options.env, readFile));
  const context: Context = { binding, modulePath, pin };
  const certificate = certificateUri ? readCertificate(context, certificateUri) : undefined;
  // No key URI: the key is the certificate's partner on the same token, by CKA_ID as the Go helper finds it.
  const keyUri =
    explicitKeyUri ??
    (certificateUri && options.privateKey === undefined && options.partnerKey !== false
      ? partnerKeyUri(certificateUri, certificate?.id)
      : undefined);
  const signer = keyUri ? openKey(context, keyUri, options.reusePin ?? false) : undefined;
  return { signer, certificate: certificate?.der };
}
