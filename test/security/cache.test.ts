/**
 * Defects 2 and 3: the credential cache must serve only what the full path would have fetched
 * and checked. Poisoning (--no-verify-ssl, another CA bundle, an expiry far in the future) and
 * identity (a bundle that starts like another, a key file that is not the key, a wrong
 * passphrase), through the full CLI and the warm path that loads no node:crypto.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '@iamra/cli';
import { type RunningEmulator, startEmulator } from '@iamra/emulator';
import { MISS, warmCredentialProcess } from '../../packages/cli/src/warm-cache/warm-credential-process.js';
import { runCli } from '../support/cli-run.js';
import { emulatorFlags } from '../support/emulator-process.js';
import { startHostileServer } from '../support/hostile-server.js';
import { convertKey, type IssuedCert, leafFlags, makeCertificate, makePki, testDir } from '../support/pki.js';
import { ASSUMED_ROLE_ARN, credentialSetBody, hostileFlags } from './fixtures.js';

interface Printed {
  AccessKeyId: string;
  Expiration: string;
}

describe('security: cache poisoning and cache identity', function () {
  this.timeout(60_000);
  const pki = makePki({ subjectPrefix: 'cache-sec' });
  let emulator: RunningEmulator;

  before(async () => {
    emulator = await startEmulator({ cas: [pki.root.certPem] });
  });
  after(() => emulator.stop());

  const sessions = () => emulator.stats().createSession;
  const argv = (args: string[]) => ['credential-process', ...args, ...emulatorFlags(emulator)];
  const cacheEnv = () => ({ IAMRA_CACHE_DIR: join(testDir(), 'cache') });

  async function fetch(args: string[], env: Record<string, string>): Promise<Printed> {
    const result = await runCli(main, argv(args), env);
    assert.equal(result.exitCode, 0, result.stderr);
    return JSON.parse(result.stdout) as Printed;
  }

  const warm = (args: string[], env: Record<string, string>) =>
    warmCredentialProcess(argv(args), { PATH: process.env.PATH ?? '', ...env });

  describe('poisoning', () => {
    it('credentials fetched with --no-verify-ssl are never served to a verifying call', async () => {
      const env = cacheEnv();
      const flags = leafFlags(pki.ecLeaf, pki.intermediate);
      const before = sessions();
      const unverified = await fetch([...flags, '--no-verify-ssl'], env);
      assert.equal(await warm(flags, env), MISS, 'the warm path misses');
      const verified = await fetch(flags, env);
      assert.equal(sessions() - before, 2);
      assert.notEqual(verified.AccessKeyId, unverified.AccessKeyId);
      assert.notEqual(await warm(flags, env), MISS, 'the verified entry is its own');
    });

    it('nor to a call that trusts another CA bundle (NODE_EXTRA_CA_CERTS)', async () => {
      const env = cacheEnv();
      const flags = leafFlags(pki.ecLeaf, pki.intermediate);
      const bundle = join(testDir(), 'ca.pem');
      writeFileSync(bundle, pki.root.certPem);
      const withBundle = await fetch(flags, { ...env, NODE_EXTRA_CA_CERTS: bundle });
      assert.equal(await warm(flags, env), MISS);
      const without = await fetch(flags, env);
      assert.notEqual(without.AccessKeyId, withBundle.AccessKeyId);
      writeFileSync(bundle, `${pki.root.certPem}${pki.intermediate.certPem}`);
      assert.equal(await warm(flags, { ...env, NODE_EXTRA_CA_CERTS: bundle }), MISS, 'a replaced bundle misses');
    });

    it('an expiry far past the requested duration is capped at request time + duration, and so is the entry', async () => {
      const server = await startHostileServer((_request, response) => {
        response.writeHead(201, { 'content-type': 'application/json' });
        response.end(credentialSetBody(ASSUMED_ROLE_ARN, new Date('2099-01-01T00:00:00Z')));
      });
      try {
        const env = cacheEnv();
        const started = Date.now();
        const flags = [...hostileFlags(pki.ecLeaf, pki.intermediate, server.endpoint), '--session-duration', '900'];
        const withCache = flags.filter((flag) => flag !== '--no-cache');
        const first = await runCli(main, withCache, env);
        assert.equal(first.exitCode, 0, first.stderr);
        const expiration = Date.parse((JSON.parse(first.stdout) as Printed).Expiration);
        assert.ok(
          expiration <= Date.now() + 900_000 && expiration >= started + 899_000,
          new Date(expiration).toISOString(),
        );
        const [name] = readdirSync(env.IAMRA_CACHE_DIR);
        const entry = JSON.parse(readFileSync(join(env.IAMRA_CACHE_DIR, name ?? ''), 'utf8')) as {
          credentials: { expiration: string };
        };
        assert.equal(Date.parse(entry.credentials.expiration), expiration);
        const second = await runCli(main, withCache, env);
        assert.equal(second.stdout, first.stdout, 'the capped entry is served');
        assert.equal(server.requests, 1);
      } finally {
        await server.stop();
      }
    });

    it('a planted entry that outlives the duration is refused by the warm and the full path', async () => {
      const env = cacheEnv();
      const flags = leafFlags(pki.rsaLeaf, pki.intermediate);
      const honest = await fetch(flags, env);
      const [name] = readdirSync(env.IAMRA_CACHE_DIR);
      const path = join(env.IAMRA_CACHE_DIR, name ?? '');
      const entry = JSON.parse(readFileSync(path, 'utf8')) as { credentials: { expiration: string } };
      entry.credentials.expiration = '2099-01-01T00:00:00.000Z';
      writeFileSync(path, JSON.stringify(entry), { mode: 0o600 });
      assert.equal(await warm(flags, env), MISS);
      const before = sessions();
      const refreshed = await fetch(flags, env);
      assert.equal(sessions() - before, 1);
      assert.notEqual(refreshed.AccessKeyId, honest.AccessKeyId);
      assert.notEqual(refreshed.Expiration, '2099-01-01T00:00:00Z');
    });
  });

  describe('identity', () => {
    function bundle(leaf: IssuedCert, order: 'intermediate first' | 'leaf first'): string {
      const path = join(testDir(), 'bundle.pem');
      const parts = [pki.intermediate.certPem, leaf.certPem];
      writeFileSync(path, (order === 'leaf first' ? parts.reverse() : parts).join(''));
      return path;
    }

    it('two bundles that start with the same intermediate are two identities', async () => {
      const env = cacheEnv();
      const rsa = await fetch(
        ['--certificate', bundle(pki.rsaLeaf, 'intermediate first'), '--private-key', pki.rsaLeaf.keyPath],
        env,
      );
      const ec = await fetch(
        ['--certificate', bundle(pki.ecLeaf, 'intermediate first'), '--private-key', pki.ecLeaf.keyPath],
        env,
      );
      assert.notEqual(ec.AccessKeyId, rsa.AccessKeyId);
      // The same bundle in another order is the same identity.
      const before = sessions();
      const again = await fetch(
        ['--certificate', bundle(pki.ecLeaf, 'leaf first'), '--private-key', pki.ecLeaf.keyPath],
        env,
      );
      assert.equal(again.AccessKeyId, ec.AccessKeyId);
      assert.equal(sessions(), before);
    });

    it('a renewed certificate for the same key, in a bundle that starts the same, is a new identity', async () => {
      const env = cacheEnv();
      const renewed = makeCertificate({
        key: pki.ecLeaf.key,
        issuer: pki.intermediate,
        subject: '/CN=cache-sec renewed',
      });
      const key = ['--private-key', pki.ecLeaf.keyPath];
      const old = await fetch(['--certificate', bundle(pki.ecLeaf, 'intermediate first'), ...key], env);
      const before = sessions();
      const fresh = await fetch(['--certificate', bundle(renewed, 'intermediate first'), ...key], env);
      assert.equal(sessions() - before, 1);
      assert.notEqual(fresh.AccessKeyId, old.AccessKeyId);
    });

    const wrongKeys: [string, (dir: string) => { args: string[]; env?: Record<string, string> }, RegExp][] = [
      ['another valid key', () => ({ args: ['--private-key', pki.rsaLeaf.keyPath] }), /^iamra: KEY_CERT_MISMATCH: /],
      [
        'the certificate file itself',
        () => ({ args: ['--private-key', pki.ecLeaf.certPath] }),
        /^iamra: KEY_MALFORMED: /,
      ],
      [
        'the right key, encrypted, with a wrong passphrase',
        (dir) => {
          const path = join(dir, 'encrypted.pem');
          writeFileSync(path, convertKey(pki.ecLeaf.key, ['-aes256'], 'right'));
          return { args: ['--private-key', path], env: { IAMRA_PRIVATE_KEY_PASSPHRASE: 'wrong' } };
        },
        /^iamra: PASSPHRASE_WRONG: /,
      ],
    ];
    for (const [name, make, refusal] of wrongKeys) {
      it(`a warm entry is not served for ${name}: the full path refuses it`, async () => {
        const env = cacheEnv();
        await fetch(leafFlags(pki.ecLeaf, pki.intermediate), env);
        const wrong = make(testDir());
        const args = [
          '--certificate',
          pki.ecLeaf.certPath,
          '--intermediates',
          pki.intermediate.certPath,
          ...wrong.args,
        ];
        const callEnv = { ...env, ...wrong.env };
        assert.equal(await warm(args, callEnv), MISS);
        const result = await runCli(main, argv(args), callEnv);
        assert.equal(result.exitCode, 2, result.stderr);
        assert.match(result.stderr, refusal);
        assert.equal(result.stdout, '');
      });
    }
  });
});
