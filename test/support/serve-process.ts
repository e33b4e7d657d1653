/** `iamra serve` in its own process: its stdout environment lines, its stderr, and a clean stop. */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from './peers.js';

export interface ServeProcess {
  /** The KEY=VALUE lines serve printed on stdout when ready. */
  env: Record<string, string>;
  stdout: () => string;
  stderr: () => string;
  /** Resolves when stderr from `offset` on matches (bounded: rejects after 30 s or on exit). */
  waitForStderr(pattern: RegExp, offset?: number): Promise<void>;
  stop(): Promise<void>;
}

function waitFor(child: ChildProcess, read: () => string, pattern: RegExp, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => done(new Error(`timed out waiting for ${what} ${pattern}: ${read()}`)), 30_000);
    const check = () => {
      if (pattern.test(read())) done();
    };
    const onExit = (code: number | null) => done(new Error(`serve exited ${code}: ${read()}`));
    function done(error?: Error) {
      clearTimeout(timer);
      child.stdout?.off('data', check);
      child.stderr?.off('data', check);
      child.off('exit', onExit);
      if (error) reject(error);
      else resolve();
    }
    child.stdout?.on('data', check);
    child.stderr?.on('data', check);
    child.on('exit', onExit);
    check();
  });
}

export async function startServeProcess(args: string[]): Promise<ServeProcess> {
  const bin = join(repoRoot, 'packages', 'cli', 'bin', 'iamra.js');
  const child = spawn(process.execPath, [bin, 'serve', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  await waitFor(child, () => stdout, /^AWS_EC2_METADATA_SERVICE_ENDPOINT=.*\n(?:AWS_CONTAINER_.*\n)*/, 'stdout');
  // The lines come in one write; give the rest of the write a turn to arrive.
  await new Promise((resolve) => setImmediate(resolve));
  const env = Object.fromEntries(
    stdout
      .trim()
      .split('\n')
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
  return {
    env,
    stdout: () => stdout,
    stderr: () => stderr,
    waitForStderr: (pattern, offset = 0) => waitFor(child, () => stderr.slice(offset), pattern, 'stderr'),
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
