/**
 * The Action's main and post steps run in this process (the sources, not dist/), with the file
 * commands a runner gives them: what a step exports reaches the job's later steps, as in
 * github-runner.ts, which runs the committed bundles instead.
 */
import { join } from 'node:path';
import type { RunningEmulator } from '@iamra/emulator';
import { type MainDeps, runMain } from '../../packages/github-action/src/main.js';
import { runPost } from '../../packages/github-action/src/post.js';
import { type ActionRun, prepareStep, type RunnerJob } from './github-runner.js';
import { repoRoot } from './peers.js';
import type { TestPki } from './pki.js';

/** Inputs for a step against the emulator with the test PKI's EC leaf (and its intermediate), plus `extra`. */
export function emulatorInputs(
  emulator: RunningEmulator,
  pki: TestPki,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    certificate: pki.ecLeaf.certPem,
    'private-key': pki.ecLeaf.keyPem,
    'certificate-chain': pki.intermediate.certPem,
    'trust-anchor-arn': emulator.trustAnchorArns[0] ?? '',
    'profile-arn': emulator.profileArn,
    'role-arn': emulator.roleArns[0] ?? '',
    'rolesanywhere-endpoint': emulator.endpoint,
    ...extra,
  };
}

/** The CLI's sources: what a profile written in-process runs (dist/cli is the bundle's). */
export const SOURCE_CLI = join(repoRoot, 'packages', 'cli', 'bin', 'iamra.js');

export async function runStepInProcess(
  step: 'main' | 'post',
  job: RunnerJob,
  inputs: Record<string, string>,
  state: Record<string, string> = {},
  deps: Partial<MainDeps> = { cliPath: SOURCE_CLI },
): Promise<ActionRun> {
  const prepared = prepareStep(job, inputs, state);
  let stdout = '';
  const out = { write: (text: string) => (stdout += text) };
  const exitCode = step === 'main' ? await runMain(prepared.env, out, deps) : runPost(prepared.env, out, deps.host);
  return prepared.collect(exitCode, stdout, '');
}
