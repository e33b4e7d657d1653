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
export {
  configFilePath,
  credentialsFilePath,
  iamraDir,
  jobProfileNames,
  type ProfileFiles,
  type ProfileFilesInput,
  type ProfileToken,
  sectionName,
  validateProfileName,
  writeProfileFiles,
} from './profile-files.js';
export {
  type AwsSharedFile,
  awsSharedFilePath,
  configProfileOf,
  type UserFileText,
} from './user-profiles.js';
