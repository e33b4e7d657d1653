export * from './adapter/index.js';
export { type Arn, type ArnKind, isValidRegion, type Partition, parseArn, partitionOfRegion } from './arn.js';
export { type CacheEntry, cacheEntryFileName, cacheEntryJson, isCacheEntry } from './cache/entry.js';
export { certificateFingerprint, type IdentityInput, sessionIdentity } from './cache/session-key.js';
export {
  type ClientDeps,
  type CreateSessionOptions,
  createSession,
  DEFAULT_RETRY,
  defaultClientDeps,
  type RetryOptions,
} from './client/create-session.js';
export type { SessionCredentials } from './client/credentials.js';
export { endpointFor, validateEndpoint } from './client/endpoint.js';
export {
  createNodeTransport,
  type HttpRequest,
  type HttpResponse,
  type Transport,
  type TransportOptions,
} from './client/transport.js';
export { sha256, sha256Hex } from './digest/sha256.js';
export * from './errors.js';
export * from './formats/index.js';
export * from './material/index.js';
export {
  DEFAULT_DURATION_SECONDS,
  MAX_DURATION_SECONDS,
  MIN_DURATION_SECONDS,
  parseDuration,
  resolveSessionParameters,
  type SessionParameters,
  type SessionParametersInput,
  validateDuration,
} from './parameters.js';
export * from './provider.js';
export { amzDate, canonicalRequest } from './signer/canonical.js';
export { type SignedRequest, type SignInput, signCreateSession } from './signer/sign.js';
