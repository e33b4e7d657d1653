/** Every way the CLI takes input (flags, env, stdin, files) and its refusals, with exact lines and exit codes. */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type RunningEmulator, startEmulator } from '@iamra/emulator';
import { runCli } from '../../../test/support/cli-run.js';
import { emulatorFlags } from '../../../test/support/emulator-process.js';
import { convertKey, makePkcs12, makePki, testDir } from '../../../test/support/pki.js';
import { main, VERSION } from '../src/index.js';

describe('CLI flags and inputs', function () {
  this.timeout(60_000);
  const pki = makePki({ subjectPrefix: 'flags' });
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
      '--certificate',
      pki.rsaLeaf.certPath,
      '--private-key',
      pki.rsaLeaf.keyPath,
      '--intermediates',
      pki.intermediate.certPath,
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

  const failures: [string, string[], Record<string, string>, number, RegExp][] = [
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
    ['a flag without its value', ['--region'], {}, 2, /^iamra: CONFIG_INVALID: --region needs a value \(REGION\)$/],
    [
      'two stdin inputs',
      ['--certificate', '-', '--private-key', '-'],
      {},
      2,
      /^iamra: CONFIG_INVALID: only one of --certificate and --private-key can read stdin$/,
    ],
  ];
  for (const [name, args, extraEnv, exitCode, line] of failures) {
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
      const argv = [...flags].flatMap(([name, value]) => (value === undefined ? [name] : [name, value]));
      const result = await runCli(main, ['credential-process', ...argv], { ...env(), ...extraEnv }, '');
      assert.equal(result.exitCode, exitCode, result.stderr);
      assert.equal(result.stdout, '');
      assert.match(result.stderr.trimEnd(), line);
      assert.equal(result.stderr.trimEnd().split('\n').length, 1);
      assert.ok(!result.stderr.includes('hunter2'));
    });
  }

  it('--help for every command, iamra --help, --version, an unknown command', async () => {
    for (const command of ['credential-process', 'update', 'serve', 'read-certificate-data']) {
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
      '--certificate',
      pki.rsaLeaf.certPath,
      '--private-key',
      pki.rsaLeaf.keyPath,
      '--intermediates',
      pki.intermediate.certPath,
      '--json',
    ]);
    assert.equal(result.exitCode, 0, result.stderr);
    const report = JSON.parse(result.stdout) as Record<string, unknown>;
    assert.equal(report.keyType, 'RSA 2048');
    assert.equal(report.serialDecimal, BigInt(`0x${pki.rsaLeaf.serialHex}`).toString());
    assert.equal((report.chain as unknown[]).length, 1);
    const human = await runCli(main, ['read-certificate-data', '--certificate', pki.rsaLeaf.certPath]);
    assert.match(human.stdout, /^subject: CN=flags rsa leaf,O=iamra$/m);
  });

  it('the emulator command prints its help', async () => {
    const result = await runCli(main, ['emulator', '--help']);
    assert.equal(result.exitCode, 0);
    assert.match(result.stdout, /^Usage: iamra emulator/);
  });
});
