// A minimal Azure Pipelines agent environment for one task step: inputs as INPUT_<NAME> and the
// agent variables the task reads. (test/support/azure-agent.ts is the full harness for tests.)
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

export function agentStepEnv(dir, inputs) {
  const tempDir = join(dir, 'agent-temp');
  const home = join(dir, 'home');
  mkdirSync(tempDir, { recursive: true });
  mkdirSync(home, { recursive: true });
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: home,
    AGENT_TEMPDIRECTORY: tempDir,
    AGENT_VERSION: '4.266.0',
    SYSTEM_DEFAULTWORKINGDIRECTORY: home,
  };
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value;
  return env;
}

/** The task reports its result with ##vso[task.complete result=...]. */
export const taskSucceeded = (result) =>
  result.code === 0 && /##vso\[task\.complete result=Succeeded/.test(result.stdout);
