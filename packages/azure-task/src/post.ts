/** Post-job: every file the task wrote lives under Agent.TempDirectory/iamra; remove it. Idempotent. */
import { existsSync, rmSync } from 'node:fs';
import { iamraDir } from '@iamra/core';
import type { Agent } from './agent/agent.js';

export function runPost(agent: Agent): void {
  const tempDir = agent.variable('Agent.TempDirectory');
  if (!tempDir) {
    agent.complete('Succeeded', 'nothing to clean up');
    return;
  }
  const dir = iamraDir(tempDir);
  const existed = existsSync(dir);
  try {
    rmSync(dir, { recursive: true, force: true });
    agent.complete('Succeeded', existed ? `removed ${dir}` : 'nothing to clean up');
  } catch (error) {
    // Cleanup must not fail the job; the agent removes its temp directory at the end anyway.
    agent.warning(`cleanup incomplete: ${error instanceof Error ? error.message : 'unknown error'}`);
    agent.complete('SucceededWithIssues', 'cleanup incomplete');
  }
}
