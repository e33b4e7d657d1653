/**
 * The emulator in its own process (`iamra emulator`), for tests whose client blocks this
 * process's event loop (spawnSync in MockTestRunner) and for the documented CLI itself.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from './peers.js';

export interface EmulatorInfo {
  endpoint: string;
  stsEndpoint: string;
  trustAnchorArns: string[];
  profileArn: string;
  roleArns: string[];
}

/** The bin that runs `iamra emulator`: the repository's launcher unless a test installed its own. */
export interface EmulatorCommand {
  command: string;
  args: string[];
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

const REPOSITORY_BIN: EmulatorCommand = {
  command: process.execPath,
  args: [join(repoRoot, 'packages', 'cli', 'bin', 'iamra.js')],
};

export async function startEmulatorProcess(
  args: string[],
  bin: EmulatorCommand = REPOSITORY_BIN,
): Promise<{ info: EmulatorInfo; stderr: () => string; stop(): Promise<void> }> {
  const child = spawn(bin.command, [...bin.args, 'emulator', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(bin.cwd ? { cwd: bin.cwd } : {}),
    ...(bin.env ? { env: bin.env } : {}),
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const info = await new Promise<EmulatorInfo>((resolve, reject) => {
    let stdout = '';
    const timer = setTimeout(() => reject(new Error(`emulator did not start: ${stderr}`)), 20_000);
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      const line = stdout.split('\n')[0];
      if (stdout.includes('\n') && line) {
        clearTimeout(timer);
        resolve(JSON.parse(line) as EmulatorInfo);
      }
    });
    child.on('exit', (code) => reject(new Error(`emulator exited ${code}: ${stderr}`)));
  });
  return {
    info,
    stderr: () => stderr,
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** The CLI flags that point at an emulator's trust anchor, profile, first role and endpoint. */
export function emulatorFlags(emulator: EmulatorInfo): string[] {
  return [
    '--trust-anchor-arn',
    emulator.trustAnchorArns[0] ?? '',
    '--profile-arn',
    emulator.profileArn,
    '--role-arn',
    emulator.roleArns[0] ?? '',
    '--endpoint',
    emulator.endpoint,
  ];
}
