/**
 * A front end's token inputs (URIs, module, PIN, reuse-pin) into a ProfileToken; each front end
 * passes its own input names so errors name what the user typed. The PIN input wins over
 * IAMRA_PKCS11_PIN in the step's environment.
 */
import { IamraError } from '../errors.js';
import { PIN_ENV } from '../pkcs11/pin.js';
import { parsePkcs11Uri } from '../pkcs11/uri.js';
import type { ProfileToken } from './profile-files.js';

export interface TokenInputs {
  /** pkcs11: URIs (checked here), or undefined. */
  certificate: string | undefined;
  privateKey: string | undefined;
  modulePath: string | undefined;
  pin: string | undefined;
  reusePin: boolean;
}

export interface TokenInputNames {
  uris: string;
  modulePath: string;
  pin: string;
  reusePin: string;
}

/** The token part of a step's configuration; undefined when no input names a token. */
export function tokenFromInputs(
  given: TokenInputs,
  names: TokenInputNames,
  env: NodeJS.ProcessEnv,
): ProfileToken | undefined {
  const { certificate, privateKey, modulePath, pin, reusePin } = given;
  // Parsed now, so a malformed URI fails before anything opens.
  for (const uri of [certificate, privateKey]) if (uri) parsePkcs11Uri(uri);
  if (!certificate && !privateKey) {
    if (modulePath || pin || reusePin) {
      throw new IamraError(
        'CONFIG_INVALID',
        `inputs ${names.modulePath}, ${names.pin} and ${names.reusePin} need a pkcs11: URI in ${names.uris}`,
      );
    }
    return undefined;
  }
  return { certificate, privateKey, modulePath, reusePin, pin: pin ?? (env[PIN_ENV] || undefined) };
}
