/**
 * The npm packages as a self-hosted agent gets them: packed, installed from the tarballs into an
 * empty prefix with no repository around, then used: `iamra --version`, `iamra emulator` and a
 * `credential-process` call from the installed bin, and fromRolesAnywhere() from @iamra/core.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { emulatorFlags, startEmulatorProcess } from '../support/emulator-process.js';
import { type InstalledPrefix, packAndInstall } from '../support/install.js';
import { isolatedAwsEnv, peers, repoRoot } from '../support/peers.js';
import { leafFlags, makePki, testDir } from '../support/pki.js';

const run = promisify(execFile);

describe('installed packages', function () {
  this.timeout(240_000);
  const pki = makePki({ subjectPrefix: 'install' });
  let installed: InstalledPrefix;
  let emulator: Awaited<ReturnType<typeof startEmulatorProcess>>;

  before(async () => {
    installed = await packAndInstall();
    emulator = await startEmulatorProcess(['--ca', pki.root.certPath, '--lifetime-seconds', '200'], {
      command: installed.bin,
      args: [],
      cwd: installed.prefix,
      env: installed.env,
    });
  });
  after(() => emulator?.stop());

  it('installs the three packages with their names, licence and no repository path', () => {
    for (const name of ['cli', 'core', 'emulator']) {
      const manifest = JSON.parse(
        readFileSync(join(installed.prefix, 'node_modules', '@iamra', name, 'package.json'), 'utf8'),
      ) as { name: string; license: string; private?: boolean };
      assert.equal(manifest.name, `@iamra/${name}`);
      assert.equal(manifest.license, 'Apache-2.0');
      assert.equal(manifest.private, undefined);
      assert.ok(existsSync(join(installed.prefix, 'node_modules', '@iamra', name, 'LICENSE')));
    }
    const bin = realpathSync(installed.bin);
    assert.ok(!bin.startsWith(repoRoot), `the bin must be a copy, not a link into the repository: ${bin}`);
    assert.match(bin, /@iamra\/cli\/bin\/iamra\.cjs$/);
  });

  it('iamra --version prints the package version', async () => {
    const { stdout } = await run(installed.bin, ['--version'], { cwd: installed.prefix, env: installed.env });
    const manifest = JSON.parse(readFileSync(join(repoRoot, 'packages', 'cli', 'package.json'), 'utf8')) as {
      version: string;
    };
    assert.equal(stdout, `${manifest.version}\n`);
  });

  it('iamra credential-process gets credentials from the installed emulator', async () => {
    const args = [
      'credential-process',
      ...leafFlags(pki.ecLeaf, pki.intermediate),
      ...emulatorFlags(emulator.info),
      '--cache-dir',
      join(testDir(), 'cache'),
    ];
    const { stdout } = await run(installed.bin, args, { cwd: installed.prefix, env: installed.env });
    const output = JSON.parse(stdout) as { Version: number; AccessKeyId: string; Expiration: string };
    assert.equal(output.Version, 1);
    assert.match(output.AccessKeyId, /^ASIA/);
    assert.ok(Date.parse(output.Expiration) > Date.now());
  });

  it('a self-hosted agent setup: installed iamra configure, then aws sts get-caller-identity --profile', async () => {
    const home = testDir();
    const config = join(home, '.aws', 'config');
    const env = { ...installed.env, HOME: home };
    const args = [
      'configure',
      '--profile',
      'agent',
      ...leafFlags(pki.ecLeaf, pki.intermediate),
      ...emulatorFlags(emulator.info),
    ];
    const { stderr } = await run(installed.bin, args, { cwd: home, env });
    assert.match(stderr, /^iamra: profile agent added in /);
    const awsEnv = isolatedAwsEnv(home, { AWS_CONFIG_FILE: config });
    const awsArgs = ['sts', 'get-caller-identity', '--profile', 'agent', '--endpoint-url', emulator.info.stsEndpoint];
    const { stdout } = await run(peers.awsCli(), [...awsArgs, '--output', 'json'], { env: awsEnv });
    assert.equal((JSON.parse(stdout) as { Account: string }).Account, '123456789012');
    assert.ok(readFileSync(config, 'utf8').includes(realpathSync(installed.bin)), 'the profile runs the installed bin');
  });

  it('the CLI tarball alone, unpacked without npm, runs on the Node 24 a runner or agent ships', async () => {
    const dir = testDir();
    const tarball = installed.tarballs.find((file) => /iamra-cli-[^/]*\.tgz$/.test(file)) ?? '';
    await run('tar', ['-xzf', tarball, '-C', dir]);
    const args = [
      join(dir, 'package', 'bin', 'iamra.cjs'),
      'credential-process',
      ...leafFlags(pki.rsaLeaf, pki.intermediate),
      ...emulatorFlags(emulator.info),
      '--no-cache',
    ];
    const { stdout } = await run(peers.node24(), args, { cwd: dir, env: installed.env });
    assert.match((JSON.parse(stdout) as { AccessKeyId: string }).AccessKeyId, /^ASIA/);
  });

  it('fromRolesAnywhere() from the installed @iamra/core, against the installed @iamra/emulator', async () => {
    const script = `
      import { fromRolesAnywhere } from '@iamra/core';
      import { startEmulator } from '@iamra/emulator';
      import { readFileSync } from 'node:fs';
      const emulator = await startEmulator({ cas: [readFileSync(${JSON.stringify(pki.root.certPath)}, 'utf8')] });
      try {
        const provider = fromRolesAnywhere({
          certificatePath: ${JSON.stringify(pki.rsaLeaf.certPath)},
          privateKeyPath: ${JSON.stringify(pki.rsaLeaf.keyPath)},
          intermediatesPath: ${JSON.stringify(pki.intermediate.certPath)},
          trustAnchorArn: emulator.trustAnchorArns[0],
          profileArn: emulator.profileArn,
          roleArn: emulator.roleArns[0],
          endpoint: emulator.endpoint,
        });
        const identity = await provider();
        console.log(JSON.stringify({ accessKeyId: identity.accessKeyId, accountId: identity.accountId }));
      } finally {
        await emulator.stop();
      }
    `;
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], {
      cwd: installed.prefix,
      env: installed.env,
    });
    const identity = JSON.parse(stdout) as { accessKeyId: string; accountId: string };
    assert.match(identity.accessKeyId, /^ASIA/);
    assert.equal(identity.accountId, '123456789012');
  });
});
