/** Post-job: every file the task wrote lives under Agent.TempDirectory/iamra; remove it. Idempotent. */
import { existsSync, rmSync } from 'node:fs';
import { iamraDir } from '@iamra/core';
import * as tl from 'azure-pipelines-task-lib/task.js';

export function runPost(): void {
  const tempDir = tl.getVariable('Agent.TempDirectory');
  if (!tempDir) {
    tl.setResult(tl.TaskResult.Succeeded, 'nothing to clean up');
    return;
  }
  const dir = iamraDir(tempDir);
  const existed = existsSync(dir);
  try {
    rmSync(dir, { recursive: true, force: true });
    tl.setResult(tl.TaskResult.Succeeded, existed ? `removed ${dir}` : 'nothing to clean up');
  } catch (error) {
    tl.warning(`cleanup incomplete: ${error instanceof Error ? error.message : 'unknown error'}`);
  }
}
