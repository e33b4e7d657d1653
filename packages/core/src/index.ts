export * from './adapter/index.js';
export { type AssumeRoleOptions, assumeRole, assumeRoleForm, sessionNameOf } from './client/assume-role.js';
export {
  type ChainedSession,
  type ChainedSessionOptions,
  type HopOutcome,
  obtainChainedSession,
  runRoleChain,
} from './client/chained-session.js';
export {
  type ClientDeps,
  type CreateSessionOptions,
  createSession,
  DEFAULT_RETRY,
  defaultClientDeps,
  type RetryOptions,
} from './client/create-session.js';
export { parseAssumeRoleResponse, stsError } from './client/sts-response.js';
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
export { parseXml, type XmlElement, XmlError } from './client/xml.js';
export * from './formats/index.js';
export { currentHost, type Host, type RunCommand, runCommandSync } from './host/host.js';
export { fileProtectionFor, parseWhoamiSid, windowsAcl } from './host/windows-acl.js';
// Everything that loads no node:crypto; the CLI's warm path imports '@iamra/core/light' alone.
export * from './light.js';
export * from './material/index.js';
export { listPkcs11Certificates, type TokenCertificate } from './pkcs11/list.js';
export { findModulePath } from './pkcs11/module.js';
export { openPkcs11, type Pkcs11Opened, type Pkcs11Options } from './pkcs11/open.js';
export * from './provider.js';
export { amzDate, canonicalRequest } from './signer/canonical.js';
export { type SignedRequest, type SignInput, signCreateSession } from './signer/sign.js';
export { type HmacCredentials, type HmacSignInput, signHmac } from './signer/sigv4-hmac.js';
export { isTss2Pem, parseTss2Key, type Tss2Key } from './tpm/key-file.js';
export { openTpmKey, parseTpmHandle, type TpmKeyOptions, type TpmKeySource } from './tpm/open.js';
export { resolveTcti, type TctiConfig } from './tpm/tcti.js';
