/**
 * The part of core that loads no node:crypto, node-forge or network module: what the CLI's
 * warm-cache path imports, so a cached credential_process starts almost as fast as node itself.
 */
export { type Arn, type ArnKind, isValidRegion, type Partition, parseArn, partitionOfRegion } from './arn.js';
export { type CacheEntry, cacheEntryFileName, cacheEntryJson, isCacheEntry } from './cache/entry.js';
export {
  certificateFingerprints,
  type IdentityInput,
  sessionIdentity,
  type TlsIdentityInput,
  tlsIdentity,
} from './cache/session-key.js';
export { expectedAccount, hasHops, type RoleChain } from './chain/chain.js';
export {
  MAX_CHAINED_DURATION_SECONDS,
  parseSessionTag,
  type RoleHop,
  type RoleHopInput,
  resolveRoleChain,
  resolveRoleHop,
  type SessionTag,
} from './chain/hop.js';
export { configuredStsEndpoint, stsEndpoint, stsEndpointFor } from './chain/sts-endpoint.js';
export type { SessionCredentials } from './client/credentials.js';
export { interruptedError } from './client/deadline.js';
export { endpointFor, sessionEndpoint, validateEndpoint } from './client/endpoint.js';
export { parseProxyUrl } from './client/proxy.js';
export { checkAllowedAccount, checkSessionAccount, parseAllowedAccountIds } from './client/session-account.js';
export { sha256, sha256Hex } from './digest/sha256.js';
export * from './errors.js';
export { ensurePrivateDirectory, readPrivateFile, writePrivateFile } from './files/private-file.js';
export type { FileProtection } from './files/types.js';
export { toCredentialProcessJson } from './formats/credentials.js';
export { readFileOrFail, secretLines, sourceFromInput } from './material/source.js';
export type { MaterialInput, Source, Warning } from './material/types.js';
export {
  DEFAULT_DURATION_SECONDS,
  MAX_DURATION_SECONDS,
  MIN_DURATION_SECONDS,
  parseDuration,
  resolveAwsRegion,
  resolveSessionParameters,
  type SessionParameters,
  type SessionParametersInput,
  validateDuration,
} from './parameters.js';
export { PIN_ENV as PKCS11_PIN_ENV, resolvePkcs11Pin } from './pkcs11/pin.js';
export { pinSourceFileUri, tokenIdentity, uriWithPinSource } from './pkcs11/profile-uri.js';
export { isPkcs11Uri, type Pkcs11Uri, parsePkcs11Uri } from './pkcs11/uri.js';
export { neutralizeForLog, neutralizeForMarkdown, UNTRUSTED_MAX_LENGTH } from './text/untrusted.js';
export { DEVICE_ENV as TPM_DEVICE_ENV, TCTI_ENV as TPM_TCTI_ENV, TPM_PASSWORD_ENV } from './tpm/tcti.js';
