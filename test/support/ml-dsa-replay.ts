/**
 * Replays recorded CreateSession requests to an in-process emulator whose clock is set to the
 * recording's time, so a signature made once (by aws_signing_helper v1.8.0, or by iamra) can be
 * checked again later, as it was or tampered with.
 *
 * Runs under Node 24 (ML-DSA verification needs OpenSSL 3.5) with Node's own type stripping:
 * `node ml-dsa-replay.ts < ReplayInput` prints ReplayOutput. It loads the emulator's compiled
 * dist (`tsc -b`), as the repository's bin does.
 */
import { request as httpRequest } from 'node:http';
import { type EmulatorOptions, startEmulator } from '@iamra/emulator';

export interface RecordedRequest {
  method: string;
  path: string;
  rawQuery: string;
  /** Lowercase names, as received (Host included: it is signed). */
  headers: Record<string, string>;
  body: string;
}

export interface ReplayInput {
  /** One trust anchor per CA PEM, named anchor-0, anchor-1, ... (their ARNs are stable). */
  caPems: string[];
  /** The emulator's clock (ISO 8601): a recording's X-Amz-Date. */
  now: string;
  requests: RecordedRequest[];
}

export interface ReplayOutput {
  trustAnchorArns: string[];
  profileArn: string;
  roleArn: string;
  answers: { status: number; body: string }[];
}

export const REPLAY_ROLE_ARN = 'arn:aws:iam::123456789012:role/iamra-demo';

function send(endpoint: URL, recorded: RecordedRequest): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const path = `${recorded.path}${recorded.rawQuery ? `?${recorded.rawQuery}` : ''}`;
    const outgoing = httpRequest(
      { host: endpoint.hostname, port: endpoint.port, method: recorded.method, path, headers: recorded.headers },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        );
      },
    );
    outgoing.on('error', reject);
    outgoing.end(recorded.body);
  });
}

/** An emulator trusting each CA (anchor-0, anchor-1, ...; stable ARNs) whose clock stands at `now`. */
export function replayEmulatorOptions(caPems: string[], now: Date): EmulatorOptions {
  return {
    config: {
      trustAnchors: caPems.map((caPem, index) => ({ name: `anchor-${index}`, caPem })),
      profiles: [{ name: 'ml-dsa', roleArns: [REPLAY_ROLE_ARN] }],
    },
    now: () => now,
    lifetimeMs: 60_000,
    log: () => {},
  };
}

async function replay(input: ReplayInput): Promise<ReplayOutput> {
  const emulator = await startEmulator(replayEmulatorOptions(input.caPems, new Date(input.now)));
  try {
    const answers = [];
    for (const recorded of input.requests) answers.push(await send(new URL(emulator.endpoint), recorded));
    return {
      trustAnchorArns: emulator.trustAnchorArns,
      profileArn: emulator.profileArn,
      roleArn: REPLAY_ROLE_ARN,
      answers,
    };
  } finally {
    await emulator.stop();
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop() ?? '\0')) {
  process.stdout.write(JSON.stringify(await replay(JSON.parse(await readStdin()) as ReplayInput)));
}
