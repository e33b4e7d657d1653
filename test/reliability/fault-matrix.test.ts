/**
 * The fault matrix through the CLI: transient faults recover; the rest fail in bounded time
 * with one clear line and the documented exit code, leaving no partial cache file behind.
 */
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '@iamra/cli';
import { type FaultPlan, type RunningEmulator, startEmulator } from '@iamra/emulator';
import { runCli } from '../support/cli-run.js';
import { emulatorFlags } from '../support/emulator-process.js';
import { makeCertificate, makePki, testDir } from '../support/pki.js';

describe('reliability: fault matrix', function () {
  this.timeout(120_000);
  const pki = makePki({ subjectPrefix: 'faults' });
  let emulator: RunningEmulator;

  before(async () => {
    emulator = await startEmulator({ cas: [pki.root.certPem], lifetimeMs: 115_000 });
  });
  after(() => emulator.stop());

  async function run(endpoint: string, extra: string[] = []) {
    const dir = testDir();
    const cacheDir = join(dir, 'cache');
    const args = [
      'credential-process',
      '--certificate',
      pki.rsaLeaf.certPath,
      '--private-key',
      pki.rsaLeaf.keyPath,
      '--intermediates',
      pki.intermediate.certPath,
      // The TLS case points the same ARNs at a second emulator's endpoint.
      ...emulatorFlags({ ...emulator, endpoint }),
      '--retry-max-attempts',
      '3',
      ...extra,
    ];
    const started = Date.now();
    const result = await runCli(main, args, { IAMRA_CACHE_DIR: cacheDir });
    let leftovers: string[] = [];
    try {
      leftovers = readdirSync(cacheDir).filter((name) => !name.endsWith('.json') || result.exitCode !== 0);
    } catch {
      leftovers = [];
    }
    return { ...result, elapsedMs: Date.now() - started, leftovers };
  }

  const transient: [string, FaultPlan][] = [
    ['500', { status: 500, count: 2 }],
    ['502', { status: 502, count: 2 }],
    ['503', { status: 503, count: 2 }],
    ['504', { status: 504, count: 2 }],
    ['429', { status: 429, count: 2 }],
    ['connection reset', { reset: true, count: 2 }],
    ['truncated JSON once', { truncatedBody: true, count: 1 }],
  ];
  for (const [name, plan] of transient) {
    it(`recovers from ${name}`, async () => {
      emulator.setFaults(plan);
      const before = emulator.stats().createSession;
      const result = await run(emulator.endpoint);
      emulator.setFaults(undefined);
      assert.equal(result.exitCode, 0, result.stderr);
      assert.match(result.stdout, /"AccessKeyId":"ASIA/);
      assert.equal(emulator.stats().createSession - before, (plan.count ?? 0) + 1);
      assert.deepEqual(result.leftovers, []);
    });
  }

  const permanent: [string, FaultPlan, number, RegExp][] = [
    [
      '500 every time',
      { status: 500 },
      4,
      /^iamra: SERVICE_UNAVAILABLE: CreateSession failed: InternalServerException: .*gave up after 3 attempts/,
    ],
    ['429 every time', { status: 429 }, 4, /^iamra: THROTTLED: CreateSession failed: ThrottlingException/],
    [
      'connection reset every time',
      { reset: true },
      4,
      /^iamra: NETWORK_ERROR: could not reach 127\.0\.0\.1:\d+ \(ECONNRESET\)/,
    ],
    [
      'truncated JSON',
      { truncatedBody: true },
      4,
      /^iamra: RESPONSE_INVALID: the CreateSession response is not valid JSON/,
    ],
    [
      'malformed JSON',
      { malformedBody: true },
      4,
      /^iamra: RESPONSE_INVALID: the CreateSession response is not valid JSON/,
    ],
    [
      'an empty credentialSet',
      { emptyCredentialSet: true },
      4,
      /^iamra: RESPONSE_INVALID: the CreateSession response has an empty credentialSet/,
    ],
    ['403 AccessDenied', { status: 403 }, 3, /^iamra: CREATE_SESSION_DENIED: /],
  ];
  for (const [name, plan, exitCode, line] of permanent) {
    it(`fails clearly on ${name}`, async () => {
      emulator.setFaults(plan);
      const result = await run(emulator.endpoint);
      emulator.setFaults(undefined);
      assert.equal(result.exitCode, exitCode, result.stderr);
      assert.equal(result.stdout, '');
      assert.equal(result.stderr.trimEnd().split('\n').length, 1, result.stderr);
      assert.match(result.stderr, line);
      assert.deepEqual(result.leftovers, [], 'no partial cache file or lock');
    });
  }

  it('a hang past the timeout recovers on the next attempt', async () => {
    emulator.setFaults({ hang: true, count: 1 });
    const result = await run(emulator.endpoint, ['--timeout-ms', '500']);
    emulator.setFaults(undefined);
    assert.equal(result.exitCode, 0, result.stderr);
    assert.ok(result.elapsedMs < 30_000);
  });

  it('a hang on every attempt fails with TIMEOUT in bounded time', async () => {
    emulator.setFaults({ hang: true });
    const result = await run(emulator.endpoint, ['--timeout-ms', '300']);
    emulator.setFaults(undefined);
    assert.equal(result.exitCode, 4, result.stderr);
    assert.match(result.stderr, /^iamra: TIMEOUT: no complete answer from 127\.0\.0\.1:\d+ within 300 ms/);
    assert.ok(result.elapsedMs < 30_000, `${result.elapsedMs} ms`);
  });

  it('TLS with an unknown CA fails with TLS_UNTRUSTED, and --no-verify-ssl passes', async () => {
    const serverCa = makeCertificate({ key: 'p256', ca: true, subject: '/CN=unknown tls ca' });
    const serverCert = makeCertificate({
      key: 'p256',
      issuer: serverCa,
      subject: '/CN=127.0.0.1',
      keyUsage: 'critical,digitalSignature',
      extraExtensions: ['subjectAltName = IP:127.0.0.1', 'extendedKeyUsage = serverAuth'],
    });
    const tlsEmulator = await startEmulator({
      cas: [pki.root.certPem],
      tls: { cert: serverCert.certPem, key: serverCert.keyPem },
    });
    try {
      const untrusted = await run(tlsEmulator.endpoint);
      assert.equal(untrusted.exitCode, 3, untrusted.stderr);
      assert.match(
        untrusted.stderr,
        /^iamra: TLS_UNTRUSTED: the TLS certificate of 127\.0\.0\.1:\d+ is not trusted \(UNABLE_TO_VERIFY_LEAF_SIGNATURE\); add its CA with NODE_EXTRA_CA_CERTS/,
      );
      const insecure = await run(tlsEmulator.endpoint.replace('127.0.0.1', '127.0.0.1'), [
        '--no-verify-ssl',
        '--no-cache',
      ]);
      assert.equal(insecure.exitCode, 0, insecure.stderr);
    } finally {
      await tlsEmulator.stop();
    }
  });
});
