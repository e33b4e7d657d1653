export {
  type ChainInputNames,
  type ChainInputReader,
  type ChainInputs,
  parseSessionTagsInput,
  readChainInputs,
} from './chain-inputs.js';
export {
  type AdapterSession,
  type AdapterSessionInput,
  obtainSession,
  resolveAdapterChain,
} from './obtain-session.js';
export { MIN_REUSED_START_SECONDS, readPrimedStart } from './primed-start.js';
export {
  configFilePath,
  credentialsFilePath,
  iamraDir,
  jobProfileNames,
  type ProfileFiles,
  type ProfileFilesInput,
  type ProfileToken,
  type StartSessionInput,
  sectionName,
  startSessionPath,
  validateProfileName,
  writeProfileFiles,
} from './profile-files.js';
export { type TokenInputNames, type TokenInputs, tokenFromInputs } from './token-inputs.js';
export {
  type AwsSharedFile,
  awsSharedFilePath,
  configProfileOf,
  type UserFileText,
} from './user-profiles.js';
