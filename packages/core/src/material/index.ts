export { fileSigner } from '../keys/file-signer.js';
export { type MlDsaParameterSet, mlDsaAvailable, mlDsaParameterSet, mlDsaUnsupported } from '../keys/ml-dsa.js';
export type { KeySigner, SignatureDigest } from '../keys/types.js';
export { type ParsedCertificate, parseCertificateList, parseCertificates } from './certificate.js';
export { type ChainPlan, planChain } from './chain.js';
export { loadSigningMaterial } from './load.js';
export { parsePkcs12 } from './pkcs12.js';
export { preflight } from './preflight.js';
export { parsePrivateKey } from './private-key.js';
export { readFileOrFail, secretLines, sourceFromInput } from './source.js';
export type {
  CertificateInfo,
  LoadOptions,
  MaterialInput,
  SigningAlgorithm,
  SigningMaterial,
  Source,
  Warning,
} from './types.js';
