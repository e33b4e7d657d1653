/**
 * `serve` and `update` side by side with aws_signing_helper's, both against the emulator: what a
 * client can tell (IMDSv2 paths, token flow, status codes, the credentials JSON's fields and
 * types, what lands in the credentials file), and the AWS CLI working through each.
 */
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { main } from '@iamra/cli';
import { readIniSection } from '@iamra/core';
import { type RunningEmulator, startEmulator } from '@iamra/emulator';
import { runCli } from '../support/cli-run.js';
import { isolatedAwsEnv, peers } from '../support/peers.js';
import { testDir } from '../support/pki.js';
import { conformancePki, leafArgs, runGoHelper } from './support.js';

const run = promisify(execFile);
const BASE = '/latest/meta-data/iam/security-credentials/';
const CREDENTIAL_FIELDS = ['AccessKeyId', 'Code', 'Expiration', 'LastUpdated', 'SecretAccessKey', 'Token', 'Type'];

/** Reads stderr until the pattern's first group shows up (bounded). */
function waitFor(stream: NodeJS.ReadableStream, pattern: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${pattern}: ${text}`)), 20_000);
    stream.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      const match = pattern.exec(text);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
  });
}

/** What an IMDSv2 client sees, reduced to what it can compare. */
async function imdsView(url: string) {
  const put = (headers: Record<string, string>) => fetch(`${url}/latest/api/token`, { method: 'PUT', headers });
  const ttl = { 'X-aws-ec2-metadata-token-ttl-seconds': '300' };
  const tokenResponse = await put(ttl);
  const token = await tokenResponse.text();
  const withToken = { 'X-aws-ec2-metadata-token': token };
  const get = (path: string, headers: Record<string, string> = withToken, method = 'GET') =>
    fetch(`${url}${path}`, { method, headers });
  const roleName = await (await get(BASE)).text();
  const credentials = (await (await get(`${BASE}${roleName}`)).json()) as Record<string, unknown>;
  return {
    statuses: {
      token: tokenResponse.status,
      tokenWithoutTtl: (await put({})).status,
      tokenTtlZero: (await put({ 'X-aws-ec2-metadata-token-ttl-seconds': '0' })).status,
      tokenTtlTooLong: (await put({ 'X-aws-ec2-metadata-token-ttl-seconds': '21601' })).status,
      listWithoutToken: (await get(BASE, {})).status,
      listWithBadToken: (await get(BASE, { 'X-aws-ec2-metadata-token': 'not-a-token' })).status,
      credentialsWithoutToken: (await get(`${BASE}${roleName}`, {})).status,
      tokenByGet: (await get('/latest/api/token', ttl)).status,
      credentialsByPost: (await get(`${BASE}${roleName}`, withToken, 'POST')).status,
    },
    tokenTtlHeader: tokenResponse.headers.get('x-aws-ec2-metadata-token-ttl-seconds'),
    roleName,
    fields: Object.keys(credentials).sort(),
    types: Object.values(credentials).map((value) => typeof value),
    code: credentials.Code,
    type: credentials.Type,
    expiresLater: Date.parse(String(credentials.Expiration)) > Date.now(),
    lastUpdatedParses: !Number.isNaN(Date.parse(String(credentials.LastUpdated))),
  };
}

describe('serve and update beside aws_signing_helper', function () {
  this.timeout(180_000);
  const pki = conformancePki('go serve');
  const dir = testDir();
  const intermediates = join(dir, 'intermediate.pem');
  writeFileSync(intermediates, pki.intermediate.certPem);
  let emulator: RunningEmulator;
  let args: string[];

  before(async () => {
    emulator = await startEmulator({ cas: [pki.root.certPem], lifetimeMs: 170_000 });
    const arns = {
      trustAnchorArn: emulator.trustAnchorArns[0] ?? '',
      profileArn: emulator.profileArn,
      roleArn: emulator.roleArns[0] ?? '',
    };
    args = leafArgs(pki.viaIntermediate.p256, arns, emulator.endpoint, intermediates);
  });
  after(() => emulator.stop());

  async function awsCliArn(extra: Record<string, string>): Promise<string> {
    const env = isolatedAwsEnv(testDir(), { AWS_REGION: 'us-east-1', ...extra });
    if (extra.AWS_EC2_METADATA_SERVICE_ENDPOINT) delete env.AWS_EC2_METADATA_DISABLED;
    const { stdout } = await run(
      peers.awsCli(),
      ['sts', 'get-caller-identity', '--endpoint-url', emulator.stsEndpoint, '--output', 'json'],
      { env, timeout: 60_000 },
    );
    return (JSON.parse(stdout) as { Arn: string }).Arn;
  }

  it('serve: the same IMDSv2 answers, and the AWS CLI works through either', async () => {
    const go = spawn(peers.goHelper(), ['serve', '--port', '0', ...args], {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { PATH: process.env.PATH ?? '', HOME: dir },
    });
    const controller = new AbortController();
    let ourStderr = '';
    const ours = main(['serve', '--port', '0', '--no-cache', ...args], {
      stdout: { write: () => true },
      stderr: {
        write: (text: string) => {
          ourStderr += text;
          return true;
        },
      },
      env: { PATH: process.env.PATH ?? '' },
      signal: controller.signal,
    });
    try {
      const goPort = await waitFor(go.stderr, /Local server started on port: (\d+)/);
      const goUrl = `http://127.0.0.1:${goPort}`;
      const ourUrl = await new Promise<string>((resolve, reject) => {
        const started = Date.now();
        const poll = setInterval(() => {
          const match = /at (http:\/\/127\.0\.0\.1:\d+)\//.exec(ourStderr);
          if (match?.[1]) resolve(match[1]);
          else if (Date.now() - started > 20_000) reject(new Error(`iamra serve did not start: ${ourStderr}`));
          else return;
          clearInterval(poll);
        }, 20);
      });
      const theirs = await imdsView(goUrl);
      assert.deepEqual(theirs.fields, CREDENTIAL_FIELDS, 'the Go helper answers as this test expects');
      assert.deepEqual(await imdsView(ourUrl), theirs);
      for (const url of [goUrl, ourUrl]) {
        assert.match(await awsCliArn({ AWS_EC2_METADATA_SERVICE_ENDPOINT: `${url}/` }), /assumed-role\/iamra-demo\//);
      }
    } finally {
      go.kill('SIGTERM');
      controller.abort();
      assert.equal(await ours, 0, ourStderr);
    }
  });

  it('update --once: the same profile keys in the credentials file, other profiles kept', async () => {
    const seed = '# kept\n[other]\naws_access_key_id = KEEP\n\n[ci]\nregion = eu-west-1\naws_access_key_id = OLD\n';
    const goFile = join(dir, 'go-credentials');
    const ourFile = join(dir, 'our-credentials');
    writeFileSync(goFile, seed);
    writeFileSync(ourFile, seed);
    const go = await runGoHelper(['update', '--profile', 'ci', '--once', ...args], {
      AWS_SHARED_CREDENTIALS_FILE: goFile,
    });
    assert.equal(go.code, 0, go.stderr);
    const ours = await runCli(main, ['update', '--profile', 'ci', '--once', '--no-cache', ...args], {
      AWS_SHARED_CREDENTIALS_FILE: ourFile,
    });
    assert.equal(ours.exitCode, 0, ours.stderr);
    const goText = readFileSync(goFile, 'utf8');
    const ourText = readFileSync(ourFile, 'utf8');
    assert.deepEqual(readIniSection(ourText, 'other'), readIniSection(goText, 'other'));
    const theirProfile = readIniSection(goText, 'ci') ?? {};
    const ourProfile = readIniSection(ourText, 'ci') ?? {};
    assert.deepEqual(Object.keys(theirProfile).sort(), [
      'aws_access_key_id',
      'aws_secret_access_key',
      'aws_session_token',
      'region',
    ]);
    // iamra adds one line no SDK reads: when the credentials expire.
    assert.deepEqual(Object.keys(ourProfile).sort(), [...Object.keys(theirProfile), 'x_iamra_expiration'].sort());
    assert.equal(ourProfile.region, theirProfile.region);
    assert.match(ourProfile.aws_access_key_id ?? '', /^ASIA/);
    assert.ok(ourText.startsWith('# kept\n[other]\naws_access_key_id = KEEP\n'));
    for (const file of [goFile, ourFile]) {
      const arn = await awsCliArn({ AWS_SHARED_CREDENTIALS_FILE: file, AWS_PROFILE: 'ci' });
      assert.match(arn, /assumed-role\/iamra-demo\//);
    }
  });
});
