/**
 * Keys on a PKCS#11 token (self-hosted runners with a YubiKey or an HSM): `pkcs11:` URIs in the
 * certificate and private-key inputs, the module in pkcs11-lib, the PIN in pkcs11-pin (from a
 * secret) or IAMRA_PKCS11_PIN in the step's env. A URI is not secret; the PIN, and a pin-value
 * written in a URI, are masked before anything else.
 */
import { IamraError, isPkcs11Uri, PKCS11_PIN_ENV, type ProfileToken, parsePkcs11Uri } from '@iamra/core';
import { booleanInput } from './boolean-input.js';
import type { Runner } from './runner/commands.js';

/** The PIN inputs' values and every pin-value in a URI input, raw and decoded; never throws. */
export function tokenSecrets(runner: Runner, env: NodeJS.ProcessEnv): string[] {
  const secrets = [runner.input('pkcs11-pin'), env[PKCS11_PIN_ENV] ?? ''];
  for (const name of ['certificate', 'private-key']) {
    const value = runner.input(name);
    if (!isPkcs11Uri(value)) continue;
    for (const match of value.matchAll(/[?&]pin-value=([^&]*)/gi)) secrets.push(match[1] ?? '');
    try {
      secrets.push(parsePkcs11Uri(value).pinValue ?? '');
    } catch {
      // A malformed URI is reported later, without quoting it.
    }
  }
  return secrets.filter(Boolean);
}

/** The token part of the configuration; undefined when no input names a token. */
export function readTokenInputs(runner: Runner, env: NodeJS.ProcessEnv): ProfileToken | undefined {
  // Parsed now, so a malformed URI fails before anything opens.
  const onToken = (name: string) => {
    const value = runner.input(name);
    if (!isPkcs11Uri(value)) return undefined;
    parsePkcs11Uri(value);
    return value;
  };
  const certificate = onToken('certificate');
  const privateKey = onToken('private-key');
  const modulePath = runner.input('pkcs11-lib') || undefined;
  const pinInput = runner.input('pkcs11-pin') || undefined;
  const reusePin = booleanInput(runner, 'pkcs11-reuse-pin', false);
  if (!certificate && !privateKey) {
    if (modulePath || pinInput || reusePin) {
      throw new IamraError(
        'CONFIG_INVALID',
        'inputs pkcs11-lib, pkcs11-pin and pkcs11-reuse-pin need a pkcs11: URI in certificate or private-key',
      );
    }
    return undefined;
  }
  if (runner.input('pkcs12')) {
    throw new IamraError('CONFIG_INVALID', 'give either a pkcs11: URI (certificate, private-key) or pkcs12, not both');
  }
  const pin = pinInput ?? (env[PKCS11_PIN_ENV] || undefined);
  return { certificate, privateKey, modulePath, reusePin, pin };
}
