/** `iamra emulator`: runs the emulator in the foreground, or writes a demo PKI with --init. */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { initDemoPki } from './demo-pki.js';
import type { ConfigFile } from './model-builder.js';
import { startEmulator } from './server.js';

export interface EmulatorIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  env?: NodeJS.ProcessEnv;
  /** Stops the emulator (the bin wires SIGINT/SIGTERM to it). */
  signal?: AbortSignal;
}

export const EMULATOR_HELP = `Usage: iamra emulator [options]
       iamra emulator --init DIR

A local IAM Roles Anywhere + STS emulator for offline tests. Prints one JSON line with its
endpoints and ARNs when ready, then logs each request to stderr (never a secret).

Options:
  --ca FILE                  CA bundle (PEM) to trust; one trust anchor per file (repeatable)
  --role-arn ARN             role listed in the profile (repeatable; default a demo role)
  --crl FILE                 CRL (PEM or DER) revoking certificates (repeatable)
  --config FILE              JSON model (trust anchors, profiles, CRLs, roles to assume); see --init
  --max-session-duration N   profile maximum session duration in seconds (default 3600)
  --account ID               account id (default 123456789012)
  --region REGION            region (default us-east-1)
  --host HOST                address to listen on (default 127.0.0.1)
  --port N                   Roles Anywhere port (default: any free port)
  --sts-port N               STS port (default: any free port)
  --rate-limit N             CreateSession requests per second per account (default: off)
  --lifetime-seconds N       stop by itself after N seconds
  --init DIR                 write a demo PKI and emulator.json into DIR, then exit (a hub
                             role and deploy roles in three accounts it may assume)
  --help                     show this help
`;

const REPEATABLE = new Set(['ca', 'role-arn', 'crl']);
const VALUED = new Set([
  ...REPEATABLE,
  'config',
  'max-session-duration',
  'account',
  'region',
  'host',
  'port',
  'sts-port',
  'rate-limit',
  'lifetime-seconds',
  'init',
]);

class UsageError extends Error {}

function parseFlags(argv: string[]): { values: Map<string, string[]>; help: boolean } {
  const values = new Map<string, string[]>();
  let help = false;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] ?? '';
    if (arg === '--help' || arg === '-h') {
      help = true;
      continue;
    }
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    const name = match?.[1];
    if (!name || !VALUED.has(name)) throw new UsageError(`unknown option ${arg}; see iamra emulator --help`);
    const value = match[2] ?? argv[++i];
    if (value === undefined) throw new UsageError(`--${name} needs a value`);
    if (!REPEATABLE.has(name) && values.has(name)) throw new UsageError(`--${name} given twice`);
    values.set(name, [...(values.get(name) ?? []), value]);
  }
  return { values, help };
}

function integer(values: Map<string, string[]>, name: string): number | undefined {
  const text = values.get(name)?.[0];
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text)) throw new UsageError(`--${name} must be a whole number, got '${text}'`);
  return Number(text);
}

export async function runEmulatorCommand(argv: string[], io: EmulatorIo): Promise<number> {
  try {
    const { values, help } = parseFlags(argv);
    if (help) {
      io.stdout.write(EMULATOR_HELP);
      return 0;
    }
    const init = values.get('init')?.[0];
    if (init) {
      const pki = await initDemoPki(resolve(init));
      io.stdout.write(`${JSON.stringify({ ...pki, next: `iamra emulator --config ${pki.config}` }, null, 2)}\n`);
      return 0;
    }
    const read = (path: string) => readFileSync(resolve(path));
    const configPath = values.get('config')?.[0];
    const cas = (values.get('ca') ?? []).map((path) => read(path).toString('utf8'));
    if (!configPath && cas.length === 0)
      throw new UsageError('give --ca FILE or --config FILE (or --init DIR to make a demo PKI)');
    const rate = integer(values, 'rate-limit');
    const lifetime = integer(values, 'lifetime-seconds');
    const port = integer(values, 'port');
    const stsPort = integer(values, 'sts-port');
    const maxDuration = integer(values, 'max-session-duration');
    const account = values.get('account')?.[0];
    const region = values.get('region')?.[0];
    const emulator = await startEmulator({
      ...(configPath
        ? {
            config: JSON.parse(read(configPath).toString('utf8')) as ConfigFile,
            configDir: dirname(resolve(configPath)),
          }
        : { cas }),
      ...(values.get('role-arn') ? { roleArns: values.get('role-arn') ?? [] } : {}),
      ...(values.get('crl') ? { crls: (values.get('crl') ?? []).map(read) } : {}),
      ...(maxDuration ? { maxSessionDurationSeconds: maxDuration } : {}),
      ...(account ? { accountId: account } : {}),
      ...(region ? { region } : {}),
      ...(values.get('host') ? { host: values.get('host')?.[0] ?? '127.0.0.1' } : {}),
      ...(port !== undefined ? { port } : {}),
      ...(stsPort !== undefined ? { stsPort } : {}),
      ...(rate ? { rateLimit: { perSecond: rate } } : {}),
      ...(lifetime ? { lifetimeMs: lifetime * 1000 } : {}),
      log: (line) => io.stderr.write(`emulator: ${line}\n`),
    });
    io.stdout.write(
      `${JSON.stringify({
        endpoint: emulator.endpoint,
        stsEndpoint: emulator.stsEndpoint,
        trustAnchorArns: emulator.trustAnchorArns,
        profileArn: emulator.profileArn,
        roleArns: emulator.roleArns,
      })}\n`,
    );
    io.signal?.addEventListener('abort', () => void emulator.stop(), { once: true });
    await emulator.closed;
    return 0;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    io.stderr.write(`iamra emulator: ${message}\n`);
    return 2;
  }
}
