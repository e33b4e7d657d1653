/**
 * The cache as credential-process uses it, through main against the emulator: what --debug says
 * (and never says), what shares an entry and what does not, and the refresh settings.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type RunningEmulator, startEmulator } from '@iamra/emulator';
import { runCli } from '../../../test/support/cli-run.js';
import { emulatorFlags } from '../../../test/support/emulator-process.js';
import { leafFlags, makePki, testDir } from '../../../test/support/pki.js';
import { main } from '../src/index.js';

describe('credential-process with the cache', function () {
  this.timeout(60_000);
  const pki = makePki({ subjectPrefix: 'cacheflow' });
  let emulator: RunningEmulator;

  before(async () => {
    // One hour of credentials: far from the 300 s refresh margin.
    emulator = await startEmulator({ cas: [pki.root.certPem] });
  });
  after(() => emulator.stop());

  const files = () => [...leafFlags(pki.rsaLeaf, pki.intermediate)];
  const run = (args: string[], env: Record<string, string>, stdin?: string) =>
    runCli(main, ['credential-process', ...args, ...emulatorFlags(emulator)], env, stdin);
  const sessions = () => emulator.stats().createSession;

  it('--debug tells miss, CreateSession, store, then hit, with timing, and never a secret', async () => {
    const env = { IAMRA_CACHE_DIR: join(testDir(), 'cache') };
    const before = sessions();
    const first = await run([...files(), '--debug'], env);
    assert.equal(first.exitCode, 0, first.stderr);
    const second = await run([...files(), '--debug'], env);
    assert.equal(second.exitCode, 0, second.stderr);
    assert.equal(sessions() - before, 1);
    assert.equal(second.stdout, first.stdout, 'the cached credentials are the same ones');
    assert.match(first.stderr, /^iamra debug: cache: miss$/m);
    assert.match(first.stderr, /^iamra debug: string to sign:\nAWS4-X509-RSA-SHA256\n/m);
    assert.match(first.stderr, /^iamra debug: CreateSession ok after 1 attempt\(s\) in \d+ ms$/m);
    assert.match(first.stderr, /^iamra debug: cache: stored$/m);
    assert.match(second.stderr, /^iamra debug: cache: hit, expires in \d+ s$/m);
    assert.doesNotMatch(second.stderr, /canonical request/, 'a hit signs nothing');
    const output = JSON.parse(first.stdout) as Record<string, string>;
    for (const result of [first, second]) {
      for (const secret of [output.SecretAccessKey, output.SessionToken]) {
        assert.ok(secret && !result.stderr.includes(secret), 'no credential on stderr');
      }
      for (const line of readFileSync(pki.rsaLeaf.keyPath, 'utf8').split('\n').slice(2, -2)) {
        assert.ok(!result.stderr.includes(line), 'no key material on stderr');
      }
    }
    // The entry's name is a hash; the secret is only inside the file.
    const [name] = readdirSync(env.IAMRA_CACHE_DIR);
    assert.match(name ?? '', /^[0-9a-f]{64}\.json$/);
  });

  it('the same certificate as a PEM file, DER file or env text shares one entry', async () => {
    const dir = testDir();
    const env = { IAMRA_CACHE_DIR: join(dir, 'cache') };
    const der = join(dir, 'leaf.der');
    writeFileSync(der, pki.rsaLeaf.certDer);
    const before = sessions();
    const results = [
      await run(files(), env),
      await run(
        ['--certificate', der, '--private-key', pki.rsaLeaf.keyPath, '--intermediates', pki.intermediate.certPath],
        env,
      ),
      await run([], {
        ...env,
        IAMRA_CERTIFICATE: pki.rsaLeaf.certPem,
        IAMRA_PRIVATE_KEY: pki.rsaLeaf.keyPem,
        IAMRA_INTERMEDIATES: pki.intermediate.certPem,
      }),
      await run(
        ['--certificate', '-', '--private-key', pki.rsaLeaf.keyPath, '--intermediates', pki.intermediate.certPath],
        env,
        pki.rsaLeaf.certPem,
      ),
    ];
    for (const result of results) assert.equal(result.exitCode, 0, result.stderr);
    assert.equal(sessions() - before, 1);
    assert.equal(readdirSync(env.IAMRA_CACHE_DIR).length, 1);
  });

  it('a different certificate, session name or duration gets its own entry', async () => {
    const env = { IAMRA_CACHE_DIR: join(testDir(), 'cache') };
    const before = sessions();
    const variants = [
      files(),
      [...leafFlags(pki.ecLeaf, pki.intermediate)],
      [...files(), '--role-session-name', 'other-name'],
      [...files(), '--session-duration', '900'],
    ];
    for (const args of variants) assert.equal((await run(args, env)).exitCode, 0);
    for (const args of variants) assert.equal((await run(args, env)).exitCode, 0);
    assert.equal(sessions() - before, variants.length);
    assert.equal(readdirSync(env.IAMRA_CACHE_DIR).length, variants.length);
  });

  it('--cache-refresh-seconds and IAMRA_CACHE_REFRESH_SECONDS past the lifetime refresh on every call', async () => {
    const env = { IAMRA_CACHE_DIR: join(testDir(), 'cache') };
    const before = sessions();
    assert.equal((await run(files(), env)).exitCode, 0);
    const byFlag = await run([...files(), '--cache-refresh-seconds', '7200', '--debug'], env);
    assert.equal(byFlag.exitCode, 0, byFlag.stderr);
    assert.match(byFlag.stderr, /^iamra debug: cache: entry expires in \d+ s; refreshing$/m);
    assert.equal((await run(files(), { ...env, IAMRA_CACHE_REFRESH_SECONDS: '7200' })).exitCode, 0);
    // The flag wins over the environment.
    assert.equal(
      (await run([...files(), '--cache-refresh-seconds', '60'], { ...env, IAMRA_CACHE_REFRESH_SECONDS: '7200' }))
        .exitCode,
      0,
    );
    assert.equal(sessions() - before, 3);
  });

  it('--no-cache calls CreateSession every time and writes nothing', async () => {
    const dir = join(testDir(), 'cache');
    const before = sessions();
    for (let i = 0; i < 2; i += 1) {
      assert.equal((await run([...files(), '--no-cache'], { IAMRA_CACHE_DIR: dir })).exitCode, 0);
    }
    assert.equal(sessions() - before, 2);
    assert.throws(() => readdirSync(dir), /ENOENT/);
  });

  it('--cache-dir wins over IAMRA_CACHE_DIR; XDG_CACHE_HOME is the default', async () => {
    const base = testDir();
    assert.equal(
      (await run([...files(), '--cache-dir', join(base, 'flag')], { IAMRA_CACHE_DIR: join(base, 'env') })).exitCode,
      0,
    );
    assert.equal(readdirSync(join(base, 'flag')).length, 1);
    assert.throws(() => readdirSync(join(base, 'env')), /ENOENT/);
    assert.equal((await run(files(), { XDG_CACHE_HOME: join(base, 'xdg') })).exitCode, 0);
    assert.equal(readdirSync(join(base, 'xdg', 'iamra')).length, 1);
  });

  it('a corrupt entry is replaced by fresh credentials', async () => {
    const env = { IAMRA_CACHE_DIR: join(testDir(), 'cache') };
    assert.equal((await run(files(), env)).exitCode, 0);
    const [name] = readdirSync(env.IAMRA_CACHE_DIR);
    writeFileSync(join(env.IAMRA_CACHE_DIR, name ?? ''), '{"version":1', { mode: 0o600 });
    const before = sessions();
    const result = await run([...files(), '--debug'], env);
    assert.equal(result.exitCode, 0, result.stderr);
    assert.match(result.stderr, /^iamra debug: cache: entry corrupt; ignored$/m);
    assert.equal(sessions() - before, 1);
    assert.equal((await run(files(), env)).exitCode, 0);
    assert.equal(sessions() - before, 1, 'and the replacement is used');
  });

  it('refuses a malformed IAMRA_CACHE_REFRESH_SECONDS', async () => {
    const result = await run(files(), { IAMRA_CACHE_REFRESH_SECONDS: '5m' });
    assert.equal(result.exitCode, 2);
    assert.equal(
      result.stderr,
      "iamra: CONFIG_INVALID: IAMRA_CACHE_REFRESH_SECONDS must be a whole number from 0 to 43200; got '5m'\n",
    );
  });
});
