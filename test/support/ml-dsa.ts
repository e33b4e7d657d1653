/**
 * ML-DSA material and runs for the tests. ML-DSA needs Node 24 (OpenSSL 3.5) while mocha runs on
 * Node 20, so keys and certificates are made, and recorded requests verified, by small scripts run
 * under peers.node24() (ml-dsa-pki.ts, ml-dsa-replay.ts), and the CLI runs as a child process.
 */
import { execFile, execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MlDsaCase, MlDsaPki } from './ml-dsa-pki.js';
import type { RecordedRequest, ReplayInput, ReplayOutput } from './ml-dsa-replay.js';
import { peers, repoRoot } from './peers.js';

const SUPPORT = join(repoRoot, 'test', 'support');
export const IAMRA_BIN = join(repoRoot, 'packages', 'cli', 'bin', 'iamra.js');
export const ENCRYPTED_KEY_PASSPHRASE = 'ml-dsa test passphrase';

export interface MlDsaFiles {
  name: string;
  caPem: string;
  caPath: string;
  leafPath: string;
  keyPath: string;
  /** The same key as encrypted PKCS#8 (AES-256-CBC, ENCRYPTED_KEY_PASSPHRASE). */
  encryptedKeyPath: string;
  leafPem: string;
}

/** Encrypts each leaf key under Node 24 (Node 20 cannot even read the key to encrypt it). */
function encryptKeys(cases: MlDsaCase[]): string[] {
  const script = `
    const { createPrivateKey } = require('node:crypto');
    const keys = JSON.parse(require('node:fs').readFileSync(0, 'utf8'));
    process.stdout.write(JSON.stringify(keys.map((pem) => createPrivateKey(pem)
      .export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: ${JSON.stringify(ENCRYPTED_KEY_PASSPHRASE)} }))));`;
  const output = execFileSync(peers.node24(), ['-e', script], {
    input: JSON.stringify(cases.map((c) => c.leaf.keyPem)),
    encoding: 'utf8',
    timeout: 60_000,
  });
  return JSON.parse(output) as string[];
}

/**
 * ML-DSA-44/65/87 leaves under CAs of their own set, an ML-DSA-65 leaf under an EC P-256 CA and an
 * EC leaf under an ML-DSA-65 CA (see ml-dsa-pki.ts), written to `dir`.
 */
export function mlDsaPkiFiles(dir: string): MlDsaFiles[] {
  const pki = JSON.parse(
    execFileSync(peers.node24(), [join(SUPPORT, 'ml-dsa-pki.ts')], { encoding: 'utf8', timeout: 60_000 }),
  ) as MlDsaPki;
  const encrypted = encryptKeys(pki.cases);
  return pki.cases.map((c, index) => {
    const path = (what: string) => join(dir, `case${index}-${what}.pem`);
    writeFileSync(path('ca'), c.ca.certPem);
    writeFileSync(path('leaf'), c.leaf.certPem);
    writeFileSync(path('key'), c.leaf.keyPem, { mode: 0o600 });
    writeFileSync(path('key-encrypted'), encrypted[index] ?? '', { mode: 0o600 });
    return {
      name: c.name,
      caPem: c.ca.certPem,
      caPath: path('ca'),
      leafPath: path('leaf'),
      keyPath: path('key'),
      encryptedKeyPath: path('key-encrypted'),
      leafPem: c.leaf.certPem,
    };
  });
}

export interface NodeRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** `node IAMRA_BIN args` under the given Node, with only PATH and HOME (no cache) and a bound. */
export function runIamra(node: string, args: string[], env: Record<string, string> = {}): Promise<NodeRun> {
  return new Promise((resolve) => {
    execFile(
      node,
      [IAMRA_BIN, ...args],
      { timeout: 60_000, env: { PATH: process.env.PATH ?? '', HOME: '/nonexistent', ...env } },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** Recorded requests replayed to an emulator under Node 24 whose clock is `now`. */
export function replayUnderNode24(input: ReplayInput): ReplayOutput {
  const output = execFileSync(peers.node24(), [join(SUPPORT, 'ml-dsa-replay.ts')], {
    input: JSON.stringify(input),
    encoding: 'utf8',
    timeout: 60_000,
  });
  return JSON.parse(output) as ReplayOutput;
}

/** The same request with one hex digit of its signature changed. */
export function withTamperedSignature(request: RecordedRequest): RecordedRequest {
  const authorization = request.headers.authorization ?? '';
  const at = authorization.lastIndexOf('Signature=') + 'Signature='.length + 10;
  const digit = authorization[at] === '0' ? '1' : '0';
  return {
    ...request,
    headers: {
      ...request.headers,
      authorization: `${authorization.slice(0, at)}${digit}${authorization.slice(at + 1)}`,
    },
  };
}

/** Whether `signatureHex` is a pure ML-DSA signature (empty context) of `message` by the certificate's key, asked of Node 24. */
export function verifiesUnderNode24(certificatePem: string, message: Buffer, signatureHex: string): boolean {
  const script = `
    const { X509Certificate, verify } = require('node:crypto');
    const input = JSON.parse(require('node:fs').readFileSync(0, 'utf8'));
    const key = new X509Certificate(input.certificatePem).publicKey;
    process.stdout.write(String(verify(null, Buffer.from(input.message, 'base64'), key, Buffer.from(input.signatureHex, 'hex'))));`;
  const output = execFileSync(peers.node24(), ['-e', script], {
    input: JSON.stringify({ certificatePem, message: message.toString('base64'), signatureHex }),
    encoding: 'utf8',
    timeout: 60_000,
  });
  return output === 'true';
}

/** X-Amz-Date (YYYYMMDD'T'HHMMSS'Z') in ISO 8601. */
export function isoOfAmzDate(text: string): string {
  const m = /^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/.exec(text);
  if (!m) throw new Error(`not an X-Amz-Date: ${text}`);
  return `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z`;
}
