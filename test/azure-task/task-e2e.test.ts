/**
 * The built task run as the agent runs it, under Node 20 and Node 24, in all three output
 * modes and both input styles, against the emulator and a securefiles stand-in; then the AWS
 * CLI with what it set; the post-job step; a scan of every log.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { readIniSection } from '@iamra/core';
import { type RunningEmulator, startEmulator } from '@iamra/emulator';
import {
  type AgentJob,
  connectionEnv,
  newAgentJob,
  runTaskStep,
  type SecureFile,
  secureFileEnv,
  startSecureFileServer,
  TASK_DIR,
  type TaskRun,
  taskFilesUnder,
} from '../support/azure-agent.js';
import { filesUnder } from '../support/files.js';
import { isolatedAwsEnv, peers } from '../support/peers.js';
import { convertKey, makePki } from '../support/pki.js';
import { azureMask, scanLog } from '../support/secret-scan.js';

const run = promisify(execFile);

describe('Azure DevOps task end to end', function () {
  this.timeout(180_000);
  const pki = makePki({ subjectPrefix: 'azure' });
  const passphrase = 'azure key passphrase';
  const encryptedKey = convertKey(pki.rsaLeaf.key, ['-aes256'], passphrase);
  const token = 'system-vss-connection-token-value';
  const files: SecureFile[] = [
    {
      id: '11111111-aaaa-4bbb-8ccc-000000000001',
      name: 'deploy-cert.pem',
      ticket: 'ticket-cert-0001',
      content: Buffer.from(pki.rsaLeaf.certPem),
    },
    {
      id: '11111111-aaaa-4bbb-8ccc-000000000002',
      name: 'deploy-key.pem',
      ticket: 'ticket-key-00002',
      content: encryptedKey,
    },
    {
      id: '11111111-aaaa-4bbb-8ccc-000000000003',
      name: 'chain.pem',
      ticket: 'ticket-chain-003',
      content: Buffer.from(pki.intermediate.certPem),
    },
  ];
  let emulator: RunningEmulator;
  let secureFiles: Awaited<ReturnType<typeof startSecureFileServer>>;
  const logs: { log: string; secrets: string[]; handled: boolean }[] = [];

  before(async () => {
    emulator = await startEmulator({ cas: [pki.root.certPem], lifetimeMs: 175_000 });
    secureFiles = await startSecureFileServer(token, files, { failFirst: 1 });
  });
  after(async () => {
    await emulator.stop();
    await secureFiles.stop();
  });

  const arnInputs = () => ({
    trustAnchorArn: emulator.trustAnchorArns[0] ?? '',
    profileArn: emulator.profileArn,
    roleArn: emulator.roleArns[0] ?? '',
    endpoint: emulator.endpoint,
    privateKeyPassphrase: passphrase,
  });

  function pathInputs(job: AgentJob): Record<string, string> {
    const write = (name: string, content: Buffer | string) => {
      const path = join(job.home, name);
      writeFileSync(path, content, { mode: 0o600 });
      return path;
    };
    return {
      certificateFile: write('cert.pem', pki.rsaLeaf.certPem),
      privateKeyFile: write('key.pem', encryptedKey),
      certificateChainFile: write('chain.pem', pki.intermediate.certPem),
    };
  }

  const secureInputs = () => ({
    certificateSecureFile: files[0]?.id ?? '',
    privateKeySecureFile: files[1]?.id ?? '',
    certificateChainSecureFile: files[2]?.id ?? '',
  });

  /** handled: the step read the key material, so it must have masked all of it. */
  function record(result: TaskRun, handled = true, withToken = true): TaskRun {
    const credentials = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN']
      .map((name) => result.variables[name]?.value)
      .filter((value): value is string => Boolean(value));
    logs.push({
      log: result.stdout,
      secrets: [encryptedKey.toString(), passphrase, ...(withToken ? [token] : []), ...credentials],
      handled,
    });
    return result;
  }

  async function callerIdentity(job: AgentJob, env: Record<string, string>): Promise<string> {
    const { stdout } = await run(
      peers.awsCli(),
      ['sts', 'get-caller-identity', '--endpoint-url', emulator.stsEndpoint, '--output', 'json'],
      {
        env: { ...isolatedAwsEnv(job.home), ...env },
      },
    );
    return (JSON.parse(stdout) as { Arn: string }).Arn;
  }

  const nodes: [string, () => string][] = [
    ['Node 20', peers.node20],
    ['Node 24', peers.node24],
  ];
  const modes = ['credentialProcess', 'environment', 'both'] as const;
  const styles = ['secure files', 'file paths'] as const;

  for (const [nodeName, node] of nodes) {
    for (const mode of modes) {
      for (const style of styles) {
        it(`${nodeName}, ${mode}, ${style}`, async () => {
          const job = newAgentJob();
          const inputs = {
            ...arnInputs(),
            ...(style === 'secure files' ? secureInputs() : pathInputs(job)),
            outputMode: mode,
            profileName: 'deploy',
          };
          // Debug on, as a user chasing a problem would run it: the logs are scanned all the same.
          const env = {
            SYSTEM_DEBUG: 'true',
            ...(style === 'secure files' ? secureFileEnv(secureFiles.collectionUri, token, files) : {}),
          };
          const main = record(await runTaskStep(node(), 'main', job, inputs, env), true, style === 'secure files');
          assert.equal(main.result?.status, 'Succeeded', main.stdout);
          assert.equal(main.exitCode, 0);
          assert.ok(
            main.commands.some((c) => c.command === 'task.debug'),
            'debug lines with system.debug',
          );
          assert.match(main.variables.AssumedRoleArn?.value ?? '', /assumed-role\/iamra-demo\//);
          assert.equal(main.variables.AccountId?.output, true);
          assert.ok(main.commands.some((c) => c.command === 'task.uploadsummary'));
          const awsEnv: Record<string, string> = {};
          if (mode !== 'environment') {
            assert.equal(main.variables.AWS_CONFIG_FILE?.secret, false);
            assert.ok(main.variables.AWS_CONFIG_FILE?.value.startsWith(job.tempDir));
            assert.equal(main.variables.AWS_PROFILE?.value, 'deploy');
            for (const file of filesUnder(join(job.tempDir, 'iamra'))) {
              if (!file.endsWith('.md')) assert.equal(statSync(file).mode & 0o777, 0o600, file);
            }
            Object.assign(awsEnv, {
              AWS_CONFIG_FILE: main.variables.AWS_CONFIG_FILE?.value ?? '',
              AWS_PROFILE: 'deploy',
            });
          }
          if (mode !== 'credentialProcess') {
            for (const name of [
              'AWS_ACCESS_KEY_ID',
              'AWS_SECRET_ACCESS_KEY',
              'AWS_SESSION_TOKEN',
              'AWS.AccessKeyID',
              'AWS.SecretAccessKey',
              'AWS.SessionToken',
            ]) {
              assert.equal(main.variables[name]?.secret, true, `${name} is secret`);
            }
            if (mode === 'environment') {
              // Secret variables reach scripts only through an env: mapping.
              Object.assign(awsEnv, {
                AWS_ACCESS_KEY_ID: main.variables.AWS_ACCESS_KEY_ID?.value ?? '',
                AWS_SECRET_ACCESS_KEY: main.variables.AWS_SECRET_ACCESS_KEY?.value ?? '',
                AWS_SESSION_TOKEN: main.variables.AWS_SESSION_TOKEN?.value ?? '',
              });
            }
          }
          awsEnv.AWS_REGION = main.variables.AWS_REGION?.value ?? '';
          const sessionsBefore = emulator.stats().createSession;
          assert.match(await callerIdentity(job, awsEnv), /assumed-role\/iamra-demo\//);
          // The profile's cache was primed by the step: the AWS CLI's call makes no CreateSession.
          assert.equal(emulator.stats().createSession - sessionsBefore, 0);
          const post = record(await runTaskStep(node(), 'post', job, inputs), false);
          assert.notEqual(post.result?.status, 'Failed', post.stdout);
          assert.deepEqual(taskFilesUnder(job.tempDir), [], 'files left after post-job: 0');
          assert.deepEqual(
            readdirSync(job.home).filter((name) => !/^(cert|key|chain)\.pem$/.test(name)),
            [],
            'nothing under HOME',
          );
        });
      }
    }
  }

  it("awsRegion sets only the region later steps get: CreateSession goes to the trust anchor's", async () => {
    const job = newAgentJob();
    const inputs = { ...arnInputs(), ...pathInputs(job), outputMode: 'credentialProcess', awsRegion: 'eu-west-1' };
    const main = record(await runTaskStep(peers.node24(), 'main', job, inputs), true, false);
    assert.equal(main.result?.status, 'Succeeded', main.stdout);
    assert.equal(main.variables.AWS_REGION?.value, 'eu-west-1');
    const config = readFileSync(main.variables.AWS_CONFIG_FILE?.value ?? '', 'utf8');
    assert.equal(readIniSection(config, 'default')?.region, 'eu-west-1');
    assert.match(readIniSection(config, 'default')?.credential_process ?? '', / --region us-east-1 /);
    await runTaskStep(peers.node24(), 'post', job, inputs);
  });

  it("a self-hosted agent's own profiles stay usable: the job's config carries ~/.aws/config, ours win a clash", async () => {
    const job = newAgentJob();
    const awsDir = join(job.home, '.aws');
    mkdirSync(awsDir, { mode: 0o700 });
    const userConfig = '[default]\nregion = sa-east-1\n\n[profile mine]\nregion = ap-south-1\noutput = text\n';
    const userCredentials =
      '[default]\naws_access_key_id = AKIAUSERDEFAULT00000\naws_secret_access_key = user-secret\n';
    writeFileSync(join(awsDir, 'config'), userConfig);
    writeFileSync(join(awsDir, 'credentials'), userCredentials);
    const inputs = { ...arnInputs(), ...pathInputs(job), outputMode: 'credentialProcess' };
    const main = record(await runTaskStep(peers.node24(), 'main', job, inputs), true, false);
    assert.equal(main.result?.status, 'Succeeded', main.stdout);
    assert.match(
      main.stdout,
      /profileName default replaces the profile default of .*\.aws\/config in this job \(config file\)/,
    );
    assert.match(
      main.stdout,
      /profileName default replaces the profile default of .*\.aws\/credentials in this job \(credentials file\)/,
    );
    const awsEnv = {
      AWS_CONFIG_FILE: main.variables.AWS_CONFIG_FILE?.value ?? '',
      AWS_SHARED_CREDENTIALS_FILE: main.variables.AWS_SHARED_CREDENTIALS_FILE?.value ?? '',
    };
    assert.ok(awsEnv.AWS_SHARED_CREDENTIALS_FILE.startsWith(job.tempDir), 'the credentials copy lives in the job');
    assert.equal(readIniSection(readFileSync(awsEnv.AWS_SHARED_CREDENTIALS_FILE, 'utf8'), 'default'), undefined);
    const { stdout: region } = await run(peers.awsCli(), ['configure', 'get', 'region', '--profile', 'mine'], {
      env: { ...isolatedAwsEnv(job.home), ...awsEnv },
    });
    assert.equal(region.trim(), 'ap-south-1');
    assert.match(await callerIdentity(job, { ...awsEnv, AWS_PROFILE: 'default' }), /assumed-role\/iamra-demo\//);
    assert.equal(readFileSync(join(awsDir, 'config'), 'utf8'), userConfig, "the user's files are only read");
    assert.equal(readFileSync(join(awsDir, 'credentials'), 'utf8'), userCredentials);
    await runTaskStep(peers.node24(), 'post', job, inputs);
    assert.deepEqual(taskFilesUnder(job.tempDir), [], 'files left after post-job: 0');
  });

  it("keeps V8's code cache of its bundle beside it (main/.code-cache, private): one run makes it, the next takes it", async () => {
    const cacheDir = join(TASK_DIR, 'main', '.code-cache');
    rmSync(cacheDir, { recursive: true, force: true });
    const step = async () => {
      const job = newAgentJob();
      const inputs = { ...arnInputs(), ...pathInputs(job) };
      const main = await runTaskStep(peers.node20(), 'main', job, inputs);
      assert.equal(main.result?.status, 'Succeeded', main.stdout);
      await runTaskStep(peers.node20(), 'post', job, inputs);
    };
    await step();
    const made = readdirSync(cacheDir);
    assert.equal(made.length, 1, made.join(', '));
    assert.match(made[0] ?? '', /^code-[0-9a-f]{32}-v\d+\.\d+\.\d+-[a-z0-9]+-task\.js\.v8$/);
    const file = join(cacheDir, made[0] ?? '');
    if (process.platform !== 'win32') {
      assert.equal(statSync(cacheDir).mode & 0o777, 0o700);
      assert.equal(statSync(file).mode & 0o777, 0o600);
    }
    const stamp = statSync(file).mtimeMs;
    await step();
    assert.deepEqual(readdirSync(cacheDir), made);
    assert.equal(statSync(file).mtimeMs, stamp, 'V8 took the cache: nothing was written again');
  });

  it('retried the securefiles route after a 503', () => assert.ok(secureFiles.requests > 3 * 6));

  it('a wrong ticket fails with one clear error', async () => {
    const job = newAgentJob();
    const env = secureFileEnv(secureFiles.collectionUri, token, files);
    env[`SECUREFILE_TICKET_${files[0]?.id}`] = 'forged-ticket';
    const main = record(
      await runTaskStep(peers.node20(), 'main', job, { ...arnInputs(), ...secureInputs() }, env),
      false,
    );
    assert.equal(main.result?.status, 'Failed');
    assert.equal(main.exitCode, 0, 'task-lib tasks exit 0: the agent adds no second error');
    assert.match(
      main.result?.message ?? '',
      /^FILE_UNREADABLE: input certificateSecureFile: could not download secure file deploy-cert.pem \(HTTP 403\)/,
    );
    const errors = main.commands.filter((c) => c.command === 'task.issue' && c.properties.type === 'error');
    assert.equal(errors.length, 1);
  });

  it("goes through the agent's proxy (Agent.ProxyUrl, credentials, bypass list) for the secure files and CreateSession", async () => {
    // A forward proxy for plain-HTTP targets: absolute-form requests, passed on and counted.
    const seen: string[] = [];
    const proxy = http.createServer((request, response) => {
      seen.push(`${request.method} ${request.url} ${request.headers['proxy-authorization'] ?? ''}`);
      const target = new URL(request.url ?? '');
      const headers = { ...request.headers };
      delete headers['proxy-authorization'];
      const upstream = http.request(target, { method: request.method, headers }, (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      });
      upstream.on('error', () => response.writeHead(502).end());
      request.pipe(upstream);
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const { port } = proxy.address() as { port: number };
    try {
      const password = 'proxy p@ss;word';
      const proxyEnv = {
        ...secureFileEnv(secureFiles.collectionUri, token, files),
        AGENT_PROXYURL: `http://127.0.0.1:${port}`,
        AGENT_PROXYUSERNAME: 'agent-user',
        SECRET_AGENT_PROXYPASSWORD: password,
        AGENT_PROXYBYPASSLIST: JSON.stringify(['^https://never\\.example/']),
      };
      const main = await runTaskStep(
        peers.node20(),
        'main',
        newAgentJob(),
        { ...arnInputs(), ...secureInputs() },
        proxyEnv,
      );
      assert.equal(main.result?.status, 'Succeeded', main.stdout);
      const basic = `Basic ${Buffer.from(`agent-user:${password}`).toString('base64')}`;
      assert.ok(
        seen.some(
          (line) =>
            line.startsWith('GET http://127.0.0.1:') &&
            line.includes('/_apis/distributedtask/securefiles/') &&
            line.endsWith(basic),
        ),
        seen.join('\n'),
      );
      assert.ok(
        seen.some((line) => line.startsWith(`POST ${emulator.endpoint}/sessions?`) && line.endsWith(basic)),
        seen.join('\n'),
      );
      const shown = main.stdout.split('\n').filter((line) => line.includes(password));
      // task-lib echoes the agent's variables in debug lines: only after the mask, which hides them.
      assert.equal(shown[0], `##vso[task.setsecret]${password}`, 'the password is masked before it appears');

      // The profile's own refresh (here forced by emptying its cache) goes through the same proxy.
      const configFile = main.variables.AWS_CONFIG_FILE?.value ?? '';
      assert.ok(!readFileSync(configFile, 'utf8').includes(password), 'no proxy password in the AWS config');
      const command = readIniSection(readFileSync(configFile, 'utf8'), 'default')?.credential_process ?? '';
      const cacheDir = join(dirname(configFile), 'cache');
      for (const entry of readdirSync(cacheDir)) rmSync(join(cacheDir, entry));
      seen.length = 0;
      const refreshed = await promisify(execFile)('sh', ['-c', command], { env: { PATH: process.env.PATH ?? '' } });
      assert.match(refreshed.stdout, /"AccessKeyId"/);
      assert.ok(
        seen.some((line) => line.startsWith(`POST ${emulator.endpoint}/sessions?`) && line.endsWith(basic)),
        seen.join('\n'),
      );

      // A bypass entry matching the service URL sends CreateSession direct.
      seen.length = 0;
      const bypassed = await runTaskStep(
        peers.node20(),
        'main',
        newAgentJob(),
        { ...arnInputs(), ...secureInputs() },
        {
          ...proxyEnv,
          AGENT_PROXYBYPASSLIST: JSON.stringify([`^${emulator.endpoint.replace(/[.]/g, '\\.')}`]),
        },
      );
      assert.equal(bypassed.result?.status, 'Succeeded', bypassed.stdout);
      assert.ok(!seen.some((line) => line.startsWith('POST')), seen.join('\n'));
    } finally {
      await new Promise((resolve) => proxy.close(resolve));
    }
  });

  it('a service connection alone: key and passphrase masked line by line first, key written only into the profile', async () => {
    const id = '0f6a7c2e-3b4d-4e5f-8a9b-c0d1e2f3a4b5';
    const job = newAgentJob();
    const env: Record<string, string> = {
      SYSTEM_DEBUG: 'true',
      ...connectionEnv({
        id,
        certificate: pki.rsaLeaf.certPem,
        privateKey: encryptedKey.toString(),
        passphrase,
        trustAnchorArn: emulator.trustAnchorArns[0] ?? '',
        profileArn: emulator.profileArn,
        roleArn: emulator.roleArns[0] ?? '',
      }),
    };
    const inputs = { rolesAnywhereConnection: id, endpoint: emulator.endpoint, profileName: 'conn' };
    const main = record(await runTaskStep(peers.node20(), 'main', job, inputs, env), true, false);
    assert.equal(main.result?.status, 'Failed', 'no chain: the emulator refuses the leaf alone');
    assert.match(main.result?.message ?? '', /^CREATE_SESSION_DENIED/);

    const withChain = newAgentJob();
    env[`ENDPOINT_AUTH_PARAMETER_${id}_CERTIFICATE`] = `${pki.rsaLeaf.certPem}${pki.intermediate.certPem}`;
    const ok = record(await runTaskStep(peers.node20(), 'main', withChain, inputs, env), true, false);
    assert.equal(ok.result?.status, 'Succeeded', ok.stdout);
    const keyFiles = filesUnder(withChain.tempDir).filter((file) => readFileSync(file, 'utf8').includes('ENCRYPTED'));
    assert.deepEqual(
      keyFiles.map((file) => file.slice(withChain.tempDir.length)),
      ['/iamra/profiles/conn/private-key'],
      'the key is written only where a file input is written: the profile',
    );
    const post = record(await runTaskStep(peers.node20(), 'post', withChain, inputs), false, false);
    assert.notEqual(post.result?.status, 'Failed');
    assert.deepEqual(taskFilesUnder(withChain.tempDir), []);
  });

  it('logs: no secret unmasked, each mask first', () => {
    assert.ok(logs.length >= 24);
    for (const { log, secrets, handled } of logs) {
      assert.deepEqual(
        scanLog(log, secrets, { maskedValue: azureMask, allowAfterMask: true, requireMasked: handled }),
        [],
      );
    }
  });
});
