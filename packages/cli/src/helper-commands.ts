import type { CommandEntry } from './commands/command.js';

/** Every command but the emulator: what the CI bundles ship. Each module loads on use. */
export const HELPER_COMMANDS: CommandEntry[] = [
  {
    name: 'credential-process',
    summary: 'print credentials in the credential_process format (cached until 5 minutes before expiry)',
    load: async () => (await import('./commands/credential-process.js')).credentialProcessCommand,
  },
  {
    name: 'update',
    summary: 'write credentials into the shared credentials file and keep them fresh',
    load: async () => (await import('./commands/update.js')).updateCommand,
  },
  {
    name: 'serve',
    summary: 'serve credentials on an IMDSv2-compatible endpoint on 127.0.0.1',
    load: async () => (await import('./commands/serve.js')).serveCommand,
  },
  {
    name: 'read-certificate-data',
    summary: 'show key type, serial, subject, issuer, validity, chain and pre-flight warnings',
    load: async () => (await import('./commands/read-certificate-data.js')).readCertificateDataCommand,
  },
];
