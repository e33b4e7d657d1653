/**
 * azure-pipelines-task-lib echoes every input it reads in a debug line, and moves inputs out of
 * the environment when it loads. So the secret inputs are masked here, straight from the
 * environment, before task-lib is even imported.
 */
import { secretLines } from '@iamra/core';

export const SECRET_INPUTS = ['privateKeyPassphrase', 'pkcs12Password'];

function escapeData(value: string): string {
  return value.replace(/%/g, '%AZP25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

export function maskSecretInputs(env: NodeJS.ProcessEnv, write: (line: string) => void): void {
  for (const name of SECRET_INPUTS) {
    const value = env[`INPUT_${name.toUpperCase()}`];
    if (!value) continue;
    for (const line of secretLines(value)) write(`##vso[task.setsecret]${escapeData(line)}\n`);
  }
}
