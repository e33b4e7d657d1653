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

/** The job token and secure-file tickets: task-lib prints them in debug lines too. */
function agentSecrets(env: NodeJS.ProcessEnv): string[] {
  return Object.entries(env)
    .filter(
      ([name]) =>
        name === 'ENDPOINT_AUTH_PARAMETER_SYSTEMVSSCONNECTION_ACCESSTOKEN' || name.startsWith('SECUREFILE_TICKET_'),
    )
    .map(([, value]) => value ?? '');
}

export function maskSecretInputs(env: NodeJS.ProcessEnv, write: (line: string) => void): void {
  const values = [...SECRET_INPUTS.map((name) => env[`INPUT_${name.toUpperCase()}`] ?? ''), ...agentSecrets(env)];
  for (const value of values) {
    // The agent masks single lines: a multi-line value is masked line by line only.
    for (const line of secretLines(value).filter((l) => !l.includes('\n'))) {
      write(`##vso[task.setsecret]${escapeData(line)}\n`);
    }
  }
}
