/**
 * The CLI with keys in a TPM 2.0, as the Go helper takes them: --private-key FILE (TSS2 PRIVATE
 * KEY) or handle:0x81…, --tpm-key-password / IAMRA_TPM_KEY_PASSWORD, --no-tpm-key-password.
 * A real software TPM (swtpm) on a UNIX socket that aws_signing_helper v1.4.0 opens too
 * (TPM_DEVICE); the emulator accepts what each signs; no output holds the password.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { verify, X509Certificate } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type RunningEmulator, startEmulator } from '@iamra/emulator';
import { main } from '../../packages/cli/src/index.js';
import { runCli } from '../support/cli-run.js';
import { emulatorFlags } from '../support/emulator-process.js';
import { peers } from '../support/peers.js';
import { testDir } from '../support/pki.js';
import { withProcessEnv } from '../support/process-env.js';
import { startServeProcess } from '../support/serve-process.js';
import { type RunningSwtpm, startSwtpm } from '../support/swtpm.js';
import { makeTpmKeys, TPM_KEY_PASSWORD, type TpmKeys, type TpmTestKey } from '../support/tpm-keys.js';

const run = promisify(execFile);
/** Error lines (warnings such as CERT_EXPIRES_SOON may precede them). */
const errorLines = (stderr: string) => stderr.split('\n').filter((line) => /^iamra: [A-Z0-9_]+: /.test(line)).length;

describe('CLI with keys in a TPM 2.0 (swtpm)', function () {
  this.timeout(180_000);
  let tpm: RunningSwtpm;
  let keys: TpmKeys;
  let emulator: RunningEmulator;
  let tpmEnv: Record<string, string>;
  const outputs: string[] = [];

  before(async () => {
    const stateDir = join(testDir(), 'swtpm-state');
    mkdirSync(stateDir);
    const provisioning = await startSwtpm({ stateDir, startupClear: true });
    try {
      keys = await makeTpmKeys(provisioning, testDir());
    } finally {
      await provisioning.stop();
    }
    // The same TPM (its state) on a UNIX socket: what go-tpm, and so the Go helper, can open.
    tpm = await startSwtpm({ stateDir, startupClear: true, unixSocket: true });
    tpmEnv = { TPM_DEVICE: tpm.socketPath ?? '' };
    emulator = await startEmulator({ cas: [keys.pki.root.certPem] });
  });
  after(async () => {
    await emulator?.stop();
    await tpm?.stop();
    const leaked = outputs.filter((text) => text.includes(TPM_KEY_PASSWORD));
    assert.deepEqual(leaked, [], 'the TPM key password appeared in an output');
  });

  const keyFlags = (key: TpmTestKey) => [
    '--certificate',
    key.certPath,
    '--private-key',
    key.keyPath || key.handle,
    '--intermediates',
    keys.pki.intermediate.certPath,
  ];
  const cli = async (argv: string[], env: Record<string, string> = {}, stdin?: string) => {
    const result = await runCli(main, argv, { ...tpmEnv, ...env }, stdin);
    outputs.push(result.stdout, result.stderr);
    return result;
  };
  const credentialProcess = async (key: TpmTestKey, extra: string[] = [], env: Record<string, string> = {}) => {
    const before = emulator.stats().createSessionOk;
    const result = await cli(
      ['credential-process', ...keyFlags(key), ...emulatorFlags(emulator), '--no-cache', ...extra],
      env,
    );
    assert.equal(result.exitCode, 0, result.stderr);
    assert.equal((JSON.parse(result.stdout) as { Version: number }).Version, 1);
    assert.equal(emulator.stats().createSessionOk - before, 1);
  };

  it('credential-process with a TSS2 key file without a password: RSA 2048 and P-256', async () => {
    await credentialProcess(keys.rsa);
    await credentialProcess(keys.ec);
  });

  it('credential-process with a key file that has a password: from IAMRA_TPM_KEY_PASSWORD, or --tpm-key-password', async () => {
    await credentialProcess(keys.rsaWithPassword, [], { IAMRA_TPM_KEY_PASSWORD: TPM_KEY_PASSWORD });
    await credentialProcess(keys.ecWithPassword, ['--tpm-key-password', TPM_KEY_PASSWORD]);
  });

  it('credential-process with persistent handles: with a password, and --no-tpm-key-password', async () => {
    await credentialProcess(keys.persistent, [], { IAMRA_TPM_KEY_PASSWORD: TPM_KEY_PASSWORD });
    await credentialProcess(keys.persistentNoPassword, ['--no-tpm-key-password']);
  });

  it('IAMRA_TPM_TCTI names the TPM in tpm2-tools syntax (swtpm:path=…), over TPM_DEVICE', async () => {
    await credentialProcess(keys.underPersistentParent, [], {
      TPM_DEVICE: join(testDir(), 'not-a-tpm'),
      IAMRA_TPM_TCTI: `swtpm:path=${tpm.socketPath}`,
    });
  });

  it('a wrong password: exit 2, one line, the password not shown', async () => {
    const result = await cli(
      ['credential-process', ...keyFlags(keys.ecWithPassword), ...emulatorFlags(emulator), '--no-cache'],
      { IAMRA_TPM_KEY_PASSWORD: 'wrong-tpm-password-1618' },
    );
    assert.equal(result.exitCode, 2);
    assert.match(
      result.stderr,
      /^iamra: TPM_PASSWORD_WRONG: the TPM refused the key password \(it is not shown\);[^\n]*\n$/m,
    );
    assert.equal(errorLines(result.stderr), 1);
    assert.ok(!result.stderr.includes('wrong-tpm-password-1618'));
  });

  it('no password for a key that has one, and a handle without either flag: exit 2 saying how to give it', async () => {
    const file = await cli(['credential-process', ...keyFlags(keys.rsaWithPassword), ...emulatorFlags(emulator)]);
    assert.equal(file.exitCode, 2);
    assert.match(
      file.stderr,
      /^iamra: TPM_PASSWORD_REQUIRED: the TPM key \S+ has a password; set IAMRA_TPM_KEY_PASSWORD/m,
    );
    const handle = await cli([
      'credential-process',
      ...keyFlags(keys.persistentNoPassword),
      ...emulatorFlags(emulator),
    ]);
    assert.equal(handle.exitCode, 2);
    assert.match(handle.stderr, /TPM_PASSWORD_REQUIRED: say whether the TPM key at 0x81000011 has a password/);
  });

  it('no TPM: exit 2 and one line naming where it looked', async () => {
    const result = await cli(['credential-process', ...keyFlags(keys.ec), ...emulatorFlags(emulator), '--no-cache'], {
      TPM_DEVICE: '',
      IAMRA_TPM_TCTI: 'swtpm:host=127.0.0.1,port=1',
    });
    assert.equal(result.exitCode, 2);
    assert.match(
      result.stderr,
      /^iamra: TPM_UNAVAILABLE: cannot reach the TPM at swtpm:host=127\.0\.0\.1,port=1 \(ECONNREFUSED\);[^\n]*\n$/m,
    );
    assert.equal(errorLines(result.stderr), 1);
  });

  it('the cache spares the TPM: a warm credential-process does not sign (a wrong password goes unused)', async () => {
    const env = { IAMRA_CACHE_DIR: join(testDir(), 'cache'), IAMRA_TPM_KEY_PASSWORD: TPM_KEY_PASSWORD };
    const argv = ['credential-process', ...keyFlags(keys.rsaWithPassword), ...emulatorFlags(emulator)];
    const first = await cli(argv, env);
    assert.equal(first.exitCode, 0, first.stderr);
    const second = await cli(argv, { ...env, IAMRA_TPM_KEY_PASSWORD: 'wrong-but-unused-1' });
    assert.equal(second.exitCode, 0, second.stderr);
    assert.equal(second.stdout, first.stdout);
  });

  it('sign-string --stdin signs with TPM keys (file and handle, RSA and EC, each digest)', async () => {
    for (const [key, extra] of [
      [keys.rsa, []],
      [keys.ecWithPassword, ['--tpm-key-password', TPM_KEY_PASSWORD]],
      [keys.persistentNoPassword, ['--no-tpm-key-password']],
    ] as const) {
      for (const digest of ['SHA256', 'SHA384', 'SHA512']) {
        const argv = [
          'sign-string',
          '--stdin',
          '--private-key',
          key.keyPath || key.handle,
          '--digest',
          digest,
          ...extra,
        ];
        const result = await cli(argv, {}, 'data to sign');
        assert.equal(result.exitCode, 0, result.stderr);
        const signature = Buffer.from(JSON.parse(result.stdout) as string, 'hex');
        const publicKey = new X509Certificate(readFileSync(key.certPath)).publicKey;
        assert.ok(verify(digest, Buffer.from('data to sign'), publicKey, signature), `${key.certPath} ${digest}`);
      }
    }
  });

  it('read-certificate-data checks that a TPM key (file or handle) belongs to the certificate', async () => {
    for (const [key, extra] of [
      [keys.ec, []],
      [keys.persistentNoPassword, ['--no-tpm-key-password']],
    ] as const) {
      const argv = ['read-certificate-data', ...keyFlags(key), '--report', 'json', ...extra];
      const result = await cli(argv);
      assert.equal(result.exitCode, 0, result.stderr);
      assert.equal((JSON.parse(result.stdout) as { algorithm: string }).algorithm, 'AWS4-X509-ECDSA-SHA256');
    }
    const mismatch = await cli(['read-certificate-data', ...keyFlags({ ...keys.ec, certPath: keys.rsa.certPath })]);
    assert.equal(mismatch.exitCode, 2);
    assert.match(mismatch.stderr, /^iamra: KEY_CERT_MISMATCH: the TPM key \S+ does not match certificate/m);
  });

  it('update --once writes the profile through the TPM', async () => {
    const credentialsFile = join(testDir(), 'credentials');
    const result = await cli(
      ['update', '--once', '--profile', 'tpm', ...keyFlags(keys.ec), ...emulatorFlags(emulator), '--no-cache'],
      { AWS_SHARED_CREDENTIALS_FILE: credentialsFile },
    );
    assert.equal(result.exitCode, 0, result.stderr);
    assert.match(readFileSync(credentialsFile, 'utf8'), /^\[tpm\]\naws_access_key_id = ASIA/m);
  });

  it('serve answers IMDSv2 with credentials signed in the TPM', async () => {
    const serveEnv = { ...tpmEnv, IAMRA_TPM_KEY_PASSWORD: TPM_KEY_PASSWORD, IAMRA_CACHE_DIR: join(testDir(), 'c') };
    const serve = await withProcessEnv(serveEnv, () =>
      startServeProcess(['--port', '0', ...keyFlags(keys.persistent), ...emulatorFlags(emulator)]),
    );
    try {
      const url = serve.env.AWS_EC2_METADATA_SERVICE_ENDPOINT?.replace(/\/$/, '');
      const ttl = { 'X-aws-ec2-metadata-token-ttl-seconds': '60' };
      const token = await (await fetch(`${url}/latest/api/token`, { method: 'PUT', headers: ttl })).text();
      const base = `${url}/latest/meta-data/iam/security-credentials/`;
      const headers = { 'X-aws-ec2-metadata-token': token };
      const role = await (await fetch(base, { headers })).text();
      const body = (await (await fetch(`${base}${role}`, { headers })).json()) as { AccessKeyId: string };
      assert.match(body.AccessKeyId, /^ASIA/);
    } finally {
      await serve.stop();
      outputs.push(serve.stdout(), serve.stderr());
    }
  });

  describe('beside aws_signing_helper v1.4.0 on the same TPM (TPM_DEVICE = the swtpm socket)', () => {
    /**
     * v1.4.0 opens /dev/tty before every TPM signature, even when it needs no prompt (later
     * versions open it only to prompt): it runs under script(1)'s pseudo-terminal here.
     */
    const goHelper = async (args: string[]) => {
      const quoted = [peers.goHelper(), ...args].map((arg) => `'${arg.replace(/'/g, "'\\''")}'`).join(' ');
      const { stdout } = await run('script', ['-qec', quoted, '/dev/null'], {
        env: { ...process.env, ...tpmEnv },
        timeout: 60_000,
      });
      outputs.push(stdout);
      return stdout.replace(/\r/g, '');
    };

    it('the same credential-process command lines (key file, password flag, handles) succeed for both', async () => {
      for (const [key, extra] of [
        [keys.rsa, []],
        [keys.ecWithPassword, ['--tpm-key-password', TPM_KEY_PASSWORD]],
        [keys.persistent, ['--tpm-key-password', TPM_KEY_PASSWORD]],
        [keys.persistentNoPassword, ['--no-tpm-key-password']],
      ] as const) {
        const args = ['credential-process', ...keyFlags(key), ...emulatorFlags(emulator), ...extra];
        const before = emulator.stats().createSessionOk;
        const go = await goHelper(args);
        assert.equal((JSON.parse(go) as { Version: number }).Version, 1);
        await credentialProcess(key, extra.length ? [...extra] : []);
        assert.equal(emulator.stats().createSessionOk - before, 2, key.certPath);
      }
    });

    it('sign-string: the same RSA PKCS#1 v1.5 bytes as the Go helper from the same TPM key', async () => {
      for (const key of [keys.rsa.keyPath, keys.persistent.handle]) {
        const args = ['sign-string', '--private-key', key, '--format', 'text'];
        const password = key.startsWith('handle:') ? ['--tpm-key-password', TPM_KEY_PASSWORD] : [];
        const go = await goHelper([...args, ...password]);
        const ours = await cli([...args, ...password]);
        assert.equal(ours.exitCode, 0, ours.stderr);
        assert.match(ours.stdout, /^[0-9a-f]{512}\n?$/);
        assert.equal(ours.stdout.trim(), go.trim());
      }
    });
  });
});
