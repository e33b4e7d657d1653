/** A private key on a PKCS#11 token, behind the KeySigner seam: it signs there and never leaves. */
import { createHash, verify, type X509Certificate } from 'node:crypto';
import { IamraError } from '../errors.js';
import type { KeySigner, SignatureDigest } from '../keys/types.js';
import { rawEcdsaToDer } from './ecdsa-der.js';
import { pkcs11Failure } from './failure.js';
import type { TokenSession } from './token.js';

/** DER DigestInfo prefixes (RFC 8017 section 9.2), for tokens that only offer raw CKM_RSA_PKCS. */
const DIGEST_INFO: Record<SignatureDigest, string> = {
  SHA256: '3031300d060960864801650304020105000420',
  SHA384: '3041300d060960864801650304020205000430',
  SHA512: '3051300d060960864801650304020305000440',
};

export interface TokenKey {
  token: TokenSession;
  handle: Buffer;
  keyType: 'rsa' | 'ec';
  /** CKA_ALWAYS_AUTHENTICATE: the token wants the PIN again for every signature. */
  alwaysAuthenticate: boolean;
  mechanisms: Set<number>;
  pin: string | undefined;
  reusePin: boolean;
  description: string;
}

function rsaMechanism(key: TokenKey, digest: SignatureDigest): { mechanism: number; prefix: Buffer | undefined } {
  const b = key.token.binding;
  const hashed = { SHA256: b.CKM_SHA256_RSA_PKCS, SHA384: b.CKM_SHA384_RSA_PKCS, SHA512: b.CKM_SHA512_RSA_PKCS }[
    digest
  ];
  if (key.mechanisms.has(hashed)) return { mechanism: hashed, prefix: undefined };
  if (key.mechanisms.has(b.CKM_RSA_PKCS)) {
    return { mechanism: b.CKM_RSA_PKCS, prefix: Buffer.from(DIGEST_INFO[digest], 'hex') };
  }
  throw unsupported(key, `RSA PKCS#1 v1.5 with ${digest}`);
}

function unsupported(key: TokenKey, what: string): IamraError {
  return new IamraError(
    'PKCS11_MECHANISM_UNSUPPORTED',
    `token "${key.token.label}" cannot sign with ${what} (mechanism not offered); use a token and key that can`,
  );
}

/** What goes to C_Sign: the data itself, or its digest (ECDSA, raw RSA) computed here. */
function signingInput(key: TokenKey, data: Uint8Array, digest: SignatureDigest): { mechanism: number; input: Buffer } {
  const hash = () => createHash(digest).update(data).digest();
  if (key.keyType === 'ec') {
    if (!key.mechanisms.has(key.token.binding.CKM_ECDSA)) throw unsupported(key, 'ECDSA');
    return { mechanism: key.token.binding.CKM_ECDSA, input: hash() };
  }
  const { mechanism, prefix } = rsaMechanism(key, digest);
  return { mechanism, input: prefix ? Buffer.concat([prefix, hash()]) : Buffer.from(data) };
}

function contextLogin(key: TokenKey): void {
  if (!key.alwaysAuthenticate) return;
  if (!key.reusePin) {
    throw new IamraError(
      'PKCS11_PIN_REQUIRED',
      `${key.description} asks for the PIN again at every signature (CKA_ALWAYS_AUTHENTICATE, as in a YubiKey PIV slot 9c); add --reuse-pin to give it the token PIN`,
    );
  }
  key.token.loginAs(key.token.binding.CKU_CONTEXT_SPECIFIC, key.pin);
}

export function tokenSigner(key: TokenKey): KeySigner {
  const { token } = key;
  const sign = async (data: Uint8Array, digest: SignatureDigest = 'SHA256'): Promise<Buffer> => {
    const { mechanism, input } = signingInput(key, data, digest);
    let signature: Buffer;
    try {
      token.module.C_SignInit(token.session, { mechanism }, key.handle);
      contextLogin(key);
      signature = await token.module.C_SignAsync(token.session, input, Buffer.alloc(1024));
    } catch (error) {
      throw error instanceof IamraError ? error : pkcs11Failure(error, 'sign');
    }
    return key.keyType === 'ec' ? rawEcdsaToDer(signature) : signature;
  };
  return {
    description: key.description,
    publicKey: undefined,
    sign,
    // A signature the certificate's public key verifies: the one test every token can pass.
    async matches(certificate: X509Certificate) {
      const challenge = Buffer.from(`iamra key match ${certificate.fingerprint256}`);
      const signature = await sign(challenge);
      try {
        return verify('SHA256', challenge, certificate.publicKey, signature);
      } catch {
        return false; // a certificate for another key type
      }
    },
    close: () => token.close(),
  };
}
