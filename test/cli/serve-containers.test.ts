/**
 * `serve` for containers and sidecars, with the real clients: the AWS CLI v2, botocore and the
 * SDK v3 each through the container endpoint and through IMDSv2, over IPv4 and IPv6 loopback,
 * using only the environment lines serve printed. The token never appears on stdout or stderr.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type RunningEmulator, startEmulator } from '@iamra/emulator';
import { emulatorFlags } from '../support/emulator-process.js';
import { isolatedAwsEnv, peers, repoRoot } from '../support/peers.js';
import { leafFlags, makePki, testDir } from '../support/pki.js';
import { type ServeProcess, startServeProcess } from '../support/serve-process.js';

const run = promisify(execFile);

type Endpoint = 'container' | 'imds';

/** Only one endpoint's variables, so a client cannot fall back to the other. */
function clientEnv(serve: ServeProcess, endpoint: Endpoint): Record<string, string> {
  const chosen = Object.entries(serve.env).filter(([name]) =>
    endpoint === 'imds' ? name.startsWith('AWS_EC2_METADATA') : name.startsWith('AWS_CONTAINER'),
  );
  const env = isolatedAwsEnv(testDir(), {
    AWS_REGION: 'us-east-1',
    AWS_DEFAULT_REGION: 'us-east-1',
    ...Object.fromEntries(chosen),
  });
  if (endpoint === 'imds') delete env.AWS_EC2_METADATA_DISABLED;
  return env;
}

const clients = {
  /**
   * The AWS CLI here (2.9) does not read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: it gets
   * the token's value in AWS_CONTAINER_AUTHORIZATION_TOKEN, as the README tells its users to do.
   */
  'AWS CLI v2': async (env: Record<string, string>, sts: string) => {
    const tokenFile = env.AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE;
    const withToken = tokenFile ? { ...env, AWS_CONTAINER_AUTHORIZATION_TOKEN: readFileSync(tokenFile, 'utf8') } : env;
    const args = ['sts', 'get-caller-identity', '--endpoint-url', sts, '--output', 'json'];
    return (await run(peers.awsCli(), args, { env: withToken })).stdout;
  },
  botocore: async (env: Record<string, string>, sts: string) => {
    const script = [
      'import botocore.session, json',
      `client = botocore.session.get_session().create_client("sts", endpoint_url="${sts}")`,
      'print(json.dumps({"Arn": client.get_caller_identity()["Arn"]}))',
    ].join('\n');
    return (await run(peers.python(), ['-c', script], { env })).stdout;
  },
  /** The default provider chain, as an application uses it: it picks the endpoint from the environment. */
  'SDK v3': async (env: Record<string, string>, sts: string) => {
    const script = `
      import { STSClient, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
      const client = new STSClient({ region: 'us-east-1', endpoint: '${sts}' });
      console.log(JSON.stringify({ Arn: (await client.send(new GetCallerIdentityCommand({}))).Arn }));`;
    return (
      await run(process.execPath, ['--input-type=module', '-e', script], {
        env: { ...env, NODE_NO_WARNINGS: '1' },
        cwd: repoRoot,
      })
    ).stdout;
  },
};

describe('serve for containers and sidecars', function () {
  this.timeout(180_000);
  const pki = makePki({ subjectPrefix: 'containers' });
  let emulator: RunningEmulator;

  before(async () => {
    emulator = await startEmulator({ cas: [pki.root.certPem], lifetimeMs: 175_000 });
  });
  after(() => emulator.stop());

  for (const listen of ['127.0.0.1', '::1']) {
    describe(`--listen ${listen}`, () => {
      let serve: ServeProcess;
      let tokenFile: string;

      before(async () => {
        tokenFile = join(testDir(), 'token');
        serve = await startServeProcess([
          '--listen',
          listen,
          '--port',
          '0',
          '--container-token-file',
          tokenFile,
          ...leafFlags(pki.ecLeaf, pki.intermediate),
          ...emulatorFlags(emulator),
          '--no-cache',
        ]);
      });
      after(() => serve.stop());

      it('prints the client environment, and never the token', () => {
        const host = listen === '::1' ? '\\[::1\\]' : '127\\.0\\.0\\.1';
        assert.match(serve.stdout(), new RegExp(`^AWS_EC2_METADATA_SERVICE_ENDPOINT=http://${host}:\\d+/\\n`));
        assert.match(
          serve.env.AWS_CONTAINER_CREDENTIALS_FULL_URI ?? '',
          new RegExp(`^http://${host}:\\d+/v1/credentials$`),
        );
        assert.equal(serve.env.AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE, tokenFile);
        assert.equal(statSync(tokenFile).mode & 0o777, 0o600);
        const token = readFileSync(tokenFile, 'utf8').trim();
        assert.ok(!serve.stdout().includes(token) && !serve.stderr().includes(token));
      });

      for (const endpoint of ['container', 'imds'] as const) {
        for (const [name, call] of Object.entries(clients)) {
          // The AWS CLI 2.9 takes container credentials only from 127.0.0.1 or localhost; the README
          // says so. Its IMDS client reaches [::1].
          if (listen === '::1' && endpoint === 'container' && name === 'AWS CLI v2') continue;
          it(`${name} through the ${endpoint} endpoint`, async () => {
            const stdout = await call(clientEnv(serve, endpoint), emulator.stsEndpoint);
            assert.match((JSON.parse(stdout) as { Arn: string }).Arn, /^arn:aws:sts::123456789012:assumed-role\//);
          });
        }
      }
    });
  }
});
