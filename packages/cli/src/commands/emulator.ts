/** `iamra emulator`: loaded only when asked for, so the credential commands stay lean. */
import type { Command } from './command.js';

export const emulatorCommand: Command = {
  name: 'emulator',
  summary: 'run a local IAM Roles Anywhere + STS emulator (or --init DIR for a demo PKI)',
  help: () => 'Usage: iamra emulator [options]; run `iamra emulator --help` for the options.\n',
  async run(argv, io) {
    const { runEmulatorCommand } = await import('@iamra/emulator');
    return runEmulatorCommand(argv, {
      stdout: io.stdout,
      stderr: io.stderr,
      env: io.env,
      ...(io.signal ? { signal: io.signal } : {}),
    });
  },
};
