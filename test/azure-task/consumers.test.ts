/**
 * What a later step can do with what the task handed on, in each output mode: the AWS CLI v2,
 * an AWS Toolkit task (SDK for JavaScript v2, task variables then its default chain), the SDK
 * for JavaScript v3, botocore and the Go SDK v2 (Terraform's) each get the caller identity from
 * the emulator's STS. Scripts get the non-secret variables as the agent gives them, plus the
 * secret ones only where a user maps them with env:; a task also gets secrets as SECRET_*.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { type RunningEmulator, startEmulator } from '@iamra/emulator';
import {
  type AgentJob,
  connectionEnv,
  newAgentJob,
  runTaskStep,
  secretVariablesAsTaskEnv,
  type TaskRun,
  variablesAsEnv,
} from '../support/azure-agent.js';
import { isolatedAwsEnv, peers } from '../support/peers.js';
import { makePki } from '../support/pki.js';

const run = promisify(execFile);
const consumers = fileURLToPath(new URL('./consumers/', import.meta.url));

type Mode = 'credentialProcess' | 'environment' | 'both';
type Style = 'files' | 'service connection';
const CONNECTION_ID = '5b0c1f3e-8d2a-4c6b-9e7f-0a1b2c3d4e5f';

/** What a user writes under a script step in environment mode: the secrets mapped with env:. */
function mappedSecrets(main: TaskRun): Record<string, string> {
  const mapped: Record<string, string> = {};
  for (const name of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN']) {
    mapped[name] = main.variables[name]?.value ?? '';
  }
  return mapped;
}

describe('Azure task: later steps in every output mode', function () {
  this.timeout(240_000);
  const pki = makePki({ subjectPrefix: 'consumers' });
  let emulator: RunningEmulator;
  let goConsumer: string;

  before(async () => {
    emulator = await startEmulator({ cas: [pki.root.certPem], lifetimeMs: 175_000 });
    goConsumer = peers.goSdkConsumer();
  });
  after(() => emulator.stop());

  async function taskStep(mode: Mode, style: Style): Promise<{ job: AgentJob; main: TaskRun }> {
    const job = newAgentJob();
    const arns = {
      trustAnchorArn: emulator.trustAnchorArns[0] ?? '',
      profileArn: emulator.profileArn,
      roleArn: emulator.roleArns[0] ?? '',
    };
    let inputs: Record<string, string>;
    let env: Record<string, string> = {};
    if (style === 'service connection') {
      inputs = { rolesAnywhereConnection: CONNECTION_ID };
      env = connectionEnv({
        id: CONNECTION_ID,
        certificate: `${pki.rsaLeaf.certPem}${pki.intermediate.certPem}`,
        privateKey: pki.rsaLeaf.keyPem,
        ...arns,
      });
    } else {
      const write = (name: string, content: string) => {
        const path = join(job.home, name);
        writeFileSync(path, content, { mode: 0o600 });
        return path;
      };
      inputs = {
        certificateFile: write('cert.pem', pki.rsaLeaf.certPem),
        privateKeyFile: write('key.pem', pki.rsaLeaf.keyPem),
        certificateChainFile: write('chain.pem', pki.intermediate.certPem),
        ...arns,
      };
    }
    const main = await runTaskStep(
      peers.node20(),
      'main',
      job,
      { ...inputs, endpoint: emulator.endpoint, outputMode: mode },
      env,
    );
    assert.equal(main.result?.status, 'Succeeded', main.stdout);
    return { job, main };
  }

  const expectedArn = () => new RegExp(`^arn:aws:sts::\\d{12}:assumed-role/iamra-demo/${pki.rsaLeaf.serialHex}$`, 'm');

  const modes: Mode[] = ['credentialProcess', 'environment', 'both'];
  const styles: Style[] = ['files', 'service connection'];
  for (const style of styles)
    for (const mode of modes) {
      describe(`${mode} mode, ${style}`, () => {
        let job: AgentJob;
        let main: TaskRun;
        let scriptEnv: Record<string, string>;
        before(async () => {
          ({ job, main } = await taskStep(mode, style));
          scriptEnv = {
            ...isolatedAwsEnv(job.home),
            ...variablesAsEnv(job.variables),
            ...(mode === 'environment' ? mappedSecrets(main) : {}),
          };
        });

        it(
          mode === 'environment' ? 'keeps the Toolkit variables, secret' : 'sets AWS_SDK_LOAD_CONFIG=1 for SDK v2',
          () => {
            if (mode === 'environment') {
              for (const name of ['AWS.AccessKeyID', 'AWS.SecretAccessKey', 'AWS.SessionToken']) {
                assert.equal(main.variables[name]?.secret, true, name);
              }
              assert.equal(main.variables.AWS_SDK_LOAD_CONFIG, undefined);
            } else {
              assert.deepEqual(main.variables.AWS_SDK_LOAD_CONFIG, { value: '1', secret: false, output: false });
            }
          },
        );

        it('the AWS CLI v2', async () => {
          const { stdout } = await run(
            peers.awsCli(),
            [
              'sts',
              'get-caller-identity',
              '--endpoint-url',
              emulator.stsEndpoint,
              '--query',
              'Arn',
              '--output',
              'text',
            ],
            { env: scriptEnv },
          );
          assert.match(stdout.trim(), expectedArn());
        });

        it('an AWS Toolkit task (SDK for JavaScript v2)', async () => {
          const taskEnv = {
            ...scriptEnv,
            ...secretVariablesAsTaskEnv(job.variables),
            AGENT_TEMPDIRECTORY: job.tempDir,
          };
          const { stdout } = await run(peers.node20(), [join(consumers, 'toolkit-sdk-v2.cjs'), emulator.stsEndpoint], {
            env: taskEnv,
          });
          assert.match(stdout, expectedArn());
          // environment and both: the Toolkit's own variables; credentialProcess: the SDK's chain.
          assert.match(stdout, mode === 'credentialProcess' ? /source=default chain/ : /source=task variables/);
        });

        it('the SDK for JavaScript v2 in a script, through its default chain alone', async () => {
          const script = [
            "const AWS = require('aws-sdk');",
            'new AWS.STS({ endpoint: process.argv[1] }).getCallerIdentity().promise()',
            '  .then((id) => console.log(id.Arn), (e) => { console.error(e.message); process.exit(1); });',
          ].join('\n');
          const { stdout } = await run(peers.node20(), ['-e', script, emulator.stsEndpoint], {
            env: scriptEnv,
            cwd: consumers,
          });
          assert.match(stdout, expectedArn());
        });

        if (mode === 'credentialProcess') {
          it('(the SDK for JavaScript v2 finds no credentials without AWS_SDK_LOAD_CONFIG)', async () => {
            const { AWS_SDK_LOAD_CONFIG: _dropped, ...without } = scriptEnv;
            await assert.rejects(
              run(peers.node20(), [join(consumers, 'toolkit-sdk-v2.cjs'), emulator.stsEndpoint], {
                env: { ...without, AGENT_TEMPDIRECTORY: job.tempDir },
                timeout: 60_000,
              }),
              /CredentialsError|Could not load credentials|EC2 Metadata/,
            );
          });
        }

        it('the SDK for JavaScript v3', async () => {
          const { stdout } = await run(peers.node20(), [join(consumers, 'sdk-v3.mjs'), emulator.stsEndpoint], {
            env: scriptEnv,
          });
          assert.match(stdout, expectedArn());
        });

        it('botocore', async () => {
          const { stdout } = await run(peers.python(), [join(consumers, 'botocore_caller.py'), emulator.stsEndpoint], {
            env: scriptEnv,
          });
          assert.match(stdout, expectedArn());
        });

        it('the Go SDK v2', async () => {
          const { stdout } = await run(goConsumer, [], {
            env: { ...scriptEnv, AWS_ENDPOINT_URL_STS: emulator.stsEndpoint },
          });
          assert.match(stdout, expectedArn());
        });
      });
    }
});
