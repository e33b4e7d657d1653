export { buildCommandLine, credentialProcessValue } from './command-line.js';
export { credentialSecrets, type EnvironmentName, toCredentialProcessJson, toEnvironment } from './credentials.js';
export {
  iniSectionNames,
  partitionIniSections,
  readIniSection,
  removeIniSection,
  upsertIniSection,
} from './ini.js';
export { credentialProcessArgv, DEFERRED_CA_VARIABLE, type LaunchContext, loadsExtraCaAtStartup } from './launcher.js';
