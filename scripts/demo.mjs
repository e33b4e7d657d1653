#!/usr/bin/env node
// `npm start`: the whole story on the embedded emulator, with no AWS account. A demo PKI, the
// emulator, the GitHub Action and the Azure DevOps task run as their runners run them, a
// credential_process profile, and `sts get-caller-identity` through the AWS CLI (or the SDK).
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const started = Date.now();
const steps = [];

function ensureBuilt() {
  const needed = [
    'packages/emulator/dist/index.js',
    'dist/main/index.js',
    'tasks/RolesAnywhereCredentialsV1/main/index.js',
    'tasks/RolesAnywhereCredentialsV1/cli/index.js',
  ];
  if (needed.every((file) => existsSync(join(root, file)))) return;
  console.log('Building first (npm run build)…');
  const build = spawnSync('npm', ['run', 'build', '--silent'], {
    cwd: root,
    stdio: 'inherit',
    shell: process.platform === 'win32',
  });
  if (build.status !== 0) throw new Error('the build failed; run npm run build to see why');
}

function run(command, args, env, cwd) {
  return new Promise((resolvePromise) => {
    execFile(command, args, { env, cwd }, (error, stdout, stderr) => {
      resolvePromise({ code: error ? (error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

async function step(name, action) {
  const t0 = Date.now();
  try {
    const detail = await action();
    steps.push({ name, ok: true, ms: Date.now() - t0, detail });
    return detail;
  } catch (error) {
    steps.push({ name, ok: false, ms: Date.now() - t0, detail: error.message });
    throw error;
  }
}

function parseFileCommands(text) {
  const result = {};
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i += 1) {
    const match = /^([^=<]+)<<(.+)$/.exec(lines[i]);
    if (!match) continue;
    const value = [];
    for (i += 1; i < lines.length && lines[i] !== match[2]; i += 1) value.push(lines[i]);
    result[match[1]] = value.join('\n');
  }
  return result;
}

function parseVsoVariables(stdout) {
  const variables = {};
  for (const match of stdout.matchAll(
    /##vso\[task\.setvariable variable=([^;\]]+);[^\]]*issecret=(true|false)[^\]]*\](.*)/g,
  )) {
    variables[match[1]] = { value: match[3], secret: match[2] === 'true' };
  }
  return variables;
}

function filesUnder(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name !== '.taskkey')
    .map((entry) => join(entry.parentPath, entry.name));
}

function masked(accessKeyId) {
  return `${accessKeyId.slice(0, 4)}…${accessKeyId.slice(-4)}`;
}

/** The AWS CLI v2 when installed, else the SDK: both read exactly the environment given. */
async function callerIdentity(env, stsEndpoint, home) {
  const cli = ['/usr/bin/aws', 'aws'].find((candidate) =>
    spawnSync(candidate, ['--version']).stdout?.toString().startsWith('aws-cli/2'),
  );
  const isolated = {
    PATH: process.env.PATH,
    HOME: home,
    AWS_SHARED_CREDENTIALS_FILE: join(home, 'no-credentials'),
    AWS_CONFIG_FILE: join(home, 'no-config'),
    AWS_EC2_METADATA_DISABLED: 'true',
    ...env,
  };
  if (cli) {
    const result = await run(
      cli,
      ['sts', 'get-caller-identity', '--endpoint-url', stsEndpoint, '--output', 'json'],
      isolated,
      home,
    );
    if (result.code !== 0)
      throw new Error(`aws sts get-caller-identity failed: ${result.stderr.trim().split('\n').pop()}`);
    return { via: 'AWS CLI v2', ...JSON.parse(result.stdout) };
  }
  const script = `
    import { STSClient, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
    const client = new STSClient({ endpoint: ${JSON.stringify(stsEndpoint)} });
    console.log(JSON.stringify(await client.send(new GetCallerIdentityCommand({}))));`;
  const result = await run(
    process.execPath,
    ['--input-type=module', '-e', script],
    { ...isolated, NODE_NO_WARNINGS: '1' },
    root,
  );
  if (result.code !== 0)
    throw new Error(`the SDK's GetCallerIdentity failed: ${result.stderr.trim().split('\n').pop()}`);
  return { via: 'AWS SDK for JavaScript v3', ...JSON.parse(result.stdout) };
}

async function runAction(job, script, inputs, state = {}) {
  const files = {};
  for (const name of ['GITHUB_ENV', 'GITHUB_OUTPUT', 'GITHUB_STATE', 'GITHUB_STEP_SUMMARY']) {
    files[name] = join(job.dir, `${name.toLowerCase()}-${Date.now()}-${Math.random().toString(16).slice(2)}`);
    writeFileSync(files[name], '');
  }
  const env = {
    PATH: process.env.PATH,
    HOME: job.home,
    RUNNER_TEMP: job.runnerTemp,
    GITHUB_ACTIONS: 'true',
    ...job.env,
    ...files,
  };
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value;
  for (const [name, value] of Object.entries(state)) env[`STATE_${name}`] = value;
  const result = await run(process.execPath, [join(root, 'dist', script, 'index.js')], env, job.dir);
  const exported = parseFileCommands(readFileSync(files.GITHUB_ENV, 'utf8'));
  Object.assign(job.env, exported);
  const error = result.stdout.split('\n').find((line) => line.startsWith('::error'));
  if (result.code !== 0) throw new Error(error ?? `the action's ${script} step failed`);
  return {
    exported,
    outputs: parseFileCommands(readFileSync(files.GITHUB_OUTPUT, 'utf8')),
    state: parseFileCommands(readFileSync(files.GITHUB_STATE, 'utf8')),
  };
}

async function runTask(job, script, inputs) {
  const env = { PATH: process.env.PATH, HOME: job.home, AGENT_TEMPDIRECTORY: job.agentTemp, ...job.taskEnv };
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value;
  const result = await run(
    process.execPath,
    [join(root, 'tasks', 'RolesAnywhereCredentialsV1', script, 'index.js')],
    env,
    job.dir,
  );
  const failed = /##vso\[task\.complete result=Failed;\](.*)/.exec(result.stdout);
  if (failed) throw new Error(failed[1]);
  const variables = parseVsoVariables(result.stdout);
  for (const [name, variable] of Object.entries(variables)) {
    if (!variable.secret) job.taskEnv[name.replace(/\./g, '_').toUpperCase()] = variable.value;
  }
  return variables;
}

async function main() {
  ensureBuilt();
  const { initDemoPki, startEmulator } = await import('@iamra/emulator');
  const work = mkdtempSync(join(tmpdir(), 'iamra-demo-'));
  let emulator;
  try {
    await step('demo PKI (root CA, intermediate, RSA and EC leaves)', async () => {
      const made = await initDemoPki(join(work, 'pki'));
      return `written to ${made.dir}`;
    });
    emulator = await step('emulator (Roles Anywhere + STS on 127.0.0.1)', async () => {
      const config = JSON.parse(readFileSync(join(work, 'pki', 'emulator.json'), 'utf8'));
      return startEmulator({ config, configDir: join(work, 'pki'), lifetimeMs: 300_000 });
    });
    const arns = {
      'trust-anchor-arn': emulator.trustAnchorArns[0],
      'profile-arn': emulator.profileArn,
      'role-arn': emulator.roleArns[0],
      'rolesanywhere-endpoint': emulator.endpoint,
    };
    const read = (name) => readFileSync(join(work, 'pki', name), 'utf8');
    const identities = [];

    // GitHub Action, env mode.
    const ghEnvJob = {
      dir: join(work, 'gh-env'),
      home: join(work, 'gh-env', 'home'),
      runnerTemp: join(work, 'gh-env', 'runner-temp'),
      env: {},
    };
    for (const dir of [ghEnvJob.home, ghEnvJob.runnerTemp]) mkdirSync(dir, { recursive: true });
    const envRun = await step('GitHub Action, env mode (node dist/main/index.js)', async () => {
      const result = await runAction(ghEnvJob, 'main', {
        ...arns,
        certificate: read('ec-leaf.pem'),
        'private-key': read('ec-leaf.key'),
        'certificate-chain': read('chain.pem'),
      });
      return {
        ...result,
        detail: `exported AWS_ACCESS_KEY_ID=${masked(result.exported.AWS_ACCESS_KEY_ID)}, AWS_REGION=${result.exported.AWS_REGION}`,
      };
    });
    identities.push(
      await step('  aws sts get-caller-identity with the exported variables', () =>
        callerIdentity(ghEnvJob.env, emulator.stsEndpoint, ghEnvJob.home),
      ),
    );
    await step('  post step', async () => {
      await runAction(ghEnvJob, 'post', {}, envRun.state);
      return `${filesUnder(ghEnvJob.runnerTemp).length} files left`;
    });

    // GitHub Action, profile mode: a credential_process profile that renews itself.
    const ghProfileJob = {
      dir: join(work, 'gh-profile'),
      home: join(work, 'gh-profile', 'home'),
      runnerTemp: join(work, 'gh-profile', 'runner-temp'),
      env: {},
    };
    for (const dir of [ghProfileJob.home, ghProfileJob.runnerTemp]) mkdirSync(dir, { recursive: true });
    const profileRun = await step('GitHub Action, profile mode (credential_process profile "demo")', async () => {
      const result = await runAction(ghProfileJob, 'main', {
        ...arns,
        certificate: read('rsa-leaf.pem'),
        'private-key': read('rsa-leaf.key'),
        'certificate-chain': read('chain.pem'),
        'aws-profile': 'demo',
      });
      return { ...result, detail: `AWS_CONFIG_FILE=${result.exported.AWS_CONFIG_FILE}` };
    });
    identities.push(
      await step('  aws sts get-caller-identity through the profile', () =>
        callerIdentity(ghProfileJob.env, emulator.stsEndpoint, ghProfileJob.home),
      ),
    );
    await step('  post step removes the key files', async () => {
      await runAction(ghProfileJob, 'post', { 'aws-profile': 'demo' }, profileRun.state);
      const left = filesUnder(ghProfileJob.runnerTemp);
      if (left.length) throw new Error(`files left behind: ${left.join(', ')}`);
      return '0 files left';
    });

    // Azure DevOps task, credentialProcess mode, file-path inputs.
    const azJob = {
      dir: join(work, 'azure'),
      home: join(work, 'azure', 'home'),
      agentTemp: join(work, 'azure', 'agent-temp'),
      taskEnv: {},
    };
    for (const dir of [azJob.home, azJob.agentTemp]) mkdirSync(dir, { recursive: true });
    const taskInputs = {
      certificateFile: join(work, 'pki', 'ec-leaf.pem'),
      privateKeyFile: join(work, 'pki', 'ec-leaf.key'),
      certificateChainFile: join(work, 'pki', 'chain.pem'),
      trustAnchorArn: emulator.trustAnchorArns[0],
      profileArn: emulator.profileArn,
      roleArn: emulator.roleArns[0],
      endpoint: emulator.endpoint,
      outputMode: 'credentialProcess',
      profileName: 'demo',
    };
    await step('Azure DevOps task, credentialProcess mode (node main/index.js)', async () => {
      const variables = await runTask(azJob, 'main', taskInputs);
      return `AWS_CONFIG_FILE=${variables.AWS_CONFIG_FILE?.value}, AWS_PROFILE=${variables.AWS_PROFILE?.value}`;
    });
    identities.push(
      await step('  aws sts get-caller-identity through the task profile', () =>
        callerIdentity(
          {
            AWS_CONFIG_FILE: azJob.taskEnv.AWS_CONFIG_FILE,
            AWS_PROFILE: azJob.taskEnv.AWS_PROFILE,
            AWS_REGION: azJob.taskEnv.AWS_REGION,
          },
          emulator.stsEndpoint,
          azJob.home,
        ),
      ),
    );
    await step('  post-job step removes the key files', async () => {
      await runTask(azJob, 'post', taskInputs);
      const left = filesUnder(azJob.agentTemp);
      if (left.length) throw new Error(`files left behind: ${left.join(', ')}`);
      return '0 files left';
    });

    const stats = emulator.stats();
    printReport(identities, stats);
  } finally {
    await emulator?.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

function printReport(identities, stats) {
  console.log('\niamra demo: IAM Roles Anywhere on the embedded emulator\n');
  for (const s of steps) {
    const detail = typeof s.detail === 'string' ? s.detail : (s.detail?.detail ?? s.detail?.Arn ?? '');
    console.log(`  ${s.ok ? 'ok ' : 'FAIL'} ${String(s.ms).padStart(5)} ms  ${s.name}${detail ? `: ${detail}` : ''}`);
  }
  const last = identities[identities.length - 1];
  console.log(`\nIdentity obtained (${last.via}): ${last.Arn} in account ${last.Account}`);
  console.log(`Emulator: ${stats.createSession} CreateSession calls, ${stats.stsOk} STS calls answered`);
  console.log(`Total: ${Date.now() - started} ms; temporary files removed.\n`);
}

main().catch((error) => {
  console.error(`iamra demo failed: ${error.message}`);
  for (const s of steps.filter((x) => !x.ok)) console.error(`  at step: ${s.name}`);
  process.exitCode = 1;
});
