/**
 * The Action's main and post steps run in this process (the sources, not dist/), with the file
 * commands a runner gives them: what a step exports reaches the job's later steps, as in
 * github-runner.ts, which runs the committed bundles instead.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunningEmulator } from '@iamra/emulator';
import { type MainDeps, runMain } from '../../packages/github-action/src/main.js';
import { runPost } from '../../packages/github-action/src/post.js';
import { parseFileCommands } from './file-commands.js';
import type { ActionRun, RunnerJob } from './github-runner.js';
import { repoRoot } from './peers.js';
import { type TestPki, testDir } from './pki.js';

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
  const dir = testDir();
  const files = {
    GITHUB_ENV: join(dir, 'env'),
    GITHUB_OUTPUT: join(dir, 'output'),
    GITHUB_STATE: join(dir, 'state'),
    GITHUB_STEP_SUMMARY: join(dir, 'summary'),
    GITHUB_PATH: join(dir, 'path'),
  };
  for (const path of Object.values(files)) writeFileSync(path, '');
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH ?? '',
    HOME: job.home,
    RUNNER_TEMP: job.runnerTemp,
    GITHUB_ACTIONS: 'true',
    ...job.env,
    ...files,
  };
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value;
  for (const [name, value] of Object.entries(state)) env[`STATE_${name}`] = value;
  let stdout = '';
  const out = { write: (text: string) => (stdout += text) };
  const exitCode = step === 'main' ? await runMain(env, out, deps) : runPost(env, out, deps.host);
  const exported = parseFileCommands(readFileSync(files.GITHUB_ENV, 'utf8'));
  Object.assign(job.env, exported);
  return {
    exitCode,
    stdout,
    stderr: '',
    env: exported,
    outputs: parseFileCommands(readFileSync(files.GITHUB_OUTPUT, 'utf8')),
    state: parseFileCommands(readFileSync(files.GITHUB_STATE, 'utf8')),
    summary: readFileSync(files.GITHUB_STEP_SUMMARY, 'utf8'),
    path: readFileSync(files.GITHUB_PATH, 'utf8').split(/\r?\n/).filter(Boolean),
  };
}
