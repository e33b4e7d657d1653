/**
 * Running AWS's Go aws_signing_helper beside iamra: the binary with a bounded run, a PKI with
 * every key type the service takes, and a loopback server that keeps each raw CreateSession.
 */
import { execFile } from 'node:child_process';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { peers } from '../support/peers.js';
import { type IssuedCert, makeCertificate, makeKey, makePki, type TestPki } from '../support/pki.js';

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** The Go helper with a clean environment (no proxy, no AWS config) and a time bound. */
export function runGoHelper(args: string[], env: Record<string, string> = {}): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(
      peers.goHelper(),
      args,
      { timeout: 30_000, env: { PATH: process.env.PATH ?? '', HOME: '/nonexistent', ...env } },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

export type LeafKind = 'rsa2048' | 'rsa4096' | 'p256' | 'p384';
export const LEAF_KINDS: LeafKind[] = ['rsa2048', 'rsa4096', 'p256', 'p384'];

export interface ConformancePki extends TestPki {
  /** Issued by the intermediate: needs --intermediates. */
  viaIntermediate: Record<LeafKind, IssuedCert>;
  /** Issued by the root (the trust anchor) itself: no intermediates. */
  direct: Record<LeafKind, IssuedCert>;
  /** A CA on no leaf's path. */
  stranger: IssuedCert;
}

export function conformancePki(prefix: string): ConformancePki {
  const pki = makePki({ subjectPrefix: prefix });
  const leaves = (issuer: IssuedCert, label: string) =>
    Object.fromEntries(
      LEAF_KINDS.map((kind) => [
        kind,
        makeCertificate({ key: kind, issuer, subject: `/CN=${prefix} ${kind} ${label}/O=iamra` }),
      ]),
    ) as Record<LeafKind, IssuedCert>;
  return {
    ...pki,
    viaIntermediate: leaves(pki.intermediate, 'leaf'),
    direct: leaves(pki.root, 'direct'),
    stranger: makeCertificate({ key: makeKey('p256', true), ca: true, subject: `/CN=${prefix} stranger ca` }),
  };
}

export interface CapturedRequest {
  method: string;
  path: string;
  rawQuery: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** A CreateSession answer with made-up credentials for the role asked for: enough for either client. */
function answerFor(rawQuery: string): string {
  const roleArn = new URLSearchParams(rawQuery).get('roleArn') ?? 'arn:aws:iam::123456789012:role/capture';
  const [, , , , account = '', resource = ''] = roleArn.split(':');
  const roleName = resource.split('/').pop() ?? '';
  return JSON.stringify({
    credentialSet: [
      {
        assumedRoleUser: { arn: `arn:aws:sts::${account}:assumed-role/${roleName}/1`, assumedRoleId: 'AROACAPTURE:1' },
        credentials: {
          accessKeyId: 'ASIACAPTURECAPTURE00',
          secretAccessKey: 'capture-secret-capture-secret-capture-00',
          sessionToken: 'capture-token',
          expiration: new Date(Date.now() + 900_000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
        },
        packedPolicySize: 0,
        roleArn,
        sourceIdentity: 'CN=capture',
      },
    ],
    subjectArn: `arn:aws:rolesanywhere:us-east-1:${account}:subject/capture`,
  });
}

/**
 * Loopback server that records every request as received and answers 201. It takes headers up to
 * 64 KiB, as the emulator does: an ML-DSA-87 request carries ~20 KB of them.
 */
export async function startCapture(): Promise<{
  endpoint: string;
  requests: CapturedRequest[];
  stop(): Promise<void>;
}> {
  const requests: CapturedRequest[] = [];
  const server = createServer({ maxHeaderSize: 64 * 1024 }, (request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const [path = '/', rawQuery = ''] = (request.url ?? '/').split('?');
      requests.push({
        method: request.method ?? '',
        path,
        rawQuery,
        headers: request.headers,
        body: Buffer.concat(chunks),
      });
      response.writeHead(201, { 'Content-Type': 'application/json' });
      response.end(answerFor(rawQuery));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** X-Amz-Date (YYYYMMDD'T'HHMMSS'Z') as a Date. */
export function fromAmzDate(text: string): Date {
  const m = /^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/.exec(text);
  if (!m) throw new Error(`not an X-Amz-Date: ${text}`);
  return new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])));
}

/** The flags both helpers take for a leaf and its ARNs. */
export function leafArgs(
  leaf: IssuedCert,
  arns: { trustAnchorArn: string; profileArn: string; roleArn: string },
  endpoint: string,
  intermediatesPath?: string,
): string[] {
  return [
    '--certificate',
    leaf.certPath,
    '--private-key',
    leaf.keyPath,
    ...(intermediatesPath ? ['--intermediates', intermediatesPath] : []),
    '--trust-anchor-arn',
    arns.trustAnchorArn,
    '--profile-arn',
    arns.profileArn,
    '--role-arn',
    arns.roleArn,
    '--endpoint',
    endpoint,
  ];
}
