export * from './adapter/index.js';
export {
  type ClientDeps,
  type CreateSessionOptions,
  createSession,
  DEFAULT_RETRY,
  defaultClientDeps,
  type RetryOptions,
} from './client/create-session.js';
export {
  parseTlsFiles,
  readTlsFiles,
  secureContextOptions,
  type TlsFiles,
  type TlsSettings,
} from './client/tls-settings.js';
export {
  createNodeTransport,
  type HttpRequest,
  type HttpResponse,
  type Transport,
  type TransportOptions,
} from './client/transport.js';
export * from './formats/index.js';
// Everything that loads no node:crypto; the CLI's warm path imports '@iamra/core/light' alone.
export * from './light.js';
export * from './material/index.js';
export * from './provider.js';
export { amzDate, canonicalRequest } from './signer/canonical.js';
export { type SignedRequest, type SignInput, signCreateSession } from './signer/sign.js';
