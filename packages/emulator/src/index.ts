export { EMULATOR_HELP, type EmulatorIo, runEmulatorCommand } from './cli.js';
export { type DemoPki, initDemoPki } from './demo-pki.js';
export type { FaultPlan } from './faults.js';
export type { EmulatorModel, Profile, RevocationList, TrustAnchor } from './model.js';
export { buildModelFromConfig, buildSimpleModel, type ConfigFile } from './model-builder.js';
export { type EmulatorOptions, type EmulatorStats, type RunningEmulator, startEmulator } from './server.js';
