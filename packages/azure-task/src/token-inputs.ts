/**
 * Keys on a PKCS#11 token (self-hosted agents with a YubiKey or an HSM): pkcs11: URIs in their
 * own string inputs (the agent roots a filePath input under the sources directory, so a URI
 * cannot travel in one), the module in pkcs11Lib, the PIN from a secret variable bound to
 * pkcs11Pin or mapped to IAMRA_PKCS11_PIN in the step's env.
 */
import { IamraError, isPkcs11Uri, type ProfileToken, tokenFromInputs } from '@iamra/core';

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
  return tokenFromInputs(
    {
      certificate: uriInput(read, TOKEN_URI_INPUTS.certificate),
      privateKey: uriInput(read, TOKEN_URI_INPUTS.privateKey),
      modulePath: read('pkcs11Lib'),
      pin: read('pkcs11Pin'),
      reusePin: read('pkcs11ReusePin')?.toLowerCase() === 'true',
    },
    {
      uris: `${TOKEN_URI_INPUTS.certificate} or ${TOKEN_URI_INPUTS.privateKey}`,
      modulePath: 'pkcs11Lib',
      pin: 'pkcs11Pin',
      reusePin: 'pkcs11ReusePin',
    },
    env,
  );
}
