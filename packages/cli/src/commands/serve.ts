/** `iamra serve`: an IMDSv2-compatible endpoint that keeps credentials fresh. */
import { IamraError, type SessionCredentials } from '@iamra/core';
import { type FlagSpecs, first, parseFlags, renderHelp } from '../args.js';
import { CREDENTIAL_FLAGS } from '../config/flags.js';
import { startImds } from '../imds/server.js';
import type { Command } from './command.js';
import { commandContext } from './context.js';
import { keepFresh } from './refresh-loop.js';
import { abortableWait } from './update.js';

const FLAGS: FlagSpecs = {
  ...CREDENTIAL_FLAGS,
  port: { value: true, placeholder: 'PORT', description: 'port on 127.0.0.1 (default 9911; 0 picks a free one)' },
  'hop-limit': { value: true, placeholder: 'N', description: 'IP TTL of responses (default 64)' },
};

export const serveCommand: Command = {
  name: 'serve',
  summary: 'serve credentials on an IMDSv2-compatible endpoint on 127.0.0.1',
  help: () =>
    renderHelp(
      'iamra serve [--port 9911] [--hop-limit N] --certificate FILE --private-key FILE --trust-anchor-arn ARN --profile-arn ARN --role-arn ARN',
      'Point SDKs at it with AWS_EC2_METADATA_SERVICE_ENDPOINT=http://127.0.0.1:9911/. Fails at once if the first\nCreateSession fails; later refresh failures keep serving the still-valid credentials.',
      FLAGS,
    ),
  async run(argv, io) {
    const flags = parseFlags('serve', argv, FLAGS);
    const portText = first(flags, 'port') ?? '9911';
    const hopText = first(flags, 'hop-limit');
    if (!/^\d+$/.test(portText) || Number(portText) > 65_535) {
      throw new IamraError('CONFIG_INVALID', `--port must be 0..65535; got '${portText}'`);
    }
    if (hopText !== undefined && (!/^\d+$/.test(hopText) || Number(hopText) < 1 || Number(hopText) > 255)) {
      throw new IamraError('CONFIG_INVALID', `--hop-limit must be 1..255; got '${hopText}'`);
    }
    const { config, getCredentials } = await commandContext(flags, io);
    // Fail fast: never start serving without credentials.
    let current: SessionCredentials = await getCredentials();
    const roleName = config.params.roleArn.split('/').pop() ?? 'iamra';
    const imds = await startImds({
      port: Number(portText),
      roleName,
      current: () => current,
      now: () => new Date(),
      ...(hopText !== undefined ? { hopLimit: Number(hopText) } : {}),
    });
    io.stderr.write(`iamra: serving credentials for ${roleName} at ${imds.url}/\n`);
    try {
      // Refresh failures keep serving the current, still valid, credentials.
      await keepFresh(
        current,
        getCredentials,
        (fresh) => {
          current = fresh;
        },
        { now: () => new Date(), wait: abortableWait(io.signal), log: (line) => io.stderr.write(`iamra: ${line}\n`) },
      );
      return 0;
    } finally {
      await imds.stop();
    }
  },
};
