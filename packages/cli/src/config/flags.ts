/** The flags every credential command shares (the Go helper's names, plus ours). */
import { IamraError } from '@iamra/core/light';
import type { FlagSpec, FlagSpecs } from '../args.js';
import { CHAIN_FLAGS } from './chain-flags.js';

const USE_FILES = 'give the certificate and key as files with --certificate and --private-key (or --pkcs12)';
const STORE_LINE = `certificate stores are not supported; export the certificate and key, then ${USE_FILES}`;

/**
 * aws_signing_helper's flags for keys outside files, with its names and value shapes. The one
 * table of them: a flag is parsed like the Go helper's and, while `unsupported` is set, refused
 * with that line (exit 2). Support for one is added by removing its `unsupported`.
 */
export const KEY_STORE_FLAGS = {
  'cert-selector': {
    value: true,
    placeholder: 'JSON|file://FILE',
    description: 'aws_signing_helper: pick a certificate from the Windows or macOS store',
    unsupported: STORE_LINE,
  },
  'system-store-name': {
    value: true,
    placeholder: 'NAME',
    description: 'aws_signing_helper: the Windows system store to search (default MY)',
    unsupported: STORE_LINE,
  },
  'pkcs11-lib': {
    value: true,
    placeholder: 'FILE',
    description: 'PKCS#11 module for pkcs11: URIs (default: p11-kit-proxy, OpenSC or SoftHSM2, where found)',
  },
  'reuse-pin': {
    value: false,
    description: 'give the token PIN to keys that want it at every signature (e.g. YubiKey PIV slot 9c)',
  },
  'tpm-key-password': {
    value: true,
    placeholder: 'PASSWORD',
    description: 'password of the TPM key (argv is visible to other users: prefer IAMRA_TPM_KEY_PASSWORD)',
  },
  'no-tpm-key-password': {
    value: false,
    description: 'the TPM key (a handle:) has no password',
  },
} satisfies FlagSpecs;

export type KeyStoreFlag = keyof typeof KEY_STORE_FLAGS;

/** The named subset, for commands whose Go counterpart has only some of them. */
export function keyStoreFlags(...names: KeyStoreFlag[]): FlagSpecs {
  return Object.fromEntries(names.map((name) => [name, KEY_STORE_FLAGS[name]]));
}

export const CERTIFICATE_FLAG: FlagSpec = {
  value: true,
  placeholder: 'FILE|URI',
  description: 'leaf certificate (PEM or DER; "-" reads stdin; pkcs11:… on a token)',
};

export const PRIVATE_KEY_FLAG: FlagSpec = {
  value: true,
  placeholder: 'FILE|URI',
  description:
    'private key (PKCS#8, PKCS#1, SEC1, DER; "-" reads stdin; pkcs11:… on a token; TPM: a TSS2 key file or handle:0x81…)',
};

export const CREDENTIAL_FLAGS: FlagSpecs = {
  certificate: CERTIFICATE_FLAG,
  'private-key': PRIVATE_KEY_FLAG,
  intermediates: {
    value: true,
    placeholder: 'FILE',
    repeatable: true,
    description: 'intermediate CA certificates (PEM bundle)',
  },
  pkcs12: { value: true, placeholder: 'FILE', description: 'PKCS#12/.pfx with certificate, key and chain' },
  'private-key-passphrase-file': {
    value: true,
    placeholder: 'FILE',
    description: 'file holding the key passphrase (or IAMRA_PRIVATE_KEY_PASSPHRASE)',
  },
  'pkcs12-password-file': {
    value: true,
    placeholder: 'FILE',
    description: 'file holding the PKCS#12 password (or IAMRA_PKCS12_PASSWORD)',
  },
  'trust-anchor-arn': { value: true, placeholder: 'ARN', description: 'trust anchor ARN (required)' },
  'profile-arn': { value: true, placeholder: 'ARN', description: 'profile ARN (required)' },
  'role-arn': { value: true, placeholder: 'ARN', description: 'role ARN (required)' },
  'session-duration': {
    value: true,
    placeholder: 'SECONDS',
    description: 'session duration, 900..43200 (default 3600)',
  },
  'role-session-name': {
    value: true,
    placeholder: 'NAME',
    description: 'role session name (default: certificate serial)',
  },
  region: { value: true, placeholder: 'REGION', description: "region (default: the trust anchor's)" },
  endpoint: { value: true, placeholder: 'URL', description: 'custom Roles Anywhere endpoint (e.g. the emulator)' },
  'use-fips-endpoint': {
    value: false,
    description: 'use the FIPS endpoint rolesanywhere-fips.REGION (or AWS_USE_FIPS_ENDPOINT=true)',
  },
  'ca-bundle': {
    value: true,
    placeholder: 'FILE',
    description: "CA certificates (PEM) trusted besides Node's for CreateSession (or AWS_CA_BUNDLE)",
  },
  'arns-in': { value: true, placeholder: 'query|body', description: 'where the ARNs travel (default query)' },
  'timeout-ms': { value: true, placeholder: 'MS', description: 'per-attempt timeout of CreateSession (default 10000)' },
  'retry-max-attempts': { value: true, placeholder: 'N', description: 'attempts on throttling and 5xx (default 5)' },
  'no-verify-ssl': { value: false, description: 'do not verify the endpoint TLS certificate (testing only)' },
  'with-proxy': { value: false, description: 'accepted for compatibility: proxies are honoured by default' },
  'no-proxy': { value: false, description: 'ignore HTTPS_PROXY/HTTP_PROXY' },
  'no-proxy-hosts': {
    value: true,
    placeholder: 'HOSTS',
    description: 'hosts that bypass the proxy, comma-separated as NO_PROXY lists them (instead of NO_PROXY)',
  },
  'proxy-file': {
    value: true,
    placeholder: 'FILE',
    description: 'file holding the proxy URL to use (may carry user:password; instead of HTTPS_PROXY)',
  },
  'tls-file': {
    value: true,
    placeholder: 'FILE',
    description: 'JSON file naming extra CA, client certificate/key/PKCS#12 files and passphrase (CI agents)',
  },
  ...CHAIN_FLAGS,
  'no-cache': { value: false, description: 'always call CreateSession (no credential cache)' },
  'cache-dir': { value: true, placeholder: 'DIR', description: 'credential cache directory (or IAMRA_CACHE_DIR)' },
  'cache-refresh-seconds': {
    value: true,
    placeholder: 'N',
    description: 'refresh cached credentials N seconds before expiry (default 300)',
  },
  debug: {
    value: false,
    description: 'print the canonical request, string to sign and cache decisions (never a secret)',
  },
  ...KEY_STORE_FLAGS,
};

/** Secret-bearing flags the Go helper never had; refused so no secret lands on argv. */
export const REFUSED_SECRET_FLAGS: Record<string, string> = {
  'private-key-passphrase': 'set IAMRA_PRIVATE_KEY_PASSPHRASE or use --private-key-passphrase-file',
  'pkcs12-password': 'set IAMRA_PKCS12_PASSWORD or use --pkcs12-password-file',
};

/** Secrets never belong on argv (other users can read it in `ps`); say where they go instead. */
export function refuseSecretFlags(argv: string[]): void {
  for (const arg of argv) {
    const name = /^--([a-z0-9-]+)/.exec(arg)?.[1];
    const hint = name ? REFUSED_SECRET_FLAGS[name] : undefined;
    if (hint)
      throw new IamraError(
        'CONFIG_INVALID',
        `--${name} is not accepted because argv is visible to other processes; ${hint}`,
      );
  }
}
