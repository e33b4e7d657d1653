/**
 * The seam between signing and where a key lives (the Go helper's `Signer`): a file key, a
 * PKCS#11 token or any other module implements it; nothing outside the implementation ever
 * holds the key itself.
 */
import type { KeyObject, X509Certificate } from 'node:crypto';

export type SignatureDigest = 'SHA256' | 'SHA384' | 'SHA512';

export interface KeySigner {
  /**
   * Signs `data`: RSASSA-PKCS1-v1_5 or ECDSA (DER `SEQUENCE{r,s}`) over its `digest`, or pure
   * ML-DSA over `data` itself (empty context; `digest` does not apply).
   * Hardware signs asynchronously; a file key may answer at once.
   */
  sign(data: Uint8Array, digest?: SignatureDigest): Promise<Buffer> | Buffer;
  /** True when this key belongs to the certificate. */
  matches(certificate: X509Certificate): Promise<boolean> | boolean;
  /** Releases what the key holds (a token session); harmless to call twice. */
  close(): Promise<void> | void;
  /**
   * The public half when the signer knows it without a certificate (file keys): its type is
   * checked before any certificate is matched. Hardware keys are described by their certificate.
   */
  readonly publicKey: KeyObject | undefined;
  /** Names the key in errors and --debug lines (a path or a URI without its PIN). */
  readonly description: string;
}
