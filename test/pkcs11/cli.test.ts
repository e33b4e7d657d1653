/**
 * Seed 002's flow with iamra in place of the Go helper: the key (and certificate) on a PKCS#11
 * token, named by pkcs11: URIs, the PIN from IAMRA_PKCS11_PIN or a pin-source file. Every CLI
 * command signs through a real SoftHSM2 token and the emulator accepts; no output holds the PIN.
 */
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { verify, X509Certificate } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { buildCommandLine } from '@iamra/core';
import { type RunningEmulator, startEmulator } from '@iamra/emulator';
import { main } from '../../packages/cli/src/index.js';
import { runCli } from '../support/cli-run.js';
import { emulatorFlags } from '../support/emulator-process.js';
import { isolatedAwsEnv, peers, repoRoot } from '../support/peers.js';
import { testDir } from '../support/pki.js';
import { makeSoftToken, type SoftToken, USER_PIN } from '../support/softhsm.js';

const run = promisify(execFile);
const bin = join(repoRoot, 'packages', 'cli', 'bin', 'iamra.js');

describe('CLI with keys on a PKCS#11 token (SoftHSM2)', function () {
  this.timeout(180_000);
  let token: SoftToken;
  let emulator: RunningEmulator;
  let savedConf: string | undefined;
  const outputs: string[] = [];

  before(async () => {
    token = makeSoftToken();
    emulator = await startEmulator({ cas: [token.pki.root.certPem] });
    savedConf = process.env.SOFTHSM2_CONF;
    process.env.SOFTHSM2_CONF = token.env.SOFTHSM2_CONF;
  });
  after(async () => {
    await emulator.stop();
    if (savedConf === undefined) delete process.env.SOFTHSM2_CONF;
    else process.env.SOFTHSM2_CONF = savedConf;
    const leaked = outputs.filter((text) => text.includes(USER_PIN));
    assert.deepEqual(leaked, [], 'the PIN appeared in an output');
  });

  const tokenFlags = (kind: 'rsa' | 'ec', keyToo = true) => [
    '--certificate',
    token[kind].certUri,
    ...(keyToo ? ['--private-key', token[kind].keyUri] : []),
    '--intermediates',
    token.pki.intermediate.certPath,
    '--pkcs11-lib',
    token.module,
  ];
  const cli = async (argv: string[], env: Record<string, string> = {}, stdin?: string) => {
    const result = await runCli(main, argv, { IAMRA_PKCS11_PIN: USER_PIN, ...env }, stdin);
    outputs.push(result.stdout, result.stderr);
    return result;
  };

  for (const kind of ['rsa', 'ec'] as const) {
    it(`credential-process: certificate and ${kind} key on the token`, async () => {
      const before = emulator.stats().createSessionOk;
      const result = await cli(['credential-process', ...tokenFlags(kind), ...emulatorFlags(emulator), '--no-cache']);
      assert.equal(result.exitCode, 0, result.stderr);
      assert.equal((JSON.parse(result.stdout) as { Version: number }).Version, 1);
      assert.equal(emulator.stats().createSessionOk - before, 1);
    });
  }

  it('credential-process: only the certificate URI (the key beside it), PIN from pin-source', async () => {
    const pinFile = join(testDir(), 'pin');
    writeFileSync(pinFile, `${USER_PIN}\n`, { mode: 0o600 });
    const flags = tokenFlags('ec', false);
    flags[1] = `${token.ec.certUri}?pin-source=file://${pinFile}`;
    const result = await cli(['credential-process', ...flags, ...emulatorFlags(emulator), '--no-cache'], {
      IAMRA_PKCS11_PIN: '',
    });
    assert.equal(result.exitCode, 0, result.stderr);
  });

  it('credential-process: the key on the token, the certificate in a file; the cache spares the token', async () => {
    const env = { IAMRA_CACHE_DIR: join(testDir(), 'cache') };
    const flags = [
      '--certificate',
      token.rsa.certPath,
      '--private-key',
      token.rsa.keyUri,
      '--intermediates',
      token.pki.intermediate.certPath,
      '--pkcs11-lib',
      token.module,
      ...emulatorFlags(emulator),
    ];
    const first = await cli(['credential-process', ...flags], env);
    assert.equal(first.exitCode, 0, first.stderr);
    // A cached answer never opens the token: even a wrong PIN is not needed.
    const second = await cli(['credential-process', ...flags], { ...env, IAMRA_PKCS11_PIN: 'wrong-pin-0000' });
    assert.equal(second.exitCode, 0, second.stderr);
    assert.equal(second.stdout, first.stdout);
  });

  it('a wrong PIN: exit 2 and one line saying the token refused it, without the PIN', async () => {
    const result = await cli(['credential-process', ...tokenFlags('rsa'), ...emulatorFlags(emulator), '--no-cache'], {
      IAMRA_PKCS11_PIN: 'wrong-pin-4242',
    });
    assert.equal(result.exitCode, 2);
    assert.match(result.stderr, /^iamra: PKCS11_PIN_WRONG: the token refused the PIN \(it is not shown\);/);
    assert.equal(result.stderr.trim().split('\n').length, 1);
    assert.ok(!result.stderr.includes('wrong-pin-4242'));
  });

  it('a malformed URI is refused before anything opens', async () => {
    const result = await cli(['credential-process', '--certificate', 'pkcs11:colour=red', ...emulatorFlags(emulator)]);
    assert.equal(result.exitCode, 2);
    assert.match(result.stderr, /^iamra: PKCS11_URI_INVALID: /);
  });

  it('sign-string --stdin signs with the token key (RSA and EC, the digests the Go helper offers)', async () => {
    for (const kind of ['rsa', 'ec'] as const) {
      for (const digest of ['SHA256', 'SHA384', 'SHA512']) {
        const result = await cli(
          [
            'sign-string',
            '--stdin',
            '--private-key',
            token[kind].keyUri,
            '--pkcs11-lib',
            token.module,
            '--digest',
            digest,
          ],
          {},
          'data to sign',
        );
        assert.equal(result.exitCode, 0, result.stderr);
        const signature = Buffer.from(JSON.parse(result.stdout) as string, 'hex');
        const publicKey = new X509Certificate(token[kind].certPem).publicKey;
        assert.ok(verify(digest, Buffer.from('data to sign'), publicKey, signature), `${kind} ${digest}`);
      }
    }
  });

  it('sign-string signs the Go helper’s test string with the token key: the same RSA bytes as the Go helper', async () => {
    const args = ['sign-string', '--certificate', token.rsa.certUri, '--pkcs11-lib', token.module, '--format', 'text'];
    const go = await run(
      peers.goHelper(),
      [...args.slice(0, 3).map((a, i) => (i === 2 ? `${a}?pin-value=${USER_PIN}` : a)), ...args.slice(3)],
      {
        env: { ...process.env, ...token.env },
      },
    );
    const ours = await cli(args);
    assert.equal(ours.exitCode, 0, ours.stderr);
    assert.equal(ours.stdout, go.stdout.trim());
    const noCertificate = await cli(['sign-string', '--private-key', token.ec.keyUri, '--pkcs11-lib', token.module]);
    assert.equal(noCertificate.exitCode, 2);
    assert.match(noCertificate.stderr, /give the token key's --certificate/);
  });

  it('read-certificate-data reads the certificate from the token, and checks the key when named', async () => {
    const certOnly = await cli(
      ['read-certificate-data', '--certificate', token.ec.certUri, '--pkcs11-lib', token.module, '--report', 'json'],
      { IAMRA_PKCS11_PIN: '' },
    );
    assert.equal(certOnly.exitCode, 0, certOnly.stderr);
    const serial = new X509Certificate(token.ec.certPem).serialNumber.toLowerCase().replace(/^00/, '');
    assert.equal((JSON.parse(certOnly.stdout) as { serialHex: string }).serialHex, serial);
    const withKey = await cli(['read-certificate-data', ...tokenFlags('rsa'), '--report', 'json']);
    assert.equal(withKey.exitCode, 0, withKey.stderr);
    assert.equal((JSON.parse(withKey.stdout) as { algorithm: string }).algorithm, 'AWS4-X509-RSA-SHA256');
  });

  it('update --once writes the profile through the token', async () => {
    const credentialsFile = join(testDir(), 'credentials');
    const result = await cli(
      ['update', '--once', '--profile', 'hsm', ...tokenFlags('ec'), ...emulatorFlags(emulator), '--no-cache'],
      { AWS_SHARED_CREDENTIALS_FILE: credentialsFile },
    );
    assert.equal(result.exitCode, 0, result.stderr);
    assert.match(readFileSync(credentialsFile, 'utf8'), /^\[hsm\]\naws_access_key_id = ASIA/m);
  });

  it('serve answers IMDSv2 with credentials signed on the token', async () => {
    const child = spawn(
      process.execPath,
      [bin, 'serve', '--port', '0', ...tokenFlags('rsa'), ...emulatorFlags(emulator)],
      {
        stdio: ['ignore', 'ignore', 'pipe'],
        env: { ...process.env, ...token.env, IAMRA_PKCS11_PIN: USER_PIN, IAMRA_CACHE_DIR: join(testDir(), 'c') },
      },
    );
    let stderr = '';
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`serve did not start: ${stderr}`)), 30_000);
        child.stderr.on('data', (chunk: Buffer) => {
          stderr += chunk.toString();
          const match = /at (http:\/\/127\.0\.0\.1:\d+)\//.exec(stderr);
          if (match?.[1]) {
            clearTimeout(timer);
            resolve(match[1]);
          }
        });
        child.on('exit', (code) => reject(new Error(`serve exited ${code}: ${stderr}`)));
      });
      const imdsToken = await (
        await fetch(`${url}/latest/api/token`, {
          method: 'PUT',
          headers: { 'X-aws-ec2-metadata-token-ttl-seconds': '60' },
        })
      ).text();
      const base = `${url}/latest/meta-data/iam/security-credentials/`;
      const headers = { 'X-aws-ec2-metadata-token': imdsToken };
      const role = await (await fetch(base, { headers })).text();
      const body = (await (await fetch(`${base}${role}`, { headers })).json()) as { AccessKeyId: string };
      assert.match(body.AccessKeyId, /^ASIA/);
    } finally {
      child.kill('SIGTERM');
      outputs.push(stderr);
    }
  });

  it('the AWS CLI v2 runs a credential_process line written for the Go helper, PIN from the environment', async () => {
    const home = testDir();
    const command = buildCommandLine([
      process.execPath,
      bin,
      'credential-process',
      ...tokenFlags('ec'),
      ...emulatorFlags(emulator),
      '--cache-dir',
      join(home, 'cache'),
    ]);
    const config = join(home, 'config');
    writeFileSync(config, `[default]\nregion = us-east-1\ncredential_process = ${command}\n`);
    const env = isolatedAwsEnv(home, { AWS_CONFIG_FILE: config, IAMRA_PKCS11_PIN: USER_PIN, ...token.env });
    const { stdout, stderr } = await run(
      peers.awsCli(),
      ['sts', 'get-caller-identity', '--endpoint-url', emulator.stsEndpoint, '--output', 'json'],
      { env },
    );
    outputs.push(stdout, stderr, readFileSync(config, 'utf8'));
    assert.match((JSON.parse(stdout) as { Arn: string }).Arn, /assumed-role\/iamra-demo\//);
  });

  it('the Go helper and iamra take the same PKCS#11 command line (pin-value for the Go helper)', async () => {
    const flags = tokenFlags('rsa');
    flags[1] = `${token.rsa.certUri}?pin-value=${USER_PIN}`;
    flags[3] = `${token.rsa.keyUri}?pin-value=${USER_PIN}`;
    const args = ['credential-process', ...flags, ...emulatorFlags(emulator)];
    const before = emulator.stats().createSessionOk;
    const go = await run(peers.goHelper(), args, { env: { ...process.env, ...token.env } });
    assert.equal((JSON.parse(go.stdout) as { Version: number }).Version, 1);
    const ours = await cli([...args, '--no-cache'], { IAMRA_PKCS11_PIN: '' });
    assert.equal(ours.exitCode, 0, ours.stderr);
    assert.equal(emulator.stats().createSessionOk - before, 2);
  });

  it('read-certificate-data lists the token’s matching identities as the Go helper does', async () => {
    // The token's object order is its own, and the Go helper writes URI attributes in map order:
    // compare entries as sets, and each URI attribute by attribute.
    const entries = (text: string) =>
      text
        .replace(/^\d+\) /gm, '')
        .split(/\n(?!\t)/)
        .map((entry) => entry.replace(/URI: pkcs11:(.*)$/, (_, path: string) => path.split(';').sort().join(';')))
        .sort();
    for (const uri of [token.ec.certUri, 'pkcs11:token=iamra-ci;type=cert']) {
      const args = ['read-certificate-data', '--certificate', uri, '--pkcs11-lib', token.module];
      const go = await run(peers.goHelper(), args, { env: { ...process.env, ...token.env } });
      const ours = await cli(args, { IAMRA_PKCS11_PIN: '' });
      assert.equal(ours.exitCode, 0, ours.stderr);
      assert.deepEqual(entries(ours.stdout), entries(go.stdout), uri);
      assert.equal(ours.stdout.split('\n')[0], go.stdout.split('\n')[0]);
    }
    const none = await cli([
      'read-certificate-data',
      '--certificate',
      'pkcs11:object=none',
      '--pkcs11-lib',
      token.module,
    ]);
    assert.equal(none.stdout, 'No matching identities\n');
  });
});
