/** Every way the CLI takes input (flags, env, stdin, files) and its refusals, with exact lines and exit codes. */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type RunningEmulator, startEmulator } from '@iamra/emulator';
import { runCli } from '../../../test/support/cli-run.js';
import { emulatorFlags } from '../../../test/support/emulator-process.js';
import { convertKey, leafFlags, makePkcs12, makePki, testDir } from '../../../test/support/pki.js';
import { main, VERSION } from '../src/index.js';

describe('CLI flags and inputs', function () {
  this.timeout(60_000);
  const pki = makePki({ subjectPrefix: 'flags' });
  // Inputs the failure table names, made before the table is built.
  const inputs = testDir();
  const encryptedKey = join(inputs, 'encrypted.key');
  writeFileSync(encryptedKey, convertKey(pki.rsaLeaf.key, ['-aes256'], 'right'));
  const pkcs12File = join(inputs, 'bundle.p12');
  writeFileSync(pkcs12File, makePkcs12(pki.rsaLeaf, { password: 'right', extraCerts: [pki.intermediate] }));
  let emulator: RunningEmulator;
  let dir: string;

  before(async () => {
    emulator = await startEmulator({ cas: [pki.root.certPem], lifetimeMs: 55_000 });
    dir = testDir();
  });
  after(() => emulator.stop());

  const arnFlags = () => [...emulatorFlags(emulator)];
  const env = () => ({ IAMRA_CACHE_DIR: join(dir, 'cache') });
  const cp = (args: string[], extraEnv: Record<string, string> = {}, stdin?: string) =>
    runCli(main, ['credential-process', ...args, ...arnFlags(), '--no-cache'], { ...env(), ...extraEnv }, stdin);

  function expectOk(result: { exitCode: number; stdout: string; stderr: string }) {
    assert.equal(result.exitCode, 0, result.stderr);
    const output = JSON.parse(result.stdout) as Record<string, unknown>;
    assert.deepEqual(Object.keys(output), ['Version', 'AccessKeyId', 'SecretAccessKey', 'SessionToken', 'Expiration']);
    assert.equal(output.Version, 1);
  }

  it('files, both --flag value and --flag=value', async () => {
    expectOk(
      await cp([
        `--certificate=${pki.rsaLeaf.certPath}`,
        '--private-key',
        pki.rsaLeaf.keyPath,
        '--intermediates',
        pki.intermediate.certPath,
      ]),
    );
  });

  it('PEM text from IAMRA_CERTIFICATE, IAMRA_PRIVATE_KEY and IAMRA_INTERMEDIATES', async () => {
    expectOk(
      await cp([], {
        IAMRA_CERTIFICATE: pki.ecLeaf.certPem,
        IAMRA_PRIVATE_KEY: pki.ecLeaf.keyPem,
        IAMRA_INTERMEDIATES: pki.intermediate.certPem,
      }),
    );
  });

  it('the private key from stdin', async () => {
    expectOk(
      await cp(
        ['--certificate', pki.ecLeaf.certPath, '--private-key', '-', '--intermediates', pki.intermediate.certPath],
        {},
        pki.ecLeaf.keyPem,
      ),
    );
  });

  it('passphrase from IAMRA_PRIVATE_KEY_PASSPHRASE and from --private-key-passphrase-file', async () => {
    const key = join(dir, 'enc.key');
    writeFileSync(key, convertKey(pki.rsaLeaf.key, ['-aes256'], 'pass'));
    const base = [
      '--certificate',
      pki.rsaLeaf.certPath,
      '--private-key',
      key,
      '--intermediates',
      pki.intermediate.certPath,
    ];
    expectOk(await cp(base, { IAMRA_PRIVATE_KEY_PASSPHRASE: 'pass' }));
    const file = join(dir, 'pass.txt');
    writeFileSync(file, 'pass\n');
    expectOk(await cp([...base, '--private-key-passphrase-file', file]));
  });

  it('PKCS#12 with a password from IAMRA_PKCS12_PASSWORD and from --pkcs12-password-file', async () => {
    const p12 = join(dir, 'bundle.p12');
    writeFileSync(p12, makePkcs12(pki.ecLeaf, { password: 'p12', extraCerts: [pki.intermediate] }));
    expectOk(await cp(['--pkcs12', p12], { IAMRA_PKCS12_PASSWORD: 'p12' }));
    const file = join(dir, 'p12.txt');
    writeFileSync(file, 'p12');
    expectOk(await cp(['--pkcs12', p12, '--pkcs12-password-file', file]));
  });

  it('accepts --with-proxy, --no-proxy, --region, --session-duration, --role-session-name, --arns-in body, --debug', async () => {
    const result = await cp([
      ...leafFlags(pki.rsaLeaf, pki.intermediate),
      '--with-proxy',
      '--no-proxy',
      '--region',
      'us-east-1',
      '--session-duration',
      '900',
      '--role-session-name',
      'ci-job@1',
      '--arns-in',
      'body',
      '--debug',
    ]);
    expectOk(result);
    assert.match(result.stderr, /iamra debug: canonical request:\nPOST\n\/sessions\n\n/);
    const secret = (JSON.parse(result.stdout) as { SecretAccessKey: string }).SecretAccessKey;
    assert.ok(!result.stderr.includes(secret), result.stderr);
    // Line 12 is private (the first lines of an RSA key hold the public modulus, as the certificate does).
    const keyLine = pki.rsaLeaf.keyPem.split('\n')[12] ?? 'x';
    assert.ok(!result.stderr.includes(keyLine));
  });

  it('honours HTTP(S)_PROXY by default (unlike aws_signing_helper), NO_PROXY, --no-proxy-hosts and --no-proxy', async () => {
    const files = [...leafFlags(pki.ecLeaf, pki.intermediate), '--retry-max-attempts', '1'];
    // Nothing listens on port 9: a request sent through this proxy fails.
    const deadProxy = { HTTP_PROXY: 'http://127.0.0.1:9', HTTPS_PROXY: 'http://127.0.0.1:9' };
    const proxied = await cp(files, deadProxy);
    assert.equal(proxied.exitCode, 4);
    assert.match(
      proxied.stderr,
      /^iamra: NETWORK_ERROR: could not reach .*\(ECONNREFUSED\); check the endpoint, DNS, firewall and proxy settings \(gave up after 1 attempt\)\n$/,
    );
    expectOk(await cp([...files, '--no-proxy'], deadProxy));
    expectOk(await cp(files, { ...deadProxy, NO_PROXY: '127.0.0.1' }));
    // --no-proxy-hosts takes NO_PROXY's place (an Action profile's no-proxy input).
    expectOk(await cp([...files, '--no-proxy-hosts', 'localhost,127.0.0.1'], { ...deadProxy, NO_PROXY: 'x.invalid' }));
    assert.equal(
      (await cp([...files, '--no-proxy-hosts', 'x.invalid'], { ...deadProxy, NO_PROXY: '127.0.0.1' })).exitCode,
      4,
    );
  });

  /** In a failure case: leave this flag out. */
  const DROP = '<drop>';
  /** name, flags replacing the valid ones, extra env, exit code, the stderr line, argv appended as is. */
  const failures: [string, string[], Record<string, string>, number, RegExp, string[]?][] = [
    [
      'a missing --role-arn',
      ['--role-arn', ''],
      {},
      2,
      /^iamra: CONFIG_INVALID: --role-arn is required; see iamra credential-process --help$/,
    ],
    [
      'an unknown flag, with a suggestion',
      ['--trust-anchor', 'x'],
      {},
      2,
      /^iamra: CONFIG_INVALID: unknown flag --trust-anchor for credential-process \(did you mean --trust-anchor-arn\?\)/,
    ],
    [
      'a passphrase on argv',
      ['--private-key-passphrase', 'hunter2'],
      {},
      2,
      /^iamra: CONFIG_INVALID: --private-key-passphrase is not accepted because argv is visible to other processes; set IAMRA_PRIVATE_KEY_PASSPHRASE/,
    ],
    [
      'an unreadable file',
      ['--certificate', '/nonexistent/cert.pem'],
      {},
      2,
      /^iamra: FILE_UNREADABLE: cannot read certificate \/nonexistent\/cert.pem: no such file; check the path and its permissions$/,
    ],
    [
      'a malformed ARN',
      ['--profile-arn', 'arn:aws:rolesanywhere:us-east-1:123456789012:profile/nope'],
      {},
      2,
      /^iamra: ARN_INVALID: profile ARN must look like .*got id 'nope' \(expected a UUID\)$/,
    ],
    [
      'a bad --arns-in',
      ['--arns-in', 'header'],
      {},
      2,
      /^iamra: CONFIG_INVALID: --arns-in must be query or body; got 'header'$/,
    ],
    [
      'a bad --retry-max-attempts',
      ['--retry-max-attempts', '0'],
      {},
      2,
      /^iamra: CONFIG_INVALID: --retry-max-attempts must be a whole number from 1 to 20; got '0'$/,
    ],
    [
      'a flag without its value',
      ['--region'],
      {},
      2,
      /^iamra: CONFIG_INVALID: --region needs a value: --region REGION; see iamra credential-process --help$/,
    ],
    [
      'a value given to a switch',
      ['--debug=1'],
      {},
      2,
      /^iamra: CONFIG_INVALID: --debug is a switch: write --debug alone \(or --debug=true, --debug=false\)$/,
    ],
    [
      'a stray argument',
      ['stray'],
      {},
      2,
      /^iamra: CONFIG_INVALID: unexpected argument 'stray' for credential-process; see iamra credential-process --help$/,
    ],
    [
      'a PKCS#12 password on argv',
      ['--pkcs12-password', 'hunter2'],
      {},
      2,
      /^iamra: CONFIG_INVALID: --pkcs12-password is not accepted because argv is visible to other processes; set IAMRA_PKCS12_PASSWORD or use --pkcs12-password-file$/,
    ],
    [
      'an encrypted key without a passphrase',
      ['--private-key', encryptedKey],
      {},
      2,
      /^iamra: PASSPHRASE_REQUIRED: the private key is encrypted and no passphrase was given; .*IAMRA_PRIVATE_KEY_PASSPHRASE/,
    ],
    [
      'a wrong key passphrase',
      ['--private-key', encryptedKey],
      { IAMRA_PRIVATE_KEY_PASSPHRASE: 'hunter2' },
      2,
      /^iamra: PASSPHRASE_WRONG: the private key passphrase is wrong \(the key could not be decrypted\); check the passphrase secret/,
    ],
    [
      'a wrong PKCS#12 password',
      ['--certificate', DROP, '--private-key', DROP, '--pkcs12', pkcs12File],
      { IAMRA_PKCS12_PASSWORD: 'hunter2' },
      2,
      /^iamra: PKCS12_PASSWORD_WRONG: the PKCS#12 password is wrong \(its integrity check failed\); check the password secret/,
    ],
    [
      'an unreadable passphrase file',
      ['--private-key-passphrase-file', '/nonexistent/pass'],
      {},
      2,
      /^iamra: FILE_UNREADABLE: cannot read passphrase file \/nonexistent\/pass: no such file; check the path and its permissions$/,
    ],
    [
      'a key that does not match the certificate',
      ['--private-key', pki.ecLeaf.keyPath],
      {},
      2,
      /^iamra: KEY_CERT_MISMATCH: the private key does not match certificate "CN=flags rsa leaf,O=iamra"/,
    ],
    [
      'no certificate at all',
      ['--certificate', DROP],
      {},
      2,
      /^iamra: CONFIG_INVALID: give --certificate FILE \(or IAMRA_CERTIFICATE\) or --pkcs12 FILE$/,
    ],
    [
      'no private key at all',
      ['--private-key', DROP],
      {},
      2,
      /^iamra: CONFIG_INVALID: give --private-key FILE \(or IAMRA_PRIVATE_KEY\) or --pkcs12 FILE$/,
    ],
    [
      'a session duration out of range',
      ['--session-duration', '5'],
      {},
      2,
      /^iamra: DURATION_INVALID: session duration must be a whole number of seconds from 900 to 43200 .*; got 5$/,
    ],
    [
      'a bad role session name',
      ['--role-session-name', 'a b'],
      {},
      2,
      /^iamra: SESSION_NAME_INVALID: role session name must be 2 to 64 characters .*; got 'a b'$/,
    ],
    [
      'a bad region',
      ['--region', 'mars'],
      {},
      2,
      /^iamra: REGION_INVALID: region 'mars' is not a valid region of partition 'aws'; /,
    ],
    ['a malformed role ARN', ['--role-arn', 'role/ci'], {}, 2, /^iamra: ARN_INVALID: role ARN /],
    [
      'a bad --cache-refresh-seconds',
      ['--cache-refresh-seconds', 'soon'],
      {},
      2,
      /^iamra: CONFIG_INVALID: --cache-refresh-seconds must be a whole number from 0 to 43200; got 'soon'$/,
    ],
    [
      'a flag given twice',
      [],
      {},
      2,
      /^iamra: CONFIG_INVALID: --session-duration was given twice; give it once$/,
      ['--session-duration', '900', '--session-duration', '1800'],
    ],
    [
      'two stdin inputs',
      ['--certificate', '-', '--private-key', '-'],
      {},
      2,
      /^iamra: CONFIG_INVALID: only one of --certificate and --private-key can read stdin$/,
    ],
  ];
  for (const [name, args, extraEnv, exitCode, line, raw = []] of failures) {
    it(`refuses ${name}`, async () => {
      // The case's flags replace the valid ones of the same name.
      const flags = new Map<string, string | undefined>([
        ['--certificate', pki.rsaLeaf.certPath],
        ['--private-key', pki.rsaLeaf.keyPath],
      ]);
      const valid = arnFlags();
      for (let i = 0; i < valid.length; i += 2) flags.set(valid[i] ?? '', valid[i + 1]);
      for (let i = 0; i < args.length; i += 1) {
        const name = args[i] ?? '';
        const value = args[i + 1] !== undefined && !args[i + 1]?.startsWith('--') ? args[i + 1] : undefined;
        flags.set(name, value);
        if (value !== undefined) i += 1;
      }
      const argv = [...flags]
        .filter(([, value]) => value !== DROP)
        .flatMap(([name, value]) => (value === undefined ? [name] : [name, value]));
      argv.push(...raw);
      const result = await runCli(main, ['credential-process', ...argv], { ...env(), ...extraEnv }, '');
      assert.equal(result.exitCode, exitCode, result.stderr);
      assert.equal(result.stdout, '');
      assert.match(result.stderr.trimEnd(), line);
      assert.equal(result.stderr.trimEnd().split('\n').length, 1);
      assert.ok(!result.stderr.includes('hunter2'));
    });
  }

  it('--help for every command, iamra --help, --version, an unknown command', async () => {
    for (const command of ['credential-process', 'update', 'serve', 'read-certificate-data', 'sign-string']) {
      const result = await runCli(main, [command, '--help']);
      assert.equal(result.exitCode, 0);
      assert.match(result.stdout, new RegExp(`^Usage: iamra ${command}`));
    }
    assert.match((await runCli(main, ['--help'])).stdout, /Exit codes: 0 ok, 1 internal error, 2 bad input/);
    assert.equal((await runCli(main, ['--version'])).stdout, `${VERSION}\n`);
    const unknown = await runCli(main, ['credentials']);
    assert.equal(unknown.exitCode, 2);
    assert.match(unknown.stderr, /^iamra: CONFIG_INVALID: unknown command 'credentials'; see iamra --help\n$/);
  });

  it('VERSION matches package.json', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    assert.equal(VERSION, pkg.version);
  });

  it('read-certificate-data shows serials, chain and warnings', async () => {
    const result = await runCli(main, [
      'read-certificate-data',
      ...leafFlags(pki.rsaLeaf, pki.intermediate),
      '--report',
      'json',
    ]);
    assert.equal(result.exitCode, 0, result.stderr);
    const report = JSON.parse(result.stdout) as Record<string, unknown>;
    assert.equal(report.keyType, 'RSA 2048');
    assert.equal(report.serialDecimal, BigInt(`0x${pki.rsaLeaf.serialHex}`).toString());
    assert.equal((report.path as unknown[]).length, 1);
    const human = await runCli(main, [
      'read-certificate-data',
      '--certificate',
      pki.rsaLeaf.certPath,
      '--report',
      'text',
    ]);
    assert.match(human.stdout, /^subject: CN=flags rsa leaf,O=iamra$/m);
  });

  it('the emulator command prints its help', async () => {
    const result = await runCli(main, ['emulator', '--help']);
    assert.equal(result.exitCode, 0);
    assert.match(result.stdout, /^Usage: iamra emulator/);
  });
});
