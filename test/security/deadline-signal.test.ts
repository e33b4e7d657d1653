/**
 * Defects 5 and 7. A server that drips its answer (body or headers) cannot hold a caller past
 * its bound: one wall-clock deadline covers connect, headers and body, per attempt and across
 * retries, in the CLI and in core's obtainSession (what the Action and the task call). And
 * SIGTERM/SIGINT end the CLI at once while a request is in flight or while it waits for another
 * caller's lock, leaving no lock or temp file of its own.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import type http from 'node:http';
import { join } from 'node:path';
import { main } from '@iamra/cli';
import { IamraError, obtainSession } from '@iamra/core';
import { runCli } from '../support/cli-run.js';
import { type HostileServer, startHostileServer } from '../support/hostile-server.js';
import { repoRoot } from '../support/peers.js';
import { makePki, testDir } from '../support/pki.js';
import { hostileFlags, PROFILE_ARN, ROLE_ARN, TRUST_ANCHOR_ARN } from './fixtures.js';

/** Far above the bound under test, far below "never ends": a bound, not a speed measurement. */
const PROMPTLY_MS = 5_000;

function dripBody(_request: http.IncomingMessage, response: http.ServerResponse): void {
  response.writeHead(201, { 'content-type': 'application/json' });
  const timer = setInterval(() => response.write(' '), 100);
  response.on('close', () => clearInterval(timer));
}

function dripHeaders(_request: http.IncomingMessage, response: http.ServerResponse): void {
  const socket = response.socket;
  socket?.write('HTTP/1.1 201 Created\r\n');
  const timer = setInterval(() => socket?.write('x-drip: 1\r\n'), 100);
  socket?.on('close', () => clearInterval(timer));
}

function hang(): void {}

describe('security: one deadline, and signals end the CLI at once', function () {
  this.timeout(60_000);
  const pki = makePki({ subjectPrefix: 'deadline' });
  let server: HostileServer;
  let handler: (request: http.IncomingMessage, response: http.ServerResponse) => void = hang;

  before(async () => {
    server = await startHostileServer((request, response) => handler(request, response));
  });
  after(() => server.stop());

  const cases: [string, typeof dripBody][] = [
    ['a body dripped a byte every 100 ms', dripBody],
    ['headers dripped a line every 100 ms', dripHeaders],
    ['no answer at all', hang],
  ];
  for (const [name, serve] of cases) {
    it(`--timeout-ms 1000 --retry-max-attempts 1 against ${name}: TIMEOUT after about 1 s`, async () => {
      handler = serve;
      const started = Date.now();
      const result = await runCli(main, [
        ...hostileFlags(pki.ecLeaf, pki.intermediate, server.endpoint),
        '--timeout-ms',
        '1000',
      ]);
      const elapsed = Date.now() - started;
      assert.equal(result.exitCode, 4, result.stderr);
      assert.match(result.stderr, /^iamra: TIMEOUT: no complete answer from 127\.0\.0\.1:\d+ within 1000 ms/);
      assert.ok(elapsed >= 1000 && elapsed < PROMPTLY_MS, `${elapsed} ms`);
    });
  }

  it('the bound holds across retries: three dripped attempts of 1 s each, then TIMEOUT', async () => {
    handler = dripBody;
    const before = server.requests;
    const started = Date.now();
    const result = await runCli(main, [
      ...hostileFlags(pki.ecLeaf, pki.intermediate, server.endpoint, 3),
      '--timeout-ms',
      '1000',
    ]);
    assert.equal(result.exitCode, 4);
    assert.match(result.stderr, /TIMEOUT: .*gave up after 3 attempts/);
    assert.equal(server.requests - before, 3);
    assert.ok(Date.now() - started < 3 * 1000 + 3 * 1000 + PROMPTLY_MS);
  });

  it("obtainSession (the Action's and the task's call) is bounded by its deadline", async () => {
    handler = dripBody;
    const started = Date.now();
    await assert.rejects(
      obtainSession(
        {
          material: { certificate: pki.ecLeaf.certPem, privateKey: pki.ecLeaf.keyPem },
          session: { trustAnchorArn: TRUST_ANCHOR_ARN, profileArn: PROFILE_ARN, roleArn: ROLE_ARN },
          endpoint: server.endpoint,
          proxy: 'none',
          deadlineMs: 1500,
        },
        { now: () => new Date(), env: {} },
      ),
      (error: unknown) => error instanceof IamraError && error.code === 'TIMEOUT',
    );
    assert.ok(Date.now() - started < PROMPTLY_MS);
  });

  /** Spawns the CLI bin with a cache dir; resolves with its exit once it ends. */
  function spawnCli(cacheDir: string, extra: string[] = []) {
    const child: ChildProcess = spawn(
      process.execPath,
      [
        join(repoRoot, 'packages', 'cli', 'bin', 'iamra.js'),
        ...hostileFlags(pki.ecLeaf, pki.intermediate, server.endpoint).filter((flag) => flag !== '--no-cache'),
        '--timeout-ms',
        '60000',
        ...extra,
      ],
      { env: { PATH: process.env.PATH ?? '', IAMRA_CACHE_DIR: cacheDir }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) =>
      child.on('exit', (code, signal) => resolve({ code, signal, stderr })),
    );
    return { child, exit, stderr: () => stderr };
  }

  const listing = (dir: string): string[] => {
    try {
      return readdirSync(dir);
    } catch {
      return [];
    }
  };

  async function until(condition: () => boolean): Promise<void> {
    for (let i = 0; i < 600 && !condition(); i += 1) await new Promise((resolve) => setTimeout(resolve, 25));
    assert.ok(condition(), 'the condition never held');
  }

  for (const [signal, code] of [
    ['SIGTERM', 143],
    ['SIGINT', 130],
  ] as const) {
    it(`${signal} while CreateSession hangs: exits ${code} at once, one line, no lock or temp file left`, async () => {
      handler = hang;
      const cacheDir = join(testDir(), 'cache');
      const before = server.requests;
      const { child, exit } = spawnCli(cacheDir);
      await until(() => server.requests > before);
      assert.ok(
        readdirSync(cacheDir).some((name) => name.endsWith('.lock')),
        'the lock was held',
      );
      const sent = Date.now();
      child.kill(signal);
      const ended = await exit;
      assert.ok(Date.now() - sent < PROMPTLY_MS, `${Date.now() - sent} ms`);
      assert.equal(ended.code, code, ended.stderr);
      assert.match(ended.stderr, /^iamra: INTERRUPTED: stopped by a signal/);
      assert.equal(ended.stderr.trim().split('\n').length, 1);
      assert.deepEqual(readdirSync(cacheDir), [], 'no lock, no temp file, no entry');
    });
  }

  it("SIGTERM while waiting for another caller's lock: exits at once and leaves that lock alone", async () => {
    handler = hang;
    const cacheDir = join(testDir(), 'cache');
    const first = spawnCli(cacheDir);
    await until(() => listing(cacheDir).some((name) => name.endsWith('.lock')));
    const lock = readdirSync(cacheDir);
    const waiter = spawnCli(cacheDir, ['--debug']);
    await until(() => waiter.stderr().includes('another iamra is fetching these credentials; waiting'));
    waiter.child.kill('SIGTERM');
    const ended = await waiter.exit;
    assert.equal(ended.code, 143, ended.stderr);
    assert.deepEqual(readdirSync(cacheDir), lock, "only the first caller's lock");
    first.child.kill('SIGTERM');
    await first.exit;
    assert.deepEqual(readdirSync(cacheDir), []);
  });

  it('a stale lock planted by a dead process does not trap a signalled CLI either', async () => {
    handler = hang;
    const cacheDir = join(testDir(), 'cache');
    mkdirSync(cacheDir, { recursive: true, mode: 0o700 });
    writeFileSync(join(cacheDir, 'planted.lock'), `999999 ${new Date().toISOString()}`, { mode: 0o600 });
    const before = server.requests;
    const { child, exit } = spawnCli(cacheDir);
    await until(() => server.requests > before);
    child.kill('SIGTERM');
    assert.equal((await exit).code, 143);
    assert.deepEqual(readdirSync(cacheDir), ['planted.lock']);
  });
});
