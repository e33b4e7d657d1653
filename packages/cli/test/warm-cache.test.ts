/**
 * The warm-cache path of credential-process: on a valid entry it returns exactly what the full
 * path prints; on anything else it returns "miss" without a word, and the full command then
 * behaves as it always did.
 */
import assert from 'node:assert/strict';
import {
  chmodSync,
  chownSync,
  copyFileSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { type RunningEmulator, startEmulator } from '@iamra/emulator';
import { type CliResult, runCli } from '../../../test/support/cli-run.js';
import { emulatorFlags } from '../../../test/support/emulator-process.js';
import { leafFlags, makePkcs12, makePki, testDir } from '../../../test/support/pki.js';
import { currentUid } from '../src/cache/open.js';
import { main } from '../src/index.js';
import {
  attemptWarmCredentialProcess,
  MISS,
  type WarmDeps,
  warmCredentialProcess,
} from '../src/warm-cache/warm-credential-process.js';

const posix = process.platform !== 'win32';

describe('credential-process from a warm cache', function () {
  this.timeout(60_000);
  const pki = makePki({ subjectPrefix: 'warm' });
  let emulator: RunningEmulator;

  before(async () => {
    // One hour of credentials: far from the 300 s refresh margin.
    emulator = await startEmulator({ cas: [pki.root.certPem] });
  });
  after(() => emulator.stop());

  const files = () => [...leafFlags(pki.ecLeaf, pki.intermediate)];
  const argv = (args: string[]) => ['credential-process', ...args, ...emulatorFlags(emulator)];
  const sessions = () => emulator.stats().createSession;
  const ioFor = (env: NodeJS.ProcessEnv) => ({ stdout: { write: () => true }, stderr: { write: () => true }, env });
  const full = (args: string[], env: Record<string, string>, stdin?: string) => runCli(main, argv(args), env, stdin);

  /** The warm path with the environment runCli gives the full path; it must not write anything. */
  async function warm(args: string[], env: Record<string, string>, deps?: WarmDeps, raw = argv(args)) {
    const written: string[] = [];
    const streams = [process.stdout, process.stderr] as const;
    const originals = streams.map((stream) => stream.write);
    for (const stream of streams) {
      stream.write = ((chunk: string) => written.push(String(chunk)) > 0) as typeof stream.write;
    }
    try {
      return await warmCredentialProcess(raw, { PATH: process.env.PATH ?? '', ...env }, deps);
    } finally {
      streams.forEach((stream, i) => {
        stream.write = originals[i] as typeof stream.write;
      });
      assert.deepEqual(written, [], 'the warm path printed something');
    }
  }

  /** A fresh cache directory holding one valid entry, filled by the full path. */
  async function primed(args = files(), extraEnv: Record<string, string> = {}) {
    const env = { IAMRA_CACHE_DIR: join(testDir(), 'cache'), ...extraEnv };
    const first = await full(args, env);
    assert.equal(first.exitCode, 0, first.stderr);
    const [name] = readdirSync(env.IAMRA_CACHE_DIR);
    return { env, entry: join(env.IAMRA_CACHE_DIR, name ?? ''), stdout: first.stdout };
  }

  function expectCredentials(result: CliResult, stdout?: string) {
    assert.equal(result.exitCode, 0, result.stderr);
    assert.equal(result.stderr, '');
    const keys = Object.keys(JSON.parse(result.stdout) as Record<string, unknown>);
    assert.deepEqual(keys, ['Version', 'AccessKeyId', 'SecretAccessKey', 'SessionToken', 'Expiration']);
    if (stdout !== undefined) assert.equal(result.stdout, stdout);
  }

  it('returns exactly what the full path prints, for a PEM file, a DER file and PEM in IAMRA_CERTIFICATE', async () => {
    const der = join(testDir(), 'leaf.der');
    writeFileSync(der, pki.ecLeaf.certDer);
    const chain = pki.intermediate.certPath;
    const inputs: [string, string[], Record<string, string>][] = [
      ['PEM file', files(), {}],
      ['DER file', ['--certificate', der, '--private-key', pki.ecLeaf.keyPath, '--intermediates', chain], {}],
      [
        'PEM in env',
        [],
        {
          IAMRA_CERTIFICATE: pki.ecLeaf.certPem,
          IAMRA_PRIVATE_KEY: pki.ecLeaf.keyPem,
          IAMRA_INTERMEDIATES: pki.intermediate.certPem,
        },
      ],
    ];
    for (const [name, args, extraEnv] of inputs) {
      const { env, stdout } = await primed(args, extraEnv);
      const before = sessions();
      assert.equal(await warm(args, env), stdout, name);
      expectCredentials(await full(args, env), stdout);
      assert.equal(sessions(), before, `${name}: served from the cache`);
    }
  });

  it('misses when there is no entry; the full path fetches and stores one', async () => {
    const env = { IAMRA_CACHE_DIR: join(testDir(), 'cache') };
    assert.equal(await warm(files(), env), MISS);
    const before = sessions();
    expectCredentials(await full(files(), env));
    assert.equal(sessions() - before, 1);
    assert.equal(readdirSync(env.IAMRA_CACHE_DIR).length, 1);
  });

  it('hands a miss its loaded config; the full path then uses it without reading the files again', async () => {
    const dir = testDir();
    const copies = [pki.ecLeaf.certPath, pki.ecLeaf.keyPath, pki.intermediate.certPath].map((path, i) => {
      const copy = join(dir, `input-${i}.pem`);
      copyFileSync(path, copy);
      return copy;
    });
    const [certificate = '', privateKey = '', chain = ''] = copies;
    const args = ['--certificate', certificate, '--private-key', privateKey, '--intermediates', chain];
    const env = { PATH: process.env.PATH ?? '', IAMRA_CACHE_DIR: join(dir, 'cache') };
    const attempt = await attemptWarmCredentialProcess(argv(args), env);
    assert.equal(attempt.output, undefined);
    const config = attempt.output === undefined ? attempt.config : undefined;
    assert.ok(config, 'a miss after loading the config carries it');
    for (const copy of copies) rmSync(copy);
    // The files are gone: only the handed-over config can sign this request and key its entry.
    const result = await main(argv(args), { ...ioFor(env), credentialConfig: config });
    assert.equal(result, 0);
    assert.equal(readdirSync(env.IAMRA_CACHE_DIR).length, 1);
    // The same contents elsewhere are the same identity: the entry was stored under the right key.
    assert.match(await warm(files(), { IAMRA_CACHE_DIR: env.IAMRA_CACHE_DIR }), /^\{"Version":1,/);
    const refused = await attemptWarmCredentialProcess(argv([...args, '--bogus']), env);
    assert.deepEqual(refused, { output: undefined, config: undefined }, 'no config when the flags are refused');
  });

  it('misses on an entry within the refresh margin (by clock or by setting); the full path refreshes', async () => {
    const { env } = await primed();
    const later = { now: () => new Date(Date.now() + 3_500_000), uid: currentUid() };
    assert.equal(await warm(files(), env, later), MISS);
    const margin = { ...env, IAMRA_CACHE_REFRESH_SECONDS: '7200' };
    assert.equal(await warm(files(), margin), MISS);
    assert.equal(await warm([...files(), '--cache-refresh-seconds', '7200'], env), MISS);
    const before = sessions();
    expectCredentials(await full(files(), margin));
    assert.equal(sessions() - before, 1);
  });

  (posix ? it : it.skip)('misses on an entry readable by others; the full path replaces it', async () => {
    const { env, entry } = await primed();
    chmodSync(entry, 0o644);
    assert.equal(await warm(files(), env), MISS);
    const before = sessions();
    const result = await full(files(), env);
    expectCredentials(result);
    assert.equal(sessions() - before, 1);
    assert.equal(await warm(files(), env), result.stdout, 'the replacement is served');
  });

  (posix ? it : it.skip)('misses when the cache belongs to another user (injected uid, or chown as root)', async () => {
    const { env, entry, stdout } = await primed();
    const other = { now: () => new Date(), uid: (currentUid() ?? 0) + 1 };
    assert.equal(await warm(files(), env, other), MISS);
    assert.equal(await warm(files(), env), stdout, 'still served to its owner');
    if (currentUid() !== 0) return;
    // Only root can give the entry itself away; the directory stays ours.
    chownSync(entry, 4242, 4242);
    assert.equal(await warm(files(), env), MISS);
    const before = sessions();
    expectCredentials(await full(files(), env));
    assert.equal(sessions() - before, 1);
  });

  (posix ? it : it.skip)('misses on a symlink planted as the entry; the full path never follows it', async () => {
    const { env, entry } = await primed();
    const target = join(testDir(), 'target.json');
    renameSync(entry, target);
    symlinkSync(target, entry);
    const planted = readFileSync(target, 'utf8');
    assert.equal(await warm(files(), env), MISS);
    const before = sessions();
    expectCredentials(await full(files(), env));
    assert.equal(sessions() - before, 1);
    assert.equal(readFileSync(target, 'utf8'), planted);
  });

  it('misses on a corrupt entry; the full path replaces it', async () => {
    const { env, entry } = await primed();
    writeFileSync(entry, '{"version":1', { mode: 0o600 });
    assert.equal(await warm(files(), env), MISS);
    const before = sessions();
    expectCredentials(await full(files(), env));
    assert.equal(sessions() - before, 1);
  });

  it('leaves stdin, PKCS#12, --no-cache, --debug and --help to the full path', async () => {
    const { env, stdout } = await primed();
    const stdinCert = [
      '--certificate',
      '-',
      '--private-key',
      pki.ecLeaf.keyPath,
      '--intermediates',
      pki.intermediate.certPath,
    ];
    assert.equal(await warm(stdinCert, env), MISS);
    expectCredentials(await full(stdinCert, env, pki.ecLeaf.certPem), stdout);

    const p12 = join(testDir(), 'bundle.p12');
    writeFileSync(p12, makePkcs12(pki.ecLeaf, { password: 'p12', extraCerts: [pki.intermediate] }));
    const p12Env = { ...env, IAMRA_PKCS12_PASSWORD: 'p12' };
    assert.equal(await warm(['--pkcs12', p12], p12Env), MISS);
    expectCredentials(await full(['--pkcs12', p12], p12Env));

    assert.equal(await warm([...files(), '--no-cache'], env), MISS);
    const before = sessions();
    expectCredentials(await full([...files(), '--no-cache'], env));
    assert.equal(sessions() - before, 1);

    assert.equal(await warm([...files(), '--debug'], env), MISS);
    const debug = await full([...files(), '--debug'], env);
    assert.equal(debug.stdout, stdout);
    assert.match(debug.stderr, /^iamra debug: cache: hit, expires in \d+ s$/m);

    assert.equal(await warm([...files(), '--help'], env), MISS);
    assert.match((await full([...files(), '--help'], env)).stdout, /^Usage: iamra credential-process/);
  });

  it('misses on flags and inputs the full path refuses, which then fails exactly as before', async () => {
    const { env } = await primed();
    const refused: [string, string[], number, RegExp][] = [
      [
        'an unknown flag',
        [...files(), '--bogus'],
        2,
        /^iamra: CONFIG_INVALID: unknown flag --bogus for credential-process/,
      ],
      [
        'a passphrase on argv',
        [...files(), '--private-key-passphrase', 'hunter2'],
        2,
        /^iamra: CONFIG_INVALID: --private-key-passphrase is not accepted because argv is visible/,
      ],
      [
        'a PKCS#12 password on argv',
        [...files(), '--pkcs12-password=hunter2'],
        2,
        /^iamra: CONFIG_INVALID: --pkcs12-password is not accepted because argv is visible/,
      ],
      [
        'an unreadable private key',
        ['--certificate', pki.ecLeaf.certPath, '--private-key', join(testDir(), 'missing.key')],
        2,
        /^iamra: FILE_UNREADABLE: cannot read private key /,
      ],
      ['a bad duration', [...files(), '--session-duration', '5'], 2, /^iamra: DURATION_INVALID: /],
    ];
    for (const [name, args, exitCode, line] of refused) {
      assert.equal(await warm(args, env), MISS, name);
      const result = await full(args, env);
      assert.equal(result.exitCode, exitCode, `${name}: ${result.stderr}`);
      assert.equal(result.stdout, '');
      assert.match(result.stderr, line);
    }
    // A missing required flag: the same flags as the entry's, without --role-arn.
    const withoutRole = argv(files()).filter((arg, i, all) => arg !== '--role-arn' && all[i - 1] !== '--role-arn');
    assert.equal(await warm([], env, undefined, withoutRole), MISS);
    const result = await runCli(main, withoutRole, env);
    assert.equal(result.exitCode, 2);
    assert.match(result.stderr, /^iamra: CONFIG_INVALID: --role-arn is required/);
    // Other commands, and no command at all, are never the warm path's.
    assert.equal(await warm([], env, undefined, ['update', ...files()]), MISS);
    assert.equal(await warm([], env, undefined, []), MISS);
  });
});
