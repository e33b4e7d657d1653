/**
 * Keys and certificates on a PKCS#11 token (--certificate / --private-key pkcs11:…): read from
 * the flags without loading anything heavy, opened only when a signature is needed.
 */
import type { KeySigner, MaterialInput } from '@iamra/core';
import { isPkcs11Uri, parsePkcs11Uri, tokenIdentity } from '@iamra/core/light';
import { first, type ParsedFlags } from '../args.js';

export interface HardwareConfig {
  /** --certificate when it is a pkcs11: URI. */
  certificate: string | undefined;
  /** --private-key when it is a pkcs11: URI. */
  privateKey: string | undefined;
  modulePath: string | undefined;
  reusePin: boolean;
  /** No key flag at all: the key is the one beside the token's certificate (as the Go helper does). */
  partnerKey: boolean;
}

/** The token's part of the configuration, URIs checked; undefined when no flag names a token. */
export function hardwareConfig(flags: ParsedFlags): HardwareConfig | undefined {
  const certificate = first(flags, 'certificate');
  const privateKey = first(flags, 'private-key');
  // Parsed now so a malformed URI fails before anything runs; opened later.
  const onToken = (value: string | undefined) => {
    if (!isPkcs11Uri(value)) return undefined;
    parsePkcs11Uri(value);
    return value;
  };
  const config = {
    certificate: onToken(certificate),
    privateKey: onToken(privateKey),
    modulePath: first(flags, 'pkcs11-lib'),
    reusePin: flags.switches.has('reuse-pin'),
    partnerKey: privateKey === undefined && !flags.values.has('pkcs12'),
  };
  return config.certificate || config.privateKey ? config : undefined;
}

/** What the cache key counts for a certificate on a token: its URI (never its PIN) and module. */
export function tokenCertificateIdentity(config: HardwareConfig): string | undefined {
  return config.certificate ? tokenIdentity('certificate', config.certificate, config.modulePath) : undefined;
}

/** What the cache key counts for a key on a token: its URI (never its PIN) and module. */
export function tokenKeyIdentity(config: HardwareConfig): string | undefined {
  return config.privateKey ? tokenIdentity('key', config.privateKey, config.modulePath) : undefined;
}

export interface OpenedHardware {
  certificate: Buffer | undefined;
  signer: KeySigner | undefined;
}

/** Opens the token (loading the PKCS#11 binding only now); the caller closes the signer. */
export async function openHardware(
  config: HardwareConfig,
  env: NodeJS.ProcessEnv,
  options: { partnerKey?: boolean } = {},
): Promise<OpenedHardware> {
  // Dynamic: the warm-cache path imports this file and must not load node:crypto.
  const { openPkcs11 } = await import('@iamra/core');
  return openPkcs11({
    certificate: config.certificate,
    privateKey: config.privateKey,
    modulePath: config.modulePath,
    reusePin: config.reusePin,
    partnerKey: options.partnerKey ?? config.partnerKey,
    env,
  });
}

/** The material with what the token holds: its certificate (unless one came from a file) and its key. */
export function withHardware(material: MaterialInput, opened: OpenedHardware | undefined): MaterialInput {
  if (!opened) return material;
  return {
    ...material,
    ...(opened.certificate ? { certificate: opened.certificate } : {}),
    ...(opened.signer ? { signer: opened.signer } : {}),
  };
}
