// Wall time of one child process, from spawn to exit, with its output collected.
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';

/**
 * @param {string} command
 * @param {string[]} args
 * @param {{ env?: Record<string, string>; cwd?: string; timeoutMs?: number }} [options]
 * @returns {Promise<{ ms: number; code: number | null; stdout: string; stderr: string }>}
 */
export function spawnTimed(command, args, options = {}) {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(command, args, {
      env: options.env ?? { PATH: process.env.PATH ?? '' },
      ...(options.cwd ? { cwd: options.cwd } : {}),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // A hung child must not hang the whole bench run.
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      const ms = performance.now() - start;
      clearTimeout(timer);
      resolve({ ms, code, stdout, stderr });
    });
  });
}

/** Runs and fails loudly (with the tail of the output) when the child did not succeed. */
export async function spawnChecked(label, command, args, options, succeeded = (r) => r.code === 0) {
  const result = await spawnTimed(command, args, options);
  if (!succeeded(result)) {
    const tail = `${result.stdout}\n${result.stderr}`.trim().split('\n').slice(-6).join('\n');
    throw new Error(`${label} failed (exit ${result.code}):\n${tail}`);
  }
  return result;
}
