/** What the CI adapters share: obtainSession and the profile-mode files. */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  cacheEntryFileName,
  configFilePath,
  IamraError,
  isCacheEntry,
  obtainSession,
  readIniSection,
  resolveSessionParameters,
  sessionIdentity,
  tlsIdentity,
  writeProfileFiles,
} from '@iamra/core';
import { type RunningEmulator, startEmulator } from '@iamra/emulator';
import { makePki, testDir } from '../../../../test/support/pki.js';

/** Session parameters for profile tests: ARNs in `region`, plus any extra input. */
function testParams(region: string, extra: { roleSessionName?: string } = {}) {
  return resolveSessionParameters({
    trustAnchorArn: `arn:aws:rolesanywhere:${region}:123456789012:trust-anchor/0c5a2b1e-7f4f-4c3b-9d6e-1a2b3c4d5e6f`,
    profileArn: `arn:aws:rolesanywhere:${region}:123456789012:profile/9f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0`,
    roleArn: 'arn:aws:iam::123456789012:role/deploy',
    ...extra,
  });
}

describe('adapter helpers', () => {
  const pki = makePki({ subjectPrefix: 'adapter' });
  let emulator: RunningEmulator;
  before(async () => {
    emulator = await startEmulator({ cas: [pki.root.certPem], lifetimeMs: 50_000 });
  });
  after(() => emulator.stop());

  it('obtainSession loads, checks, signs and returns credentials with warnings', async () => {
    const session = await obtainSession(
      {
        material: {
          certificate: pki.ecLeaf.certPem,
          privateKey: pki.ecLeaf.keyPem,
          intermediates: [pki.intermediate.certPem],
        },
        session: {
          trustAnchorArn: emulator.trustAnchorArns[0] ?? '',
          profileArn: emulator.profileArn,
          roleArn: emulator.roleArns[0] ?? '',
        },
        endpoint: emulator.endpoint,
        retryMaxAttempts: 2,
        expiryWarningDays: 400,
        proxy: 'none',
      },
      { now: () => new Date(), env: {} },
    );
    assert.equal(session.attempts, 1);
    assert.equal(session.credentials.sourceIdentity, 'CN=adapter ec leaf');
    assert.deepEqual(
      session.warnings.map((w) => w.code),
      ['CERT_EXPIRES_SOON'],
    );
  });

  it("obtainSession signs for the trust anchor's region whatever region later calls get", async () => {
    const input = (extra: object) => ({
      material: {
        certificate: pki.ecLeaf.certPem,
        privateKey: pki.ecLeaf.keyPem,
        intermediates: [pki.intermediate.certPem],
      },
      session: {
        trustAnchorArn: emulator.trustAnchorArns[0] ?? '',
        profileArn: emulator.profileArn,
        roleArn: emulator.roleArns[0] ?? '',
      },
      endpoint: emulator.endpoint,
      retryMaxAttempts: 1,
      proxy: 'none',
      ...extra,
    });
    const deps = { now: () => new Date(), env: {} };
    const session = await obtainSession(input({ awsRegion: 'eu-west-1' }), deps);
    assert.equal(session.params.region, 'us-east-1');
    assert.equal(session.awsRegion, 'eu-west-1');
    assert.equal((await obtainSession(input({}), deps)).awsRegion, 'us-east-1');
    // What aws-region did before: CreateSession signed for eu-west-1 is refused by a us-east-1 anchor.
    const wrong = input({});
    await assert.rejects(
      obtainSession({ ...wrong, session: { ...wrong.session, region: 'eu-west-1' } }, deps),
      (error: unknown) => error instanceof IamraError && error.code === 'CREATE_SESSION_DENIED',
    );
    await assert.rejects(
      obtainSession(input({ awsRegion: 'cn-north-1' }), deps),
      (error: unknown) => error instanceof IamraError && error.code === 'REGION_INVALID',
    );
  });

  it("writeProfileFiles: the profile's region is the AWS region; its credential_process signs for the session's", () => {
    const tempDir = testDir();
    const files = writeProfileFiles({
      tempDir,
      profileName: 'elsewhere',
      material: { certificate: pki.ecLeaf.certPem, privateKey: pki.ecLeaf.keyPem },
      params: testParams('us-east-1'),
      awsRegion: 'ap-southeast-2',
      nodePath: '/usr/bin/node',
      cliPath: '/opt/iamra/cli.js',
    });
    const section = readIniSection(readFileSync(files.configFile, 'utf8'), 'profile elsewhere');
    assert.equal(section?.region, 'ap-southeast-2');
    assert.match(section?.credential_process ?? '', / --region us-east-1 /);
  });

  it('writeProfileFiles: private key files, a shared config with one section per profile, no secret on the command line', () => {
    const tempDir = testDir();
    const params = testParams('us-east-1', { roleSessionName: 'ci-run' });
    const first = writeProfileFiles({
      tempDir,
      profileName: 'default',
      material: {
        certificate: pki.rsaLeaf.certPem,
        privateKey: pki.rsaLeaf.keyPem,
        intermediates: [pki.intermediate.certPem],
        privateKeyPassphrase: 'pass phrase',
      },
      params,
      endpoint: 'http://127.0.0.1:1',
      nodePath: '/usr/bin/node',
      cliPath: '/opt/iamra/cli.js',
      // Node started as is whatever this machine's NODE_EXTRA_CA_CERTS (launcher.test.ts has the launcher).
      env: {},
    });
    const second = writeProfileFiles({
      tempDir,
      profileName: 'audit',
      material: { pkcs12: Buffer.from('p12'), pkcs12Password: 'p12 password' },
      params,
      nodePath: '/usr/bin/node',
      cliPath: '/opt/iamra/cli.js',
    });
    assert.equal(first.configFile, configFilePath(tempDir));
    assert.equal(second.configFile, first.configFile);
    const config = readFileSync(first.configFile, 'utf8');
    const section = readIniSection(config, 'default');
    assert.equal(section?.region, 'us-east-1');
    assert.match(
      section?.credential_process ?? '',
      /^\/usr\/bin\/node \/opt\/iamra\/cli.js credential-process --certificate /,
    );
    assert.match(
      section?.credential_process ?? '',
      /--private-key-passphrase-file \S+ .*--cache-dir \S+ --role-session-name ci-run --endpoint http:\/\/127.0.0.1:1$/,
    );
    assert.match(
      readIniSection(config, 'profile audit')?.credential_process ?? '',
      /--pkcs12 \S+bundle.p12 --pkcs12-password-file /,
    );
    assert.ok(!config.includes('pass phrase') && !config.includes('p12 password'), 'no secret in the config');
    for (const file of [...first.files, ...second.files, first.configFile])
      assert.equal(statSync(file).mode & 0o777, 0o600, file);
    assert.equal(statSync(first.profileDir).mode & 0o777, 0o700);
    assert.equal(readFileSync(join(first.profileDir, 'private-key-passphrase'), 'utf8'), 'pass phrase');
    assert.deepEqual(readdirSync(join(tempDir, 'iamra')).sort(), ['aws-config', 'cache', 'profiles']);
  });

  it("writeProfileFiles with credentials primes the cache entry the profile's credential_process looks up", () => {
    const tempDir = testDir();
    const params = testParams('eu-west-1');
    const credentials = {
      accessKeyId: 'ASIAPRIMED',
      secretAccessKey: 'primed-secret',
      sessionToken: 'primed-token',
      expiration: new Date('2030-01-01T00:00:00Z'),
      accountId: '123456789012',
      assumedRoleArn: 'arn:aws:sts::123456789012:assumed-role/deploy/x',
      sourceIdentity: 'CN=x',
      assumedRoleId: 'AROAX:x',
      roleArn: 'arn:aws:iam::123456789012:role/r',
      subjectArn: 'arn:aws:rolesanywhere:eu-west-1:123456789012:subject/x',
    };
    const files = writeProfileFiles({
      tempDir,
      profileName: 'primed',
      material: { certificate: pki.ecLeaf.certPem, privateKey: pki.ecLeaf.keyPem },
      params,
      endpoint: 'http://127.0.0.1:1',
      nodePath: '/usr/bin/node',
      cliPath: '/opt/iamra/cli.js',
      credentials,
    });
    // The key the CLI computes from the files the profile names (read back as bytes, as it does).
    const key = sessionIdentity({
      certificate: readFileSync(join(files.profileDir, 'certificate')),
      privateKey: readFileSync(join(files.profileDir, 'private-key')),
      privateKeyPassphrase: undefined,
      intermediates: [],
      pkcs12: undefined,
      pkcs12Password: undefined,
      params,
      endpoint: 'http://127.0.0.1:1',
      tls: tlsIdentity({ rejectUnauthorized: true, env: process.env }),
    });
    const entryPath = join(files.cacheDir, cacheEntryFileName(key));
    assert.deepEqual(readdirSync(files.cacheDir), [cacheEntryFileName(key)], 'one entry, no temp file left');
    assert.equal(statSync(entryPath).mode & 0o777, 0o600);
    const entry: unknown = JSON.parse(readFileSync(entryPath, 'utf8'));
    assert.ok(isCacheEntry(entry));
    assert.equal(entry.credentials.accessKeyId, 'ASIAPRIMED');
    assert.equal(entry.credentials.expiration, '2030-01-01T00:00:00.000Z');
  });

  it("writeProfileFiles carries the step's proxy into the profile: a private file for a URL, --no-proxy for none", () => {
    const tempDir = testDir();
    const params = testParams('us-east-1');
    const write = (profileName: string, proxy: string | undefined) =>
      writeProfileFiles({
        tempDir,
        profileName,
        material: { certificate: pki.ecLeaf.certPem, privateKey: pki.ecLeaf.keyPem },
        params,
        nodePath: '/usr/bin/node',
        cliPath: '/opt/iamra/cli.js',
        ...(proxy !== undefined ? { proxy } : {}),
      });
    const viaProxy = write('viaproxy', 'http://user:pr0xy-secret@proxy.corp:3128/');
    write('direct', 'none');
    write('fromenv', 'env');
    write('unset', undefined);
    const config = readFileSync(viaProxy.configFile, 'utf8');
    const proxyFile = join(viaProxy.profileDir, 'proxy');
    assert.equal(readFileSync(proxyFile, 'utf8'), 'http://user:pr0xy-secret@proxy.corp:3128/');
    assert.equal(statSync(proxyFile).mode & 0o777, 0o600);
    assert.ok(!config.includes('pr0xy-secret'), 'no proxy password in the config');
    const line = (name: string) => readIniSection(config, `profile ${name}`)?.credential_process ?? '';
    assert.ok(line('viaproxy').includes(`--proxy-file ${proxyFile}`));
    assert.ok(line('direct').endsWith('--no-proxy'));
    for (const name of ['fromenv', 'unset']) assert.ok(!/--proxy-file|--no-proxy/.test(line(name)), name);
  });

  it('refuses a profile name that could escape its directory', () => {
    assert.throws(
      () =>
        writeProfileFiles({
          tempDir: testDir(),
          profileName: '../x',
          material: {},
          params: {} as never,
          nodePath: 'n',
          cliPath: 'c',
        }),
      (error: unknown) => error instanceof IamraError && error.code === 'CONFIG_INVALID',
    );
  });
});
