/**
 * Keys on a PKCS#11 token (self-hosted runners with a YubiKey or an HSM): `pkcs11:` URIs in the
 * certificate and private-key inputs, the module in pkcs11-lib, the PIN in pkcs11-pin (from a
 * secret) or IAMRA_PKCS11_PIN in the step's env. A URI is not secret; the PIN, and a pin-value
 * written in a URI, are masked before anything else.
 */
import {
  IamraError,
  isPkcs11Uri,
  PKCS11_PIN_ENV,
  type ProfileToken,
  parsePkcs11Uri,
  tokenFromInputs,
} from '@iamra/core';
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
  const uri = (name: string) => {
    const value = runner.input(name);
    return isPkcs11Uri(value) ? value : undefined;
  };
  const token = tokenFromInputs(
    {
      certificate: uri('certificate'),
      privateKey: uri('private-key'),
      modulePath: runner.input('pkcs11-lib') || undefined,
      pin: runner.input('pkcs11-pin') || undefined,
      reusePin: booleanInput(runner, 'pkcs11-reuse-pin', false),
    },
    { uris: 'certificate or private-key', modulePath: 'pkcs11-lib', pin: 'pkcs11-pin', reusePin: 'pkcs11-reuse-pin' },
    env,
  );
  if (token && runner.input('pkcs12')) {
    throw new IamraError('CONFIG_INVALID', 'give either a pkcs11: URI (certificate, private-key) or pkcs12, not both');
  }
  return token;
}
