/**
 * Defect 1 through the built task, as the agent runs it: a certificate whose CN holds agent and
 * runner commands. The log and the uploaded summary carry it as text; the agent runs nothing
 * but the task's own commands, on success and on failure.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type RunningEmulator, startEmulator } from '@iamra/emulator';
import { type AgentJob, newAgentJob, runTaskStep } from '../support/azure-agent.js';
import { injectedCommands, TASK_COMMANDS } from '../support/log-commands.js';
import { peers } from '../support/peers.js';
import { type IssuedCert, makeCertificate, makePki } from '../support/pki.js';

describe('Azure task: untrusted text in the log and the summary', function () {
  this.timeout(60_000);
  const pki = makePki({ subjectPrefix: 'azure-text' });
  let emulator: RunningEmulator;

  before(async () => {
    emulator = await startEmulator({ cas: [pki.root.certPem], lifetimeMs: 55_000 });
  });
  after(() => emulator.stop());

  function inputs(job: AgentJob, leaf: IssuedCert): Record<string, string> {
    const write = (name: string, content: string) => {
      const path = join(job.home, name);
      writeFileSync(path, content, { mode: 0o600 });
      return path;
    };
    return {
      trustAnchorArn: emulator.trustAnchorArns[0] ?? '',
      profileArn: emulator.profileArn,
      roleArn: emulator.roleArns[0] ?? '',
      endpoint: emulator.endpoint,
      certificateFile: write('cert.pem', leaf.certPem),
      privateKeyFile: write('key.pem', leaf.keyPem),
      certificateChainFile: write('chain.pem', pki.intermediate.certPem),
      outputMode: 'both',
      profileName: 'deploy',
    };
  }

  it('a CN with ##vso[ and ##[ is printed and summarised as text', async () => {
    const hostile = makeCertificate({
      key: 'p256',
      issuer: pki.intermediate,
      subject: '/CN=ci ##vso[task.prependpath]\\/x ##[warning]spoof',
    });
    const job = newAgentJob();
    const main = await runTaskStep(peers.node24(), 'main', job, inputs(job, hostile));
    assert.equal(main.result?.status, 'Succeeded', main.stdout);
    assert.deepEqual(injectedCommands(main.stdout, TASK_COMMANDS), []);
    assert.match(main.stdout, /^Assumed \S+ as CN=ci \*\*vso\[task\.prependpath\]\/x \*\*\[warning\]spoof until /m);
    const summaryPath = main.commands.find((c) => c.command === 'task.uploadsummary')?.data ?? '';
    const summary = readFileSync(summaryPath, 'utf8');
    assert.match(summary, /\| Source identity \| CN\\=ci \\\*\\\*vso\\\[task\\\.prependpath\\\]\\\/x/);
    assert.deepEqual(injectedCommands(summary), []);
    assert.ok(!main.commands.some((c) => c.command === 'task.prependpath'));
  });

  it('an expired certificate whose CN sets a variable fails with one neutral line', async () => {
    const expired = makeCertificate({
      key: 'p256',
      issuer: pki.intermediate,
      subject: '/CN=x ##vso[task.setvariable variable=AWS_PROFILE]pwned',
      notBefore: new Date('2020-01-01'),
      notAfter: new Date('2021-01-01'),
    });
    const job = newAgentJob();
    const main = await runTaskStep(peers.node24(), 'main', job, inputs(job, expired));
    assert.equal(main.result?.status, 'Failed');
    assert.match(main.result?.message ?? '', /^CERT_EXPIRED: .*\*\*vso\[task\.setvariable/);
    assert.deepEqual(injectedCommands(main.stdout, TASK_COMMANDS), []);
    assert.equal(main.variables.AWS_PROFILE, undefined);
  });
});
