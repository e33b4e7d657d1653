/** The flags every credential command shares (the Go helper's names, plus ours). */
import { IamraError } from '@iamra/core/light';
import type { FlagSpecs } from '../args.js';

export const CREDENTIAL_FLAGS: FlagSpecs = {
  certificate: { value: true, placeholder: 'FILE', description: 'leaf certificate (PEM or DER; "-" reads stdin)' },
  'private-key': {
    value: true,
    placeholder: 'FILE',
    description: 'private key (PKCS#8, PKCS#1, SEC1, DER; "-" reads stdin)',
  },
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
  'arns-in': { value: true, placeholder: 'query|body', description: 'where the ARNs travel (default query)' },
  'timeout-ms': { value: true, placeholder: 'MS', description: 'per-attempt timeout of CreateSession (default 10000)' },
  'retry-max-attempts': { value: true, placeholder: 'N', description: 'attempts on throttling and 5xx (default 5)' },
  'no-verify-ssl': { value: false, description: 'do not verify the endpoint TLS certificate (testing only)' },
  'with-proxy': { value: false, description: 'accepted for compatibility: proxies are honoured by default' },
  'no-proxy': { value: false, description: 'ignore HTTPS_PROXY/HTTP_PROXY' },
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
