/** How profiles start the CLI: NODE_EXTRA_CA_CERTS moved aside for Node before 24, on POSIX. */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import {
  buildCommandLine,
  credentialProcessArgv,
  DEFERRED_CA_VARIABLE,
  loadsExtraCaAtStartup,
  readIniSection,
  resolveSessionParameters,
  tlsIdentity,
  writeProfileFiles,
} from '@iamra/core';
import { testDir } from '../../../../test/support/pki.js';

const NODE_ARGV = ['/usr/bin/node', '/opt/iamra/cli.js', 'credential-process', '--role-arn', 'arn:x'];
const CA = { NODE_EXTRA_CA_CERTS: '/etc/ssl/certs/corporate ca.pem' };
const posix = process.platform !== 'win32';

/** A Node child that prints what it sees of the two variables, and its arguments. */
const PRINTER = [
  process.execPath,
  '-e',
  `process.stdout.write(JSON.stringify({ extra: process.env.NODE_EXTRA_CA_CERTS, moved: process.env.${DEFERRED_CA_VARIABLE}, args: process.argv.slice(1) }))`,
];

/** What the printer sees when a profile written in `written` runs in `runtime`. */
function seenBy(written: NodeJS.ProcessEnv, runtime: NodeJS.ProcessEnv, args: string[] = []) {
  const [command = '', ...rest] = credentialProcessArgv([...PRINTER, ...args], {
    platform: process.platform,
    env: written,
    nodeVersion: '20.19.0',
  });
  return JSON.parse(execFileSync(command, rest, { env: { PATH: process.env.PATH ?? '', ...runtime } }).toString());
}

describe('credential_process launcher', () => {
  it('goes through sh only on POSIX, for Node before 24, when NODE_EXTRA_CA_CERTS is set', () => {
    const launched = credentialProcessArgv(NODE_ARGV, { platform: 'linux', env: CA, nodeVersion: '20.19.0' });
    assert.deepEqual(launched.slice(0, 2), ['/bin/sh', '-c']);
    assert.deepEqual(launched.slice(3), NODE_ARGV, 'node and its arguments unchanged after the script');
    for (const context of [
      { platform: 'linux' as const, env: CA, nodeVersion: '24.1.0' },
      { platform: 'win32' as const, env: CA, nodeVersion: '20.19.0' },
      { platform: 'darwin' as const, env: {}, nodeVersion: '20.19.0' },
      { platform: 'darwin' as const, env: { NODE_EXTRA_CA_CERTS: '' }, nodeVersion: '22.3.0' },
    ]) {
      assert.deepEqual(credentialProcessArgv(NODE_ARGV, context), NODE_ARGV, JSON.stringify(context));
    }
    assert.deepEqual(['v20.19.0', '22.12.0', '24.0.0', 'v25.1.0'].map(loadsExtraCaAtStartup), [
      true,
      true,
      false,
      false,
    ]);
  });

  it('moves the variable at run time: Node starts without it and the CLI finds the path in IAMRA_EXTRA_CA_CERTS', function () {
    if (!posix) this.skip();
    assert.deepEqual(seenBy(CA, CA), { moved: CA.NODE_EXTRA_CA_CERTS, args: [] });
    // The value of the AWS call's environment, not the one the profile was written in.
    assert.deepEqual(seenBy(CA, { NODE_EXTRA_CA_CERTS: "/tmp/it's $HOME" }), { moved: "/tmp/it's $HOME", args: [] });
    assert.deepEqual(seenBy(CA, {}), { moved: '', args: [] });
  });

  it('survives the command line round trip, through a shell as the SDKs run it', function () {
    if (!posix) this.skip();
    const argv = credentialProcessArgv([...PRINTER, 'a b', "it's"], {
      platform: 'linux',
      env: CA,
      nodeVersion: '20.19.0',
    });
    const seen = execFileSync('/bin/sh', ['-c', buildCommandLine(argv)], {
      env: { PATH: process.env.PATH ?? '', ...CA },
    });
    assert.deepEqual(JSON.parse(seen.toString()), { moved: CA.NODE_EXTRA_CA_CERTS, args: ['a b', "it's"] });
  });

  it("writeProfileFiles writes the launcher into the profile when the job's Node needs it", () => {
    const tempDir = testDir();
    const write = (profileName: string, nodeVersion: string) =>
      writeProfileFiles({
        tempDir,
        profileName,
        material: { certificate: 'PEM', privateKey: 'KEY' },
        params: resolveSessionParameters({
          trustAnchorArn:
            'arn:aws:rolesanywhere:us-east-1:123456789012:trust-anchor/0c5a2b1e-7f4f-4c3b-9d6e-1a2b3c4d5e6f',
          profileArn: 'arn:aws:rolesanywhere:us-east-1:123456789012:profile/9f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0',
          roleArn: 'arn:aws:iam::123456789012:role/deploy',
        }),
        nodePath: '/usr/bin/node',
        cliPath: '/opt/iamra/cli.js',
        platform: 'linux',
        env: CA,
        nodeVersion,
      });
    const { configFile } = write('node20', '20.19.0');
    write('node24', '24.1.0');
    const config = readFileSync(configFile, 'utf8');
    assert.match(
      readIniSection(config, 'profile node20')?.credential_process ?? '',
      /^\/bin\/sh -c '.*' \/usr\/bin\/node \/opt\/iamra\/cli.js credential-process /,
    );
    assert.match(
      readIniSection(config, 'profile node24')?.credential_process ?? '',
      /^\/usr\/bin\/node \/opt\/iamra\/cli.js credential-process /,
    );
  });

  it("keys the cache the same whether NODE_EXTRA_CA_CERTS was moved or not, so a step's primed entry serves its profile", () => {
    const bundle = '/etc/hosts';
    const key = (env: NodeJS.ProcessEnv) => tlsIdentity({ rejectUnauthorized: true, env });
    assert.equal(key({ [DEFERRED_CA_VARIABLE]: bundle }), key({ NODE_EXTRA_CA_CERTS: bundle }));
    assert.notEqual(key({ NODE_EXTRA_CA_CERTS: bundle }), key({}));
    assert.notEqual(key({ AWS_CA_BUNDLE: bundle }), key({}), 'AWS_CA_BUNDLE is trusted too, so it keys');
    assert.notEqual(key({ AWS_CA_BUNDLE: bundle }), key({ NODE_EXTRA_CA_CERTS: bundle }));
  });
});
