/**
 * `serve` (IMDSv2) with the AWS SDK v3 and the AWS CLI; its edge cases; `update` keeping a
 * credentials file fresh across a forced expiry.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { IamraError, readIniSection, type SessionCredentials } from '@iamra/core';
import { type RunningEmulator, startEmulator } from '@iamra/emulator';
import { runUpdateLoop, writeCredentialsProfile } from '../../packages/cli/src/commands/update.js';
import { startImds } from '../../packages/cli/src/imds/server.js';
import { emulatorFlags } from '../support/emulator-process.js';
import { isolatedAwsEnv, peers, repoRoot } from '../support/peers.js';
import { leafFlags, makePki, testDir } from '../support/pki.js';
import { sessionCredentials } from '../support/session-credentials.js';

const run = promisify(execFile);
const bin = join(repoRoot, 'packages', 'cli', 'bin', 'iamra.js');

const credentials = (expiration: Date, id = 'ASIAEXAMPLEEXAMPLE01') =>
  sessionCredentials(expiration, { accessKeyId: id });

async function waitForLine(child: ChildProcess, pattern: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${pattern}: ${text}`)), 20_000);
    const onData = (chunk: Buffer) => {
      text += chunk.toString();
      const match = pattern.exec(text);
      if (match) {
        clearTimeout(timer);
        resolve(match[1] ?? match[0]);
      }
    };
    child.stderr?.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited ${code}: ${text}`));
    });
  });
}

describe('serve and update', function () {
  this.timeout(120_000);
  const pki = makePki({ subjectPrefix: 'serve' });
  let emulator: RunningEmulator;

  before(async () => {
    emulator = await startEmulator({ cas: [pki.root.certPem], lifetimeMs: 115_000 });
  });
  after(() => emulator.stop());

  const helperFlags = () => [...leafFlags(pki.rsaLeaf, pki.intermediate), ...emulatorFlags(emulator), '--no-cache'];

  it('serve works with the AWS SDK v3 and the AWS CLI through AWS_EC2_METADATA_SERVICE_ENDPOINT', async () => {
    const child = spawn(process.execPath, [bin, 'serve', '--port', '0', ...helperFlags()], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    try {
      const url = await waitForLine(child, /serving credentials for \S+ at (http:\/\/127\.0\.0\.1:\d+)\//);
      const home = testDir();
      const env = isolatedAwsEnv(home, { AWS_EC2_METADATA_SERVICE_ENDPOINT: `${url}/`, AWS_REGION: 'us-east-1' });
      delete env.AWS_EC2_METADATA_DISABLED;
      const cli = await run(peers.awsCli(), ['sts', 'get-caller-identity', '--endpoint-url', emulator.stsEndpoint], {
        env,
      });
      assert.match(cli.stdout, /assumed-role\/iamra-demo/);
      const script = `
        import { STSClient, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
        import { fromInstanceMetadata } from '@aws-sdk/credential-providers';
        const client = new STSClient({ region: 'us-east-1', endpoint: '${emulator.stsEndpoint}', credentials: fromInstanceMetadata() });
        console.log((await client.send(new GetCallerIdentityCommand({}))).Arn);`;
      const sdk = await run(process.execPath, ['--input-type=module', '-e', script], {
        env: { ...env, NODE_NO_WARNINGS: '1' },
        cwd: repoRoot,
      });
      assert.match(sdk.stdout, /assumed-role\/iamra-demo/);
    } finally {
      child.kill('SIGTERM');
    }
  });

  it('serve fails fast when the first CreateSession fails', async () => {
    const flags = helperFlags();
    flags[flags.indexOf('--role-arn') + 1] = 'arn:aws:iam::123456789012:role/not-in-profile';
    const result = await run(process.execPath, [bin, 'serve', '--port', '0', ...flags]).catch(
      (error: { code: number; stderr: string }) => error,
    );
    assert.equal((result as { code: number }).code, 3);
    assert.match((result as { stderr: string }).stderr, /^iamra: CREATE_SESSION_DENIED: /);
  });

  describe('IMDS edge cases', () => {
    let now = new Date('2026-01-01T00:00:00Z');
    let current: SessionCredentials | undefined = credentials(new Date('2026-01-01T01:00:00Z'));
    let imds: Awaited<ReturnType<typeof startImds>>;
    before(async () => {
      imds = await startImds({ port: 0, roleName: 'deploy', current: () => current, now: () => now, tokenCapacity: 3 });
    });
    after(() => imds.stop());
    const token = async (ttl: string) =>
      fetch(`${imds.url}/latest/api/token`, {
        method: 'PUT',
        headers: { 'X-aws-ec2-metadata-token-ttl-seconds': ttl },
      });
    const get = (path: string, headers: Record<string, string> = {}) => fetch(`${imds.url}${path}`, { headers });
    const base = '/latest/meta-data/iam/security-credentials/';

    it('rejects a TTL outside 1..21600; no TTL is the longest (as aws_signing_helper answers)', async () => {
      for (const ttl of ['0', '21601', 'abc']) assert.equal((await token(ttl)).status, 400, ttl);
      const withoutTtl = await token('');
      assert.equal(withoutTtl.status, 200);
      assert.equal(withoutTtl.headers.get('x-aws-ec2-metadata-token-ttl-seconds'), '21600');
    });
    it('answers 401 without a valid token, and with an expired one', async () => {
      assert.equal((await get(base)).status, 401);
      const value = await (await token('1')).text();
      assert.equal((await get(base, { 'X-aws-ec2-metadata-token': value })).status, 200);
      now = new Date(now.getTime() + 2000);
      assert.equal((await get(base, { 'X-aws-ec2-metadata-token': value })).status, 401);
    });
    it('rejects X-Forwarded-For', async () => {
      const value = await (await token('60')).text();
      assert.equal((await get(base, { 'X-aws-ec2-metadata-token': value, 'X-Forwarded-For': '10.0.0.1' })).status, 403);
    });
    it('serves the role and its credentials, 404 for other names', async () => {
      const value = await (await token('60')).text();
      const headers = { 'X-aws-ec2-metadata-token': value };
      assert.equal(await (await get(base, headers)).text(), 'deploy');
      const body = (await (await get(`${base}deploy`, headers)).json()) as Record<string, string>;
      assert.equal(body.Code, 'Success');
      assert.equal(body.AccessKeyId, 'ASIAEXAMPLEEXAMPLE01');
      assert.equal((await get(`${base}other`, headers)).status, 404);
    });
    it('never serves expired credentials (500)', async () => {
      const value = await (await token('600')).text();
      current = credentials(new Date(now.getTime() - 1000));
      assert.equal((await get(`${base}deploy`, { 'X-aws-ec2-metadata-token': value })).status, 500);
      current = credentials(new Date(now.getTime() + 3_600_000));
    });
    it('bounds its token store', async () => {
      for (let i = 0; i < 10; i += 1) await token('600');
      assert.ok(imds.tokens.size <= 3, `${imds.tokens.size} tokens kept`);
    });
  });

  describe('update', () => {
    it('writes atomically, keeps other profiles and comments, file 0600', async () => {
      const dir = testDir();
      const path = join(dir, 'credentials');
      writeFileSync(path, '# my comment\n[other]\naws_access_key_id = KEEP\n');
      await writeCredentialsProfile(path, 'ci', credentials(new Date('2026-01-01T01:00:00Z')));
      const text = readFileSync(path, 'utf8');
      assert.match(text, /^# my comment\n\[other\]\naws_access_key_id = KEEP\n/);
      assert.equal(readIniSection(text, 'ci')?.aws_secret_access_key, 'secret/with+chars');
      assert.equal(statSync(path).mode & 0o777, 0o600);
    });

    it('refreshes across a forced expiry and keeps valid credentials when a refresh fails', async () => {
      let now = new Date('2026-01-01T00:00:00Z');
      const written: string[] = [];
      const log: string[] = [];
      let calls = 0;
      const getCredentials = async () => {
        calls += 1;
        if (calls === 2) throw new IamraError('SERVICE_UNAVAILABLE', 'down for a moment');
        return credentials(new Date(now.getTime() + 3_600_000), `ASIAEXAMPLEEXAMPLE0${calls}`);
      };
      let waits = 0;
      await runUpdateLoop(getCredentials, async (c) => void written.push(c.accessKeyId), {
        now: () => now,
        wait: async (ms) => {
          waits += 1;
          now = new Date(now.getTime() + ms);
          return waits <= 2;
        },
        log: (line) => log.push(line),
      });
      assert.deepEqual(written, ['ASIAEXAMPLEEXAMPLE01', 'ASIAEXAMPLEEXAMPLE03']);
      assert.ok(
        log.some((line) =>
          /refresh failed \(SERVICE_UNAVAILABLE: down for a moment\); keeping the current credentials/.test(line),
        ),
      );
      assert.equal(now.toISOString() > '2026-01-01T00:55:00.000Z', true, 'refreshed 5 minutes before expiry');
    });

    it('update --once against the emulator writes a profile the AWS CLI uses', async () => {
      const home = testDir();
      const credentialsFile = join(home, 'credentials');
      await run(process.execPath, [bin, 'update', '--profile', 'ci', '--once', ...helperFlags()], {
        env: { PATH: process.env.PATH ?? '', AWS_SHARED_CREDENTIALS_FILE: credentialsFile },
      });
      const env = isolatedAwsEnv(home, {
        AWS_SHARED_CREDENTIALS_FILE: credentialsFile,
        AWS_PROFILE: 'ci',
        AWS_REGION: 'us-east-1',
      });
      const { stdout } = await run(
        peers.awsCli(),
        ['sts', 'get-caller-identity', '--endpoint-url', emulator.stsEndpoint],
        { env },
      );
      assert.match(stdout, /assumed-role\/iamra-demo/);
    });
  });
});
