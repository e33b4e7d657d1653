/** Runs a scenario through our Runner, in-process, with stdout captured and its own environment object. */
import { booleanInput } from '../../../packages/github-action/src/boolean-input.js';
import { Runner } from '../../../packages/github-action/src/runner/commands.js';
import { testDir } from '../pki.js';
import {
  type Call,
  type CallResult,
  type Outcome,
  prepareFiles,
  readFiles,
  type Scenario,
  uuidSequence,
} from './calls.js';

function apply(runner: Runner, call: Call): CallResult {
  switch (call.op) {
    case 'input':
      return { value: runner.input(call.name, { required: call.required ?? false }) };
    case 'booleanInput':
      return { value: booleanInput(runner, call.name, false) };
    case 'state':
      return { value: runner.state(call.name) };
    case 'mask':
      runner.mask(call.value);
      break;
    case 'command':
      runner.command(call.command, call.message, call.properties);
      break;
    case 'info':
      runner.info(call.message);
      break;
    case 'warning':
    case 'error':
      runner[call.op](call.message, call.title);
      break;
    case 'exportVariable':
    case 'setOutput':
    case 'saveState':
      runner[call.op](call.name, call.value);
      break;
    case 'addPath':
      runner.addPath(call.directory);
      break;
    case 'summary':
      runner.appendSummary(call.markdown);
      break;
  }
  return {};
}

export function runOurs(scenario: Scenario): Outcome {
  const fileEnv = prepareFiles(testDir(), scenario);
  const env: NodeJS.ProcessEnv = { ...scenario.env, ...fileEnv };
  const uuids = uuidSequence(scenario.uuids);
  let stdout = '';
  const runner = new Runner({ env, stdout: { write: (text: string) => (stdout += text) }, randomUUID: uuids.next });
  const results: CallResult[] = scenario.calls.map((call) => {
    try {
      return apply(runner, call);
    } catch (error) {
      return { threw: error instanceof Error ? error.message : String(error) };
    }
  });
  return {
    stdout: Buffer.from(stdout, 'utf8').toString('latin1'),
    files: readFiles(fileEnv),
    results,
    env: Object.fromEntries((scenario.watch ?? []).map((name) => [name, env[name] ?? null])),
    uuidsUsed: uuids.used(),
  };
}
