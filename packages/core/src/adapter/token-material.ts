/**
 * A CI step's key on a PKCS#11 token: opened for the one CreateSession (and its key check) the
 * step makes, then closed. The certificate comes from the token unless a file gave it.
 */
import type { MaterialInput } from '../material/types.js';
import { openPkcs11 } from '../pkcs11/open.js';
import { PIN_ENV } from '../pkcs11/pin.js';
import type { ProfileToken } from './profile-files.js';

export interface OpenedTokenMaterial {
  material: MaterialInput;
  /** Closes the token session (and the module when it was its last user). */
  close(): Promise<void>;
}

export async function openTokenMaterial(
  material: MaterialInput,
  token: ProfileToken | undefined,
  env: NodeJS.ProcessEnv,
): Promise<OpenedTokenMaterial> {
  if (!token) return { material, close: async () => {} };
  const opened = await openPkcs11({
    certificate: token.certificate,
    privateKey: token.privateKey,
    modulePath: token.modulePath,
    reusePin: token.reusePin ?? false,
    // A key from a file beside a certificate on the token: the token's key is not wanted.
    partnerKey: material.privateKey === undefined,
    // The step's PIN input wins; else the URI's pin-source or pin-value, else IAMRA_PKCS11_PIN.
    env: token.pin !== undefined ? { [PIN_ENV]: token.pin } : env,
  });
  return {
    material: {
      ...material,
      ...(opened.certificate ? { certificate: opened.certificate } : {}),
      ...(opened.signer ? { signer: opened.signer } : {}),
    },
    close: async () => {
      await opened.signer?.close();
    },
  };
}
