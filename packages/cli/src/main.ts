/** The dispatcher shared by the full `iamra` bin and the lean credential-helper bundle. */
import { EXIT_CODES, IamraError, toIamraError } from '@iamra/core';
import type { CommandEntry } from './commands/command.js';
import { refuseSecretFlags } from './config/flags.js';
import type { CliIo } from './io.js';
import { VERSION } from './version.js';

function overview(commands: CommandEntry[]): string {
  const rows = commands.map((command) => `  ${command.name.padEnd(24)} ${command.summary}`);
  return `iamra ${VERSION}: IAM Roles Anywhere credentials for CI/CD (a drop-in for aws_signing_helper)

Usage: iamra <command> [options]    iamra <command> --help    iamra help <command>

Commands:
${rows.join('\n')}

Exit codes: 0 ok, 1 internal error, 2 bad input (flags, files, certificates, ARNs),
3 denied by the service, 4 transient failure after retries.
`;
}

export function createMain(commands: CommandEntry[]) {
  return async function main(argv: string[], io: CliIo): Promise<number> {
    // `iamra help COMMAND` is `iamra COMMAND --help`, as in aws_signing_helper (cobra).
    const topic = argv[0] === 'help' ? argv[1] : undefined;
    const [name, ...rest] = topic !== undefined ? [topic, '--help'] : argv;
    if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
      io.stdout.write(overview(commands));
      return name === undefined ? EXIT_CODES.input : 0;
    }
    if (name === '--version' || name === 'version') {
      io.stdout.write(`${VERSION}\n`);
      return 0;
    }
    const entry = commands.find((candidate) => candidate.name === name);
    try {
      if (!entry) {
        throw new IamraError('CONFIG_INVALID', `unknown command '${name}'; see iamra --help`);
      }
      const command = await entry.load();
      if (command.name !== 'emulator' && (rest.includes('--help') || rest.includes('-h'))) {
        io.stdout.write(command.help());
        return 0;
      }
      refuseSecretFlags(rest);
      return await command.run(rest, io);
    } catch (error) {
      const failure = toIamraError(error);
      io.stderr.write(`iamra: ${failure.toLine()}\n`);
      if (rest.includes('--debug') && failure.code === 'INTERNAL' && failure.cause instanceof Error) {
        // Only --debug shows an internal error's own name: it may help a bug report.
        io.stderr.write(`iamra debug: cause: ${failure.cause.name}\n`);
      }
      return failure.exitCode;
    }
  };
}
