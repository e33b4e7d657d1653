/** Runs the committed action bundles the way the GitHub runner does. */
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseFileCommands } from './file-commands.js';
import { repoRoot } from './peers.js';
import { testDir } from './pki.js';

export interface ActionRun {
  exitCode: number;
  stdout: string;
  stderr: string;
  env: Record<string, string>;
  outputs: Record<string, string>;
  state: Record<string, string>;
  summary: string;
  /** Directories the step added to PATH for later steps (GITHUB_PATH). */
  path: string[];
}

export interface RunnerJob {
  runnerTemp: string;
  home: string;
  /** Every variable exported so far (GITHUB_ENV of all steps). */
  env: Record<string, string>;
}

export function newJob(): RunnerJob {
  const root = testDir();
  const runnerTemp = join(root, 'runner-temp');
  const home = join(root, 'home');
  mkdirSync(runnerTemp, { recursive: true });
  mkdirSync(home, { recursive: true });
  return { runnerTemp, home, env: {} };
}

/** The file commands and environment a runner gives one step; `collect` reads what it wrote. */
export interface PreparedStep {
  env: Record<string, string>;
  /** The step's own directory (its file commands; the bundles run in it). */
  dir: string;
  collect(exitCode: number, stdout: string, stderr: string): ActionRun;
}

export function prepareStep(
  job: RunnerJob,
  inputs: Record<string, string>,
  state: Record<string, string> = {},
): PreparedStep {
  const dir = testDir();
  const files = {
    GITHUB_ENV: join(dir, 'env'),
    GITHUB_OUTPUT: join(dir, 'output'),
    GITHUB_STATE: join(dir, 'state'),
    GITHUB_STEP_SUMMARY: join(dir, 'summary'),
    GITHUB_PATH: join(dir, 'path'),
  };
  for (const path of Object.values(files)) writeFileSync(path, '');
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: job.home,
    RUNNER_TEMP: job.runnerTemp,
    GITHUB_ACTIONS: 'true',
    ...job.env,
    ...files,
  };
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value;
  for (const [name, value] of Object.entries(state)) env[`STATE_${name}`] = value;
  const collect = (exitCode: number, stdout: string, stderr: string): ActionRun => {
    const exported = parseFileCommands(readFileSync(files.GITHUB_ENV, 'utf8'));
    Object.assign(job.env, exported);
    return {
      exitCode,
      stdout,
      stderr,
      env: exported,
      outputs: parseFileCommands(readFileSync(files.GITHUB_OUTPUT, 'utf8')),
      state: parseFileCommands(readFileSync(files.GITHUB_STATE, 'utf8')),
      summary: readFileSync(files.GITHUB_STEP_SUMMARY, 'utf8'),
      path: readFileSync(files.GITHUB_PATH, 'utf8').split(/\r?\n/).filter(Boolean),
    };
  };
  return { env, dir, collect };
}

export async function runActionStep(
  node: string,
  step: 'main' | 'post',
  job: RunnerJob,
  inputs: Record<string, string>,
  state: Record<string, string> = {},
): Promise<ActionRun> {
  const prepared = prepareStep(job, inputs, state);
  const script = join(repoRoot, 'dist', step, 'index.js');
  const result = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(node, [script], { env: prepared.env, cwd: prepared.dir }, (error, stdout, stderr) => {
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
  return prepared.collect(result.code, result.stdout, result.stderr);
}
