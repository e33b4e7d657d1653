/**
 * nektos/act as a real GitHub Actions runner: host mode (no Docker), no network, the action
 * loaded from a throwaway git repository holding action.yml and the committed dist/ (act needs a
 * repository for `uses: ./`, and copies it into the job's workspace at `actions/checkout`).
 * Secrets and vars go through files (never act's command line); act's own HOME is kept apart
 * from the HOME its steps see.
 */
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { peers, repoRoot } from './peers.js';
import { testDir } from './pki.js';

export interface ActWorkspace {
  /** The git repository act runs. */
  repo: string;
  /** Where the workflow's steps write what the test reads (PROBE_OUT). */
  probeOut: string;
  /** HOME as the steps see it. */
  userHome: string;
  /** Scratch space for act itself (its HOME, caches, job directories). */
  actHome: string;
}

/** A git repository with the action (action.yml, dist/), the given files and workflows. */
export function actWorkspace(files: Record<string, string>, copies: Record<string, string> = {}): ActWorkspace {
  const root = testDir();
  const repo = join(root, 'repo');
  mkdirSync(repo);
  cpSync(join(repoRoot, 'action.yml'), join(repo, 'action.yml'));
  cpSync(join(repoRoot, 'dist'), join(repo, 'dist'), { recursive: true });
  for (const [to, from] of Object.entries(copies)) cpSync(from, join(repo, to), { recursive: true });
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(repo, path)), { recursive: true });
    writeFileSync(join(repo, path), text);
  }
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=iamra test', '-c', 'user.email=test@iamra.invalid', ...args], {
      cwd: repo,
      stdio: 'ignore',
    });
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('commit', '-q', '-m', 'workspace');
  const workspace = {
    repo,
    probeOut: join(root, 'probe-out'),
    userHome: join(root, 'user-home'),
    actHome: join(root, 'act-home'),
  };
  for (const dir of [workspace.probeOut, workspace.userHome, workspace.actHome]) mkdirSync(dir);
  return workspace;
}

/**
 * One line of a dotenv file as act reads it (double quotes: \n is a newline). Characters that
 * the reader would reinterpret are refused rather than escaped, so a test cannot pass by luck.
 */
export function dotenvLine(name: string, value: string): string {
  if (/["\\$\r]/.test(value)) throw new Error(`${name}: test values for act may not hold " \\ $ or CR`);
  return `${name}="${value.replace(/\n/g, '\\n')}"\n`;
}

function dotenvFile(path: string, values: Record<string, string>): string {
  writeFileSync(
    path,
    Object.entries(values)
      .map(([name, value]) => dotenvLine(name, value))
      .join(''),
    { mode: 0o600 },
  );
  return path;
}

export interface ActRunOptions {
  workflow: string;
  secrets: Record<string, string>;
  vars: Record<string, string>;
  /** Extra variables every step sees (act --env). */
  env: Record<string, string>;
  timeoutMs: number;
}

export interface ActRun {
  exitCode: number | null;
  /** act's own log (stdout and stderr, in order): what a user reads in the job's log. */
  log: string;
}

/** Runs every job of one workflow; resolves when act exits or is killed at the timeout. */
export function runAct(workspace: ActWorkspace, options: ActRunOptions): Promise<ActRun> {
  const secretFile = dotenvFile(join(workspace.actHome, 'secrets.env'), options.secrets);
  const varFile = dotenvFile(join(workspace.actHome, 'vars.env'), options.vars);
  const envFile = dotenvFile(join(workspace.actHome, 'steps.env'), {
    HOME: workspace.userHome,
    PROBE_OUT: workspace.probeOut,
    IAMRA_REPO_ROOT: repoRoot,
    ...options.env,
  });
  const args = [
    'push',
    '--platform',
    'ubuntu-latest=-self-hosted',
    '--workflows',
    join(workspace.repo, options.workflow),
    '--directory',
    workspace.repo,
    '--action-cache-path',
    join(workspace.actHome, 'cache'),
    '--action-offline-mode',
    '--no-cache-server',
    '--secret-file',
    secretFile,
    '--var-file',
    varFile,
    '--env-file',
    envFile,
    '--input-file',
    join(workspace.actHome, 'no-inputs'),
  ];
  const path = [dirname(peers.node24()), dirname(peers.awsCli()), '/usr/bin', '/bin'].join(':');
  const child = spawn(peers.act(), args, {
    cwd: workspace.repo,
    env: { PATH: path, HOME: workspace.actHome, LANG: 'C.UTF-8' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout.on('data', (chunk) => (log += chunk));
  child.stderr.on('data', (chunk) => (log += chunk));
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ exitCode: code, log });
    });
  });
}

/** The lines act printed for one job (it prefixes each with `[workflow/job   ]`). */
export function jobLog(log: string, job: string): string {
  const prefix = new RegExp(`^\\[[^\\]]*/${job} *\\]`);
  return log
    .split('\n')
    .filter((line) => prefix.test(line))
    .join('\n');
}

/**
 * The job summaries act received from one job's steps: it prints each as `Summary - ` and the
 * Markdown's lines after it, unprefixed, up to the next prefixed line.
 */
export function jobSummary(log: string, job: string): string {
  const prefix = new RegExp(`^\\[[^\\]]*/${job} *\\] +⚙ {2}Summary - (.*)$`);
  const summaries: string[] = [];
  const lines = log.split('\n');
  for (let i = 0; i < lines.length; i += 1) {
    const first = prefix.exec(lines[i] ?? '');
    if (!first) continue;
    const block = [first[1] ?? ''];
    for (i += 1; i < lines.length && !(lines[i] ?? '').startsWith('['); i += 1) block.push(lines[i] ?? '');
    i -= 1;
    summaries.push(block.join('\n'));
  }
  return summaries.join('\n');
}
