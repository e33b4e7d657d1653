/**
 * Keys on a PKCS#11 token (self-hosted agents with a YubiKey or an HSM): pkcs11: URIs in their
 * own string inputs (the agent roots a filePath input under the sources directory, so a URI
 * cannot travel in one), the module in pkcs11Lib, the PIN from a secret variable bound to
 * pkcs11Pin or mapped to IAMRA_PKCS11_PIN in the step's env.
 */
import { IamraError, isPkcs11Uri, PKCS11_PIN_ENV, type ProfileToken, parsePkcs11Uri } from '@iamra/core';

export type TokenInputReader = (name: string) => string | undefined;

/** The task's inputs that name a token object. */
export const TOKEN_URI_INPUTS = { certificate: 'pkcs11Certificate', privateKey: 'pkcs11PrivateKey' } as const;

function uriInput(read: TokenInputReader, name: string): string | undefined {
  const text = read(name);
  if (text === undefined) return undefined;
  if (!isPkcs11Uri(text)) {
    throw new IamraError(
      'CONFIG_INVALID',
      `input ${name} must be a pkcs11: URI (RFC 7512), e.g. pkcs11:token=LABEL;object=LABEL; a file goes in the file inputs`,
    );
  }
  parsePkcs11Uri(text);
  return text;
}

/** A filePath input that received a URI arrives rooted under the sources directory: say where it goes. */
export function refuseUriInFileInput(name: string, path: string | undefined, uriInputName: string): void {
  if (path && /(^|[\\/])pkcs11:/i.test(path)) {
    throw new IamraError(
      'CONFIG_INVALID',
      `input ${name} holds a pkcs11: URI, which the agent treats as a path; give the URI in ${uriInputName}`,
    );
  }
}

/** The token part of the configuration; undefined when no input names a token. */
export function readTokenInputs(read: TokenInputReader, env: NodeJS.ProcessEnv): ProfileToken | undefined {
  const certificate = uriInput(read, TOKEN_URI_INPUTS.certificate);
  const privateKey = uriInput(read, TOKEN_URI_INPUTS.privateKey);
  const modulePath = read('pkcs11Lib');
  const pinInput = read('pkcs11Pin');
  const reusePin = read('pkcs11ReusePin')?.toLowerCase() === 'true';
  if (!certificate && !privateKey) {
    if (modulePath || pinInput || reusePin) {
      throw new IamraError(
        'CONFIG_INVALID',
        'inputs pkcs11Lib, pkcs11Pin and pkcs11ReusePin need a pkcs11: URI in pkcs11Certificate or pkcs11PrivateKey',
      );
    }
    return undefined;
  }
  const pin = pinInput ?? (env[PKCS11_PIN_ENV] || undefined);
  return { certificate, privateKey, modulePath, reusePin, pin };
}
