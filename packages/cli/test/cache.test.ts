/**
 * The credential cache on its own: private files, expiry, every kind of bad entry, and the lock
 * (waiting, timing out, breaking a stale one). Clock, sleep, uid and liveness are injected.
 */
import assert from 'node:assert/strict';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import type { SessionCredentials } from '@iamra/core';
import { testDir } from '../../../test/support/pki.js';
import { defaultCacheDir } from '../src/cache/directory.js';
import { type CacheDeps, CredentialCache } from '../src/cache/store.js';

const posix = process.platform !== 'win32';
const myUid = posix ? process.getuid?.() : undefined;
const KEY = 'a'.repeat(64);

function credentials(expiresInSeconds: number, now: Date): SessionCredentials {
  return {
    accessKeyId: 'ASIACACHETEST',
    secretAccessKey: 'cache-secret-access-key',
    sessionToken: 'cache-session-token',
    expiration: new Date(now.getTime() + expiresInSeconds * 1000),
    assumedRoleArn: 'arn:aws:sts::123456789012:assumed-role/ci/1',
    assumedRoleId: 'AROACACHETEST:1',
    roleArn: 'arn:aws:iam::123456789012:role/ci',
    sourceIdentity: 'CN=cache',
    accountId: '123456789012',
    subjectArn: undefined,
  };
}

/** A cache over a fresh directory with a fake clock that sleep advances (yielding, as a real one does). */
function setup(overrides: Partial<CacheDeps> = {}, lockTimeoutMs = 1_000) {
  const dir = join(testDir(), 'cache');
  let clock = Date.parse('2026-01-01T00:00:00Z');
  const lines: string[] = [];
  const sleeps: number[] = [];
  const deps: CacheDeps = {
    now: () => new Date(clock),
    sleep: async (ms) => {
      sleeps.push(ms);
      clock += ms;
      await new Promise((resolve) => setImmediate(resolve));
    },
    uid: myUid,
    debug: (line) => lines.push(line),
    pid: process.pid,
    isProcessAlive: () => true,
    ...overrides,
  };
  const cache = new CredentialCache({ dir, refreshSeconds: 300, lockTimeoutMs }, deps);
  return { cache, dir, lines, sleeps, deps, entry: join(dir, `${KEY}.json`), lock: join(dir, `${KEY}.lock`) };
}

describe('credential cache', () => {
  it('stores entries 0600 in a 0700 directory, atomically, with no secret in any name', async () => {
    const { cache, dir, deps, entry } = setup();
    assert.equal(await cache.prepare(), true);
    await cache.write(KEY, credentials(3600, deps.now()));
    if (posix) {
      assert.equal(statSync(dir).mode & 0o777, 0o700);
      assert.equal(statSync(entry).mode & 0o777, 0o600);
    }
    assert.deepEqual(readdirSync(dir), [`${KEY}.json`], 'no temp file left behind');
    const read = await cache.read(KEY, 3600);
    assert.equal(read?.secretAccessKey, 'cache-secret-access-key');
    assert.equal(read?.expiration.toISOString(), '2026-01-01T01:00:00.000Z');
  });

  it('reuses an entry until refreshSeconds before expiry, then reports it stale (kept for the rewrite)', async () => {
    const { cache, deps, lines, entry } = setup();
    await cache.prepare();
    await cache.write(KEY, credentials(301, deps.now()));
    assert.ok(await cache.read(KEY, 3600));
    assert.match(lines.at(-1) ?? '', /^cache: hit, expires in 301 s$/);
    await cache.write(KEY, credentials(300, deps.now()));
    assert.equal(await cache.read(KEY, 3600), undefined);
    assert.match(lines.at(-1) ?? '', /^cache: entry expires in 300 s; refreshing$/);
    await cache.write(KEY, credentials(-60, deps.now()));
    assert.equal(await cache.read(KEY, 3600), undefined, 'an expired entry is never served');
    assert.ok(existsSync(entry));
  });

  it('refuses an entry that outlives the requested duration (a poisoned or planted expiry) and removes it', async () => {
    const { cache, deps, lines, entry } = setup();
    await cache.prepare();
    await cache.write(KEY, credentials(3601, deps.now()));
    assert.equal(await cache.read(KEY, 3600), undefined);
    assert.match(lines.at(-1) ?? '', /^cache: entry outlives the requested duration; ignored$/);
    assert.ok(!existsSync(entry));
    await cache.write(KEY, credentials(2_000_000_000, deps.now()));
    assert.equal(await cache.read(KEY, 43_200), undefined, 'a 2099 expiry is never served');
  });

  const corrupt: [string, string][] = [
    ['not JSON', '{"version":1,"credentials":'],
    ['a missing field', JSON.stringify({ version: 1, credentials: { accessKeyId: 'A', secretAccessKey: 'S' } })],
    [
      'a bad date',
      JSON.stringify({
        version: 1,
        credentials: { accessKeyId: 'A', secretAccessKey: 'S', sessionToken: 'T', expiration: 'soon' },
      }),
    ],
    ['another version', JSON.stringify({ version: 2, credentials: {} })],
    ['empty', ''],
  ];
  for (const [name, text] of corrupt) {
    it(`ignores and removes a corrupt entry: ${name}`, async () => {
      const { cache, dir, lines, entry } = setup();
      await cache.prepare();
      writeFileSync(entry, text, { mode: 0o600 });
      assert.equal(await cache.read(KEY, 3600), undefined);
      assert.ok(lines.includes('cache: entry corrupt; ignored'), lines.join('\n'));
      assert.deepEqual(readdirSync(dir), []);
    });
  }

  (posix ? it : it.skip)('ignores and removes an entry readable by group or others', async () => {
    for (const mode of [0o640, 0o604, 0o666]) {
      const { cache, deps, lines, entry } = setup();
      await cache.prepare();
      await cache.write(KEY, credentials(3600, deps.now()));
      chmodSync(entry, mode);
      assert.equal(await cache.read(KEY, 3600), undefined, mode.toString(8));
      assert.ok(lines.includes('cache: entry readable by others; ignored'));
      assert.equal(existsSync(entry), false);
    }
  });

  (posix ? it : it.skip)('ignores an entry owned by another user (simulated by the injected uid)', async () => {
    const writer = setup();
    await writer.cache.prepare();
    await writer.cache.write(KEY, credentials(3600, writer.deps.now()));
    const other = new CredentialCache(
      { dir: writer.dir, refreshSeconds: 300, lockTimeoutMs: 1_000 },
      { ...writer.deps, uid: (myUid ?? 0) + 1 },
    );
    assert.equal(await other.read(KEY, 3600), undefined);
    assert.ok(writer.lines.includes('cache: entry owned by another user; ignored'));
    assert.equal(existsSync(writer.entry), false);
  });

  (posix ? it : it.skip)(
    'disables itself in a directory owned by another user, tightens one open to others',
    async () => {
      const { dir, deps, lines } = setup();
      mkdirSync(dir, { recursive: true, mode: 0o755 });
      chmodSync(dir, 0o755);
      const foreign = new CredentialCache(
        { dir, refreshSeconds: 300, lockTimeoutMs: 1_000 },
        { ...deps, uid: (myUid ?? 0) + 1 },
      );
      assert.equal(await foreign.prepare(), false);
      assert.match(lines.at(-1) ?? '', /belongs to another user; cache disabled$/);
      const mine = new CredentialCache({ dir, refreshSeconds: 300, lockTimeoutMs: 1_000 }, deps);
      assert.equal(await mine.prepare(), true);
      assert.equal(statSync(dir).mode & 0o777, 0o700);
      assert.equal(lines.at(-1), 'cache: directory was open to others; made it 0700');
    },
  );

  it('runs uncached when the directory cannot be created, and when an entry cannot be written', async () => {
    const base = testDir();
    writeFileSync(join(base, 'file'), 'x');
    const { deps, lines } = setup();
    const blocked = new CredentialCache(
      { dir: join(base, 'file', 'cache'), refreshSeconds: 300, lockTimeoutMs: 1_000 },
      deps,
    );
    assert.equal(await blocked.prepare(), false);
    assert.match(lines.at(-1) ?? '', /^cache: cannot create .* \(ENOTDIR\); cache disabled$/);
    const gone = new CredentialCache({ dir: join(base, 'missing'), refreshSeconds: 300, lockTimeoutMs: 1_000 }, deps);
    await gone.write(KEY, credentials(3600, deps.now()));
    assert.match(lines.at(-1) ?? '', /^cache: could not store the entry \(ENOENT\)$/);
  });

  (posix ? it : it.skip)('never follows a symlink planted as an entry, and replaces it on write', async () => {
    const { cache, deps, lines, entry } = setup();
    await cache.prepare();
    const target = join(testDir(), 'target.json');
    writeFileSync(target, 'do not touch', { mode: 0o600 });
    symlinkSync(target, entry);
    assert.equal(await cache.read(KEY, 3600), undefined);
    assert.equal(lines.at(-1), 'cache: entry unusable (ELOOP); ignored');
    await cache.write(KEY, credentials(3600, deps.now()));
    assert.equal(readFileSync(target, 'utf8'), 'do not touch');
    assert.ok(await cache.read(KEY, 3600));
  });

  it('lock: exclusive, released on release, and a second taker waits', async () => {
    const { cache, lock, lines, sleeps } = setup({}, 60_000);
    await cache.prepare();
    const release = await cache.lock(KEY);
    assert.match(readFileSync(lock, 'utf8'), new RegExp(`^${process.pid} 2026-01-01T00:00:00.000Z$`));
    if (posix) assert.equal(statSync(lock).mode & 0o777, 0o600);
    let acquired = false;
    // The fake sleep advances the clock only; release once the waiter has polled a few times.
    const second = cache.lock(KEY).then((r) => {
      acquired = true;
      return r;
    });
    while (sleeps.length < 3) await new Promise((resolve) => setImmediate(resolve));
    assert.equal(acquired, false);
    assert.ok(lines.includes('cache: another iamra is fetching these credentials; waiting'));
    await release();
    const releaseSecond = await second;
    assert.equal(acquired, true);
    await releaseSecond();
    assert.equal(existsSync(lock), false);
  });

  it('lock: gives up waiting after the timeout and goes ahead without it', async () => {
    const { cache, lock, lines, sleeps } = setup({}, 1_000);
    await cache.prepare();
    // A live holder whose lock is fresh (its mtime is now, in real time).
    writeFileSync(lock, `${process.pid} 2026-01-01T00:00:00.000Z`, { mode: 0o600 });
    const release = await cache.lock(KEY);
    assert.equal(lines.at(-1), 'cache: lock wait timed out; going ahead without it');
    assert.ok(sleeps.reduce((a, b) => a + b, 0) > 1_000);
    await release();
    assert.ok(existsSync(lock), "the other holder's lock is left alone");
  });

  it('lock: breaks a lock whose holder died', async () => {
    const { cache, lock, lines, sleeps } = setup({ isProcessAlive: (pid) => pid !== 424242 }, 60_000);
    await cache.prepare();
    writeFileSync(lock, '424242 2026-01-01T00:00:00.000Z', { mode: 0o600 });
    const release = await cache.lock(KEY);
    assert.ok(lines.includes('cache: breaking a stale lock (424242 2026-01-01T00:00:00.000Z)'));
    assert.deepEqual(sleeps, []);
    assert.match(readFileSync(lock, 'utf8'), new RegExp(`^${process.pid} `));
    await release();
  });

  it('lock: breaks a lock older than the timeout even if its pid looks alive', async () => {
    const { cache, lock, lines, deps } = setup({}, 5_000);
    await cache.prepare();
    writeFileSync(lock, '1 2026-01-01T00:00:00.000Z', { mode: 0o600 });
    // The fake clock is 2026-01-01; make the lock's mtime ten seconds older than that.
    const old = (deps.now().getTime() - 10_000) / 1000;
    utimesSync(lock, old, old);
    const release = await cache.lock(KEY);
    assert.ok(lines.some((line) => line.startsWith('cache: breaking a stale lock')));
    await release();
  });

  it('defaultCacheDir: XDG_CACHE_HOME, ~/.cache, LOCALAPPDATA', () => {
    assert.equal(defaultCacheDir({ XDG_CACHE_HOME: '/x/cache' }, 'linux'), join('/x/cache', 'iamra'));
    assert.match(defaultCacheDir({}, 'linux'), /[/\\]\.cache[/\\]iamra$/);
    assert.equal(
      defaultCacheDir({ LOCALAPPDATA: 'C:\\Users\\u\\AppData\\Local' }, 'win32'),
      'C:\\Users\\u\\AppData\\Local\\iamra\\cache',
    );
  });
});
