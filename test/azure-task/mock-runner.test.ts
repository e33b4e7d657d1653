/** The task's input matrix and its errors, through azure-pipelines-task-lib's MockTestRunner. */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MockTestRunner } from 'azure-pipelines-task-lib/mock-test.js';
import { TASK_DIR } from '../support/azure-agent.js';
import { startEmulatorProcess } from '../support/emulator-process.js';
import { makePki, testDir } from '../support/pki.js';

const script = fileURLToPath(new URL('./mock/run-task.cjs', import.meta.url));

async function runScenario(inputs: Record<string, string>): Promise<MockTestRunner> {
  const runner = new MockTestRunner(script, join(TASK_DIR, 'task.json'));
  // MockTestRunner would download a Node build; use this one (no network here).
  runner.nodePath = process.execPath;
  const saved = process.env.IAMRA_MOCK_SCENARIO;
  process.env.IAMRA_MOCK_SCENARIO = JSON.stringify({ inputs });
  process.env.AGENT_TEMPDIRECTORY = testDir();
  try {
    await runner.runAsync();
  } finally {
    process.env.IAMRA_MOCK_SCENARIO = saved;
  }
  return runner;
}

describe('Azure task inputs (MockTestRunner)', function () {
  this.timeout(60_000);
  const pki = makePki({ subjectPrefix: 'mock' });
  const dir = testDir();
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  writeFileSync(cert, pki.rsaLeaf.certPem);
  writeFileSync(key, pki.rsaLeaf.keyPem);
  const arns = {
    trustAnchorArn: 'arn:aws:rolesanywhere:us-east-1:123456789012:trust-anchor/0c5a2b1e-7f4f-4c3b-9d6e-1a2b3c4d5e6f',
    profileArn: 'arn:aws:rolesanywhere:us-east-1:123456789012:profile/9f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0',
    roleArn: 'arn:aws:iam::123456789012:role/deploy',
  };
  const files = { certificateFile: cert, privateKeyFile: key };

  const cases: [string, Record<string, string>, RegExp][] = [
    [
      'no certificate at all',
      { ...arns },
      /^CONFIG_INVALID: give the certificate \(certificateSecureFile, certificateFile or pkcs11Certificate\) or a PKCS#12 file/,
    ],
    [
      'a certificate without its key',
      { ...arns, certificateFile: cert },
      /^CONFIG_INVALID: give the private key \(privateKeySecureFile, privateKeyFile or pkcs11PrivateKey\)/,
    ],
    [
      'both a secure file and a path',
      { ...arns, ...files, certificateSecureFile: 'abc' },
      /^CONFIG_INVALID: give either certificateSecureFile or certificateFile, not both/,
    ],
    [
      'a missing roleArn',
      { ...files, trustAnchorArn: arns.trustAnchorArn, profileArn: arns.profileArn },
      /^CONFIG_INVALID: input roleArn is required/,
    ],
    [
      'an unexpanded variable',
      { ...files, ...arns, roleArn: '$(RoleArn)' },
      /^CONFIG_INVALID: input roleArn is '\$\(RoleArn\)': the variable RoleArn is not defined here; add it to this stage's variable group/,
    ],
    [
      'a bad outputMode',
      { ...files, ...arns, outputMode: 'files' },
      /^CONFIG_INVALID: input outputMode must be credentialProcess, environment or both; got 'files'/,
    ],
    [
      'a bad sessionDuration',
      { ...files, ...arns, sessionDuration: '90' },
      /^DURATION_INVALID: session duration must be a whole number of seconds from 900 to 43200/,
    ],
    [
      'a malformed trust anchor ARN',
      { ...files, ...arns, trustAnchorArn: 'arn:aws:rolesanywhere:us-east-1:123:trust-anchor/x' },
      /^ARN_INVALID: trust anchor ARN must look like/,
    ],
    [
      'a bad endpoint',
      { ...files, ...arns, endpoint: 'ftp://x' },
      /^ENDPOINT_INVALID: endpoint 'ftp:\/\/x' must use https:\/\//,
    ],
    [
      'a profile name that leaves the temp directory, in environment mode too',
      { ...files, ...arns, outputMode: 'environment', profileName: 'x/../../../escaped' },
      /^CONFIG_INVALID: profile name 'x\/\.\.\/\.\.\/\.\.\/escaped' may only hold letters, digits/,
    ],
    [
      'an unreadable key path',
      { ...arns, certificateFile: cert, privateKeyFile: join(dir, 'missing.pem') },
      /^FILE_UNREADABLE: cannot read privateKey file .*missing\.pem: no such file/,
    ],
  ];
  for (const [name, inputs, message] of cases) {
    it(`fails on ${name} with one error issue`, async () => {
      const runner = await runScenario(inputs);
      assert.equal(runner.failed, true, runner.stdout);
      assert.equal(runner.errorIssues.length, 1, runner.stdout);
      assert.match(runner.errorIssues[0] ?? '', message);
    });
  }

  it('succeeds with valid inputs against the emulator', async () => {
    // MockTestRunner blocks this process (spawnSync): the emulator runs in its own, via the CLI.
    const { info: emulator, stop } = await startEmulatorProcess([
      '--ca',
      pki.root.certPath,
      '--lifetime-seconds',
      '50',
    ]);
    try {
      const chain = join(dir, 'chain.pem');
      writeFileSync(chain, pki.intermediate.certPem);
      const runner = await runScenario({
        ...files,
        certificateChainFile: chain,
        trustAnchorArn: emulator.trustAnchorArns[0] ?? '',
        profileArn: emulator.profileArn,
        roleArn: emulator.roleArns[0] ?? '',
        endpoint: emulator.endpoint,
        outputMode: 'environment',
      });
      assert.equal(runner.succeeded, true, runner.stdout);
      assert.equal(runner.errorIssues.length, 0);
      assert.ok(
        runner.stdOutContained('##vso[task.setvariable variable=AWS_SECRET_ACCESS_KEY;isOutput=false;issecret=true;]'),
      );
    } finally {
      await stop();
    }
  });
});
