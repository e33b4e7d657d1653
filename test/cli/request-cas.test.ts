/**
 * CAs the CLI trusts itself, when it makes a request: NODE_EXTRA_CA_CERTS moved aside by a
 * profile's launcher (Node 20 would parse it at every start) and AWS_CA_BUNDLE. Against an
 * emulator serving TLS with a certificate from a CA only those files hold.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { main } from '@iamra/cli';
import { readIniSection, resolveSessionParameters, writeProfileFiles } from '@iamra/core';
import { type RunningEmulator, startEmulator } from '@iamra/emulator';
import { runCli } from '../support/cli-run.js';
import { emulatorFlags } from '../support/emulator-process.js';
import { repoRoot } from '../support/peers.js';
import { leafFlags, makePki, testDir } from '../support/pki.js';
import { makeTlsServerPki } from '../support/tls-server.js';

describe('CLI: CA files trusted at request time', () => {
  const pki = makePki({ subjectPrefix: 'request-cas' });
  const { serverCa, serverCert } = makeTlsServerPki('private');
  let emulator: RunningEmulator;
  before(async () => {
    emulator = await startEmulator({
      cas: [pki.root.certPem],
      tls: { cert: serverCert.certPem, key: serverCert.keyPem },
    });
  });
  after(() => emulator.stop());

  const args = () => [
    'credential-process',
    ...leafFlags(pki.ecLeaf, pki.intermediate),
    ...emulatorFlags(emulator),
    '--no-cache',
    '--retry-max-attempts',
    '1',
  ];

  it('trusts AWS_CA_BUNDLE and a moved NODE_EXTRA_CA_CERTS in addition to the default CAs, and neither without them', async () => {
    const untrusted = await runCli(main, args());
    assert.equal(untrusted.exitCode, 3, untrusted.stderr);
    assert.match(untrusted.stderr, /^iamra: TLS_UNTRUSTED: /);
    for (const variable of ['AWS_CA_BUNDLE', 'IAMRA_EXTRA_CA_CERTS']) {
      const trusted = await runCli(main, args(), { [variable]: serverCa.certPath });
      assert.equal(trusted.exitCode, 0, `${variable}: ${trusted.stderr}`);
      assert.equal(JSON.parse(trusted.stdout).Version, 1);
    }
  });

  it('--ca-bundle trusts its file for CreateSession, and wins over AWS_CA_BUNDLE', async () => {
    const trusted = await runCli(main, [...args(), '--ca-bundle', serverCa.certPath]);
    assert.equal(trusted.exitCode, 0, trusted.stderr);
    const other = await runCli(main, [...args(), '--ca-bundle', pki.root.certPath], {
      AWS_CA_BUNDLE: serverCa.certPath,
    });
    assert.equal(other.exitCode, 3, 'the flag, not the environment, names the bundle');
    assert.match(other.stderr, /^iamra: TLS_UNTRUSTED: /);
  });

  it('says which file it cannot read: AWS_CA_BUNDLE fails, a moved NODE_EXTRA_CA_CERTS is skipped as Node skips it', async () => {
    const missing = join(testDir(), 'absent.pem');
    const bundle = await runCli(main, args(), { AWS_CA_BUNDLE: missing });
    assert.equal(bundle.exitCode, 2, bundle.stderr);
    assert.match(
      bundle.stderr,
      /^iamra: FILE_UNREADABLE: cannot read the CA bundle \(AWS_CA_BUNDLE or --ca-bundle\) .*absent\.pem: no such file/,
    );
    const moved = await runCli(main, [...args(), '--debug'], { IAMRA_EXTRA_CA_CERTS: missing });
    assert.equal(moved.exitCode, 3, moved.stderr);
    assert.match(moved.stderr, /NODE_EXTRA_CA_CERTS .*absent\.pem is unreadable; ignored, as Node would/);
  });

  it('a profile written on Node 20 with NODE_EXTRA_CA_CERTS set runs through the launcher and trusts that CA', async function () {
    if (process.platform === 'win32') this.skip();
    const tempDir = testDir();
    const env = { NODE_EXTRA_CA_CERTS: serverCa.certPath };
    const { configFile } = writeProfileFiles({
      tempDir,
      profileName: 'ca',
      material: {
        certificate: pki.ecLeaf.certPem,
        privateKey: pki.ecLeaf.keyPem,
        intermediates: [pki.intermediate.certPem],
      },
      params: resolveSessionParameters({
        trustAnchorArn: emulator.trustAnchorArns[0] ?? '',
        profileArn: emulator.profileArn,
        roleArn: emulator.roleArns[0] ?? '',
      }),
      endpoint: emulator.endpoint,
      nodePath: process.execPath,
      cliPath: join(repoRoot, 'dist', 'cli', 'index.js'),
      env,
      nodeVersion: '20.19.0',
      proxy: 'none',
    });
    const line = readIniSection(readFileSync(configFile, 'utf8'), 'profile ca')?.credential_process ?? '';
    assert.match(line, /^\/bin\/sh -c /);
    // As the SDKs run a credential_process: through a shell, in the job's environment (not
    // execFileSync: the emulator answers from this process).
    const { stdout } = await promisify(execFile)('/bin/sh', ['-c', line], {
      env: { PATH: process.env.PATH ?? '', HOME: tempDir, ...env },
    });
    assert.equal(JSON.parse(stdout).Version, 1);
  });
});
