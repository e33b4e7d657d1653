/** `iamra serve`: IMDSv2 and container credential endpoints that keep credentials fresh. */
import { resolve } from 'node:path';
import { IamraError, type SessionCredentials } from '@iamra/core';
import { type FlagSpecs, first, parseFlags, renderHelp } from '../args.js';
import { CREDENTIAL_FLAGS } from '../config/flags.js';
import { clientEnvironment } from '../imds/client-env.js';
import { type ContainerToken, openContainerToken } from '../imds/container-token.js';
import { parseListenAddress } from '../imds/listen.js';
import { startImds } from '../imds/server.js';
import type { Command } from './command.js';
import { commandContext } from './context.js';
import { keepFresh } from './refresh-loop.js';
import { abortableWait } from './update.js';

const FLAGS: FlagSpecs = {
  ...CREDENTIAL_FLAGS,
  listen: {
    value: true,
    placeholder: 'ADDRESS',
    description: 'IPv4 or IPv6 address to listen on (default 127.0.0.1; 0.0.0.0 or :: for all)',
  },
  port: { value: true, placeholder: 'PORT', description: 'port (default 9911; 0 picks a free one)' },
  'container-token-file': {
    value: true,
    placeholder: 'FILE',
    description: 'enables the container endpoint: its token, generated into FILE (0600) if missing',
  },
  'hop-limit': { value: true, placeholder: 'N', description: 'IP TTL of responses (default 64)' },
};

const SUMMARY = `When ready, prints on stdout the environment a client needs, e.g.
  AWS_EC2_METADATA_SERVICE_ENDPOINT=http://127.0.0.1:9911/
  AWS_CONTAINER_CREDENTIALS_FULL_URI=http://127.0.0.1:9911/v1/credentials   (with --container-token-file)
  AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE=FILE                               (with --container-token-file)
The SDKs and the AWS CLI try the container endpoint before IMDS. They take it over plain HTTP
only from a loopback address: a sidecar in the same pod, or a process on this host. Other
containers reach the IMDS endpoint at --listen ADDRESS. The token is never printed: the client
reads FILE (share it through a volume, or give serve a Secret's file). Requests are refused
unless their Host names an address serve listens under (DNS rebinding). Fails at once
if the first CreateSession fails; a failed refresh keeps serving the still-valid credentials;
expired or missing credentials are answered with HTTP 500, never served. Certificate and key
files are read again at each refresh, so a renewed certificate needs no restart.`;

function portNumber(text: string): number {
  if (!/^\d+$/.test(text) || Number(text) > 65_535) {
    throw new IamraError('CONFIG_INVALID', `--port must be 0..65535; got '${text}'`);
  }
  return Number(text);
}

function hopLimit(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text) || Number(text) < 1 || Number(text) > 255) {
    throw new IamraError('CONFIG_INVALID', `--hop-limit must be 1..255; got '${text}'`);
  }
  return Number(text);
}

export const serveCommand: Command = {
  name: 'serve',
  summary: 'serve credentials on IMDSv2 and container credential endpoints (127.0.0.1 by default)',
  help: () =>
    renderHelp(
      'iamra serve [--listen 127.0.0.1] [--port 9911] [--container-token-file FILE] --certificate FILE --private-key FILE --trust-anchor-arn ARN --profile-arn ARN --role-arn ARN',
      SUMMARY,
      FLAGS,
    ),
  async run(argv, io) {
    const flags = parseFlags('serve', argv, FLAGS);
    const port = portNumber(first(flags, 'port') ?? '9911');
    const hops = hopLimit(first(flags, 'hop-limit'));
    const listen = parseListenAddress(first(flags, 'listen') ?? '127.0.0.1');
    const tokenFlag = first(flags, 'container-token-file');
    const tokenFile = tokenFlag === undefined ? undefined : resolve(tokenFlag);
    const { config, getCredentials } = await commandContext(flags, io);
    // Fail fast: never start serving without credentials.
    let current: SessionCredentials = await getCredentials();
    const containerToken: ContainerToken | undefined = tokenFile ? openContainerToken(tokenFile) : undefined;
    const roleName = config.params.roleArn.split('/').pop() ?? 'iamra';
    const server = await startImds({
      port,
      listen,
      roleName,
      current: () => current,
      now: () => new Date(),
      ...(hops !== undefined ? { hopLimit: hops } : {}),
      ...(containerToken ? { containerToken } : {}),
    });
    io.stderr.write(`iamra: serving credentials for ${roleName} at ${server.url}/\n`);
    if (!listen.loopback) {
      io.stderr.write(
        `iamra: warning: ${listen.address} is not loopback: anyone who reaches it gets IMDS credentials; firewall it, and SDKs refuse the container endpoint over plain HTTP there\n`,
      );
    }
    io.stdout.write(`${clientEnvironment(server, tokenFile).join('\n')}\n`);
    try {
      // Refresh failures keep serving the current, still valid, credentials.
      await keepFresh(
        current,
        getCredentials,
        (fresh) => {
          current = fresh;
        },
        {
          now: () => new Date(),
          wait: abortableWait(io.signal),
          log: (line) => io.stderr.write(`iamra: ${line}\n`),
          refreshBeforeMs: config.cache.refreshSeconds * 1000,
        },
      );
      return 0;
    } finally {
      await server.stop();
    }
  },
};
