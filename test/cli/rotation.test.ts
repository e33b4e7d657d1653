/**
 * Certificate rotation without a restart: the files are replaced the way cert-manager and
 * renewal scripts do it (new file, then rename over the old path). `serve` uses the new
 * certificate at its next refresh; `credential-process` never answers the new certificate from
 * the old one's cache entry, and each certificate keeps its own entry.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFileSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { type RunningEmulator, startEmulator } from '@iamra/emulator';
import { emulatorFlags } from '../support/emulator-process.js';
import { repoRoot } from '../support/peers.js';
import { type IssuedCert, makePki, testDir } from '../support/pki.js';
import { startServeProcess } from '../support/serve-process.js';

const run = promisify(execFile);
const bin = join(repoRoot, 'packages', 'cli', 'bin', 'iamra.js');

interface Credentials {
  AccessKeyId: string;
  SecretAccessKey: string;
  Token?: string;
  SessionToken?: string;
}

describe('certificate rotation without restart', function () {
  this.timeout(120_000);
  const pki = makePki({ subjectPrefix: 'rotation' });
  let emulator: RunningEmulator;

  before(async () => {
    emulator = await startEmulator({ cas: [pki.root.certPem], lifetimeMs: 115_000 });
  });
  after(() => emulator.stop());

  /** A directory holding cert.pem and key.pem, as a renewal agent keeps them. */
  function materialDir(leaf: IssuedCert): { dir: string; flags: string[] } {
    const dir = testDir();
    install(dir, leaf);
    const flags = ['--certificate', join(dir, 'cert.pem'), '--private-key', join(dir, 'key.pem')];
    return { dir, flags: [...flags, '--intermediates', pki.intermediate.certPath] };
  }
  /** New files first, then a rename over each path: a reader sees the old file or the new one. */
  function install(dir: string, leaf: IssuedCert) {
    copyFileSync(leaf.keyPath, join(dir, 'key.new'));
    copyFileSync(leaf.certPath, join(dir, 'cert.new'));
    renameSync(join(dir, 'key.new'), join(dir, 'key.pem'));
    renameSync(join(dir, 'cert.new'), join(dir, 'cert.pem'));
  }
  /** The session name in the caller's ARN: the emulator uses the certificate's serial. */
  async function sessionOf(credentials: Credentials): Promise<string> {
    const client = new STSClient({
      region: 'us-east-1',
      endpoint: emulator.stsEndpoint,
      credentials: {
        accessKeyId: credentials.AccessKeyId,
        secretAccessKey: credentials.SecretAccessKey,
        sessionToken: credentials.Token ?? credentials.SessionToken ?? '',
      },
    });
    const { Arn } = await client.send(new GetCallerIdentityCommand({}));
    return (Arn ?? '').split('/').pop()?.replace(/^0+/, '') ?? '';
  }
  const serialOf = (leaf: IssuedCert) => leaf.serialHex.replace(/^0+/, '');

  it('serve uses the renewed certificate at its next refresh', async () => {
    const { dir, flags } = materialDir(pki.ecLeaf);
    const tokenFile = join(testDir(), 'token');
    // Sessions of 900 s refreshed 897 s before expiry: a refresh every 3 s.
    const serve = await startServeProcess([
      '--port',
      '0',
      '--container-token-file',
      tokenFile,
      ...flags,
      ...emulatorFlags(emulator),
      '--session-duration',
      '900',
      '--cache-refresh-seconds',
      '897',
      '--cache-dir',
      join(testDir(), 'cache'),
    ]);
    try {
      const fetchCredentials = async () => {
        const url = serve.env.AWS_CONTAINER_CREDENTIALS_FULL_URI ?? '';
        const response = await fetch(url, { headers: { Authorization: readFileSync(tokenFile, 'utf8') } });
        assert.equal(response.status, 200);
        return (await response.json()) as Credentials;
      };
      assert.equal(await sessionOf(await fetchCredentials()), serialOf(pki.ecLeaf));
      install(dir, pki.rsaLeaf);
      const offset = serve.stderr().length;
      await serve.waitForStderr(/credentials refreshed/, offset);
      assert.equal(await sessionOf(await fetchCredentials()), serialOf(pki.rsaLeaf));
      assert.ok(!serve.stderr().includes('refresh failed'), serve.stderr());
    } finally {
      await serve.stop();
    }
  });

  it('credential-process: the new certificate gets its own cache entry, the old one is kept for it', async () => {
    const { dir, flags } = materialDir(pki.ecLeaf);
    const args = [bin, 'credential-process', ...flags, ...emulatorFlags(emulator), '--cache-dir', join(testDir(), 'c')];
    const call = async () => JSON.parse((await run(process.execPath, args)).stdout) as Credentials;
    const sessions = () => emulator.stats().createSession;

    const start = sessions();
    assert.equal(await sessionOf(await call()), serialOf(pki.ecLeaf));
    await call();
    assert.equal(sessions() - start, 1, 'the second call is a cache hit');

    install(dir, pki.rsaLeaf);
    assert.equal(await sessionOf(await call()), serialOf(pki.rsaLeaf), 'never the old entry for the new certificate');
    await call();
    assert.equal(sessions() - start, 2);

    install(dir, pki.ecLeaf);
    assert.equal(await sessionOf(await call()), serialOf(pki.ecLeaf));
    assert.equal(sessions() - start, 2, 'back to the first certificate: its entry is still valid');
  });
});
