/**
 * The Azure task on a self-hosted agent with its key on a PKCS#11 token (SoftHSM2): the
 * pkcs11Certificate/pkcs11PrivateKey URIs, pkcs11Lib, the PIN from a secret variable bound to
 * pkcs11Pin or from IAMRA_PKCS11_PIN. In-process (runTask with an agent that records what the
 * task asks of it), then the built task under Node 24 as the agent runs it, with the AWS CLI v2
 * refreshing through the profile, which signs on the token. No log holds the PIN.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type RunningEmulator, startEmulator } from '@iamra/emulator';
import type { Agent, TaskResult } from '../../packages/azure-task/src/agent/agent.js';
import { runTask } from '../../packages/azure-task/src/main.js';
import { newAgentJob, runTaskStep, type TaskRun, taskFilesUnder } from '../support/azure-agent.js';
import { isolatedAwsEnv, peers, repoRoot } from '../support/peers.js';
import { testDir } from '../support/pki.js';
import { withProcessEnv } from '../support/process-env.js';
import { azureMask, scanLog } from '../support/secret-scan.js';
import { makeSoftToken, type SoftToken, USER_PIN } from '../support/softhsm.js';

const run = promisify(execFile);

/** What the task did through the agent contract, in order. */
interface Recorded {
  variables: Record<string, { value: string; secret: boolean }>;
  lines: string[];
  result: { status: TaskResult; message: string } | undefined;
}

/** The agent contract the task uses, answered from plain maps and recorded. */
function recordingAgent(inputs: Record<string, string>, variables: Record<string, string>): [Agent, Recorded] {
  const recorded: Recorded = { variables: {}, lines: [], result: undefined };
  const agent = {
    input: (name: string) => inputs[name]?.trim() || undefined,
    variable: (name: string) => variables[name] || undefined,
    connectionParameter: () => undefined,
    endpointAuthParameter: () => undefined,
    secureFileTicket: () => undefined,
    secureFileName: () => undefined,
    proxy: () => undefined,
    certificates: () => undefined,
    setSecret: (value: string | undefined) => value && recorded.lines.push(`##vso[task.setsecret]${value}`),
    setVariable: (name: string, value: string, options: { secret?: boolean } = {}) => {
      recorded.variables[name] = { value, secret: options.secret ?? false };
    },
    info: (line: string) => recorded.lines.push(line),
    debug: (line: string) => recorded.lines.push(`##[debug]${line}`),
    warning: (line: string) => recorded.lines.push(`##[warning]${line}`),
    uploadSummary: () => {},
    complete: (status: TaskResult, message: string) => {
      recorded.result = { status, message };
    },
  };
  return [agent as unknown as Agent, recorded];
}

describe('Azure task with keys on a PKCS#11 token (SoftHSM2)', function () {
  this.timeout(180_000);
  let token: SoftToken;
  let emulator: RunningEmulator;
  const logs: string[] = [];

  before(async () => {
    token = makeSoftToken({ label: 'iamra-task' });
    emulator = await startEmulator({ cas: [token.pki.root.certPem], lifetimeMs: 175_000 });
  });
  after(async () => {
    await emulator.stop();
    // task-lib echoes inputs in debug lines after the task masked them: the agent shows those as ***.
    const problems = logs.flatMap((log) =>
      scanLog(log, [USER_PIN], { maskedValue: azureMask, allowAfterMask: true, requireMasked: false }),
    );
    assert.deepEqual(problems, [], 'the PIN appeared in a log');
  });

  const baseInputs = (): Record<string, string> => ({
    trustAnchorArn: emulator.trustAnchorArns[0] ?? '',
    profileArn: emulator.profileArn,
    roleArn: emulator.roleArns[0] ?? '',
    endpoint: emulator.endpoint,
    certificateChainFile: token.pki.intermediate.certPath,
    pkcs11Lib: token.module,
    profileName: 'hsm',
  });

  async function inProcess(inputs: Record<string, string>, env: Record<string, string> = {}): Promise<Recorded> {
    const tempDir = join(testDir(), 'agent-temp');
    mkdirSync(tempDir);
    const [agent, recorded] = recordingAgent(inputs, { 'Agent.TempDirectory': tempDir });
    await withProcessEnv({ ...token.env, ...env }, () => runTask(agent));
    logs.push(recorded.lines.join('\n'));
    return recorded;
  }

  it('profile mode in-process: no key file; the profile names the URIs, the module and a 0600 PIN file', async () => {
    const before = emulator.stats().createSessionOk;
    const recorded = await inProcess({
      ...baseInputs(),
      pkcs11Certificate: token.rsa.certUri,
      pkcs11PrivateKey: token.rsa.keyUri,
      pkcs11Pin: USER_PIN,
    });
    assert.equal(recorded.result?.status, 'Succeeded', recorded.result?.message);
    assert.equal(emulator.stats().createSessionOk - before, 1);
    const configFile = recorded.variables.AWS_CONFIG_FILE?.value ?? '';
    const profileDir = join(configFile, '..', 'profiles', 'hsm');
    assert.deepEqual(readdirSync(profileDir).sort(), ['intermediates-1', 'pkcs11-pin']);
    const pinFile = join(profileDir, 'pkcs11-pin');
    assert.equal(statSync(pinFile).mode & 0o777, 0o600);
    const config = readFileSync(configFile, 'utf8');
    assert.ok(config.includes(`${token.rsa.keyUri}?pin-source=file:${pinFile}`), config);
    assert.ok(config.includes(`--pkcs11-lib ${token.module}`), config);
    assert.ok(!config.includes(USER_PIN));
  });

  it('environment mode in-process: the certificate URI alone, PIN from IAMRA_PKCS11_PIN; no file at all', async () => {
    const recorded = await inProcess(
      { ...baseInputs(), pkcs11Certificate: token.ec.certUri, outputMode: 'environment' },
      { IAMRA_PKCS11_PIN: USER_PIN },
    );
    assert.equal(recorded.result?.status, 'Succeeded', recorded.result?.message);
    assert.equal(recorded.variables.AWS_ACCESS_KEY_ID?.secret, true);
    assert.equal(recorded.variables.AWS_CONFIG_FILE, undefined);
  });

  it('a wrong PIN fails the task with one line that does not show it', async () => {
    const recorded = await inProcess({
      ...baseInputs(),
      pkcs11Certificate: token.rsa.certUri,
      pkcs11Pin: 'wrong-pin-27182',
    });
    assert.equal(recorded.result?.status, 'Failed');
    assert.match(recorded.result?.message ?? '', /^PKCS11_PIN_WRONG: the token refused the PIN \(it is not shown\)/);
    assert.ok(!recorded.result?.message.includes('wrong-pin-27182'));
  });

  it('the built task (Node 24): PIN masked first, the AWS CLI v2 refreshes through the token, post removes the PIN file', async () => {
    const job = newAgentJob();
    const agentEnv = { ...token.env, NODE_PATH: join(repoRoot, 'node_modules') };
    const inputs = {
      ...baseInputs(),
      pkcs11Certificate: token.ec.certUri,
      pkcs11PrivateKey: token.ec.keyUri,
      pkcs11Pin: USER_PIN,
    };
    const record = (result: TaskRun) => {
      logs.push(result.stdout);
      return result;
    };
    const main = record(await runTaskStep(peers.node24(), 'main', job, inputs, agentEnv));
    assert.equal(main.result?.status, 'Succeeded', main.stdout);
    const firstLine = main.stdout.split('\n').find((line) => line.includes('##vso['));
    assert.equal(azureMask(firstLine ?? ''), USER_PIN, 'the PIN is the first thing masked');
    const awsEnv = {
      ...isolatedAwsEnv(job.home),
      ...agentEnv,
      AWS_CONFIG_FILE: main.variables.AWS_CONFIG_FILE?.value ?? '',
      AWS_PROFILE: 'hsm',
    };
    const callerArn = async () => {
      const { stdout, stderr } = await run(
        peers.awsCli(),
        ['sts', 'get-caller-identity', '--endpoint-url', emulator.stsEndpoint, '--output', 'json'],
        { env: awsEnv },
      );
      logs.push(stdout + stderr);
      return (JSON.parse(stdout) as { Arn: string }).Arn;
    };
    let before = emulator.stats().createSessionOk;
    assert.match(await callerArn(), /assumed-role\/iamra-demo\//);
    assert.equal(emulator.stats().createSessionOk - before, 0, 'the primed entry served the first call');
    rmSync(join(job.tempDir, 'iamra', 'cache'), { recursive: true, force: true });
    before = emulator.stats().createSessionOk;
    assert.match(await callerArn(), /assumed-role\/iamra-demo\//);
    assert.equal(emulator.stats().createSessionOk - before, 1, 'a refresh signed on the token');
    const post = record(await runTaskStep(peers.node24(), 'post', job, inputs, agentEnv));
    assert.notEqual(post.result?.status, 'Failed', post.stdout);
    assert.deepEqual(taskFilesUnder(job.tempDir), [], 'the PIN file and the profile are gone');
  });
});
