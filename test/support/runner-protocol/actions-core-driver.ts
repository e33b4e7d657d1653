/**
 * Child process: applies a scenario's calls to @actions/core, whose stdout is this process's
 * own. argv: scenario JSON file, result JSON file. crypto.randomUUID is replaced (and the ESM
 * view of node:crypto synced) before @actions/core loads, so its heredoc delimiters are the
 * scenario's. Nothing else is printed to stdout.
 */
import crypto from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import type { Call, CallResult, Scenario } from './calls.js';
import { uuidSequence } from './calls.js';

const [scenarioPath, resultPath] = process.argv.slice(2) as [string, string];
const scenario = JSON.parse(readFileSync(scenarioPath, 'utf8')) as Scenario;
const uuids = uuidSequence(scenario.uuids);
crypto.randomUUID = uuids.next as typeof crypto.randomUUID;
syncBuiltinESMExports();
const core = await import('@actions/core');

type AnnotationProperties = import('@actions/core').AnnotationProperties;

/**
 * Our property names (the command's own) as @actions/core's annotation fields. Values pass as
 * written: it prints any value through toCommandValue, which keeps a string unchanged.
 */
function annotation(properties: Record<string, string> = {}): AnnotationProperties {
  if (Object.keys(properties).length === 0) return {};
  const { title, file, line, endLine, col, endColumn } = properties;
  const fields = { title, file, startLine: line, endLine, startColumn: col, endColumn };
  return fields as unknown as AnnotationProperties;
}

function command(call: Extract<Call, { op: 'command' }>): void {
  if (call.command === 'add-mask') core.setSecret(call.message);
  else if (call.command === 'debug') core.debug(call.message);
  else if (call.command === 'group') core.startGroup(call.message);
  else if (call.command === 'endgroup') core.endGroup();
  else core[call.command](call.message, annotation(call.properties));
}

async function apply(call: Call): Promise<CallResult> {
  switch (call.op) {
    case 'input':
      return { value: core.getInput(call.name, { required: call.required ?? false }) };
    case 'booleanInput':
      return { value: core.getBooleanInput(call.name) };
    case 'state':
      return { value: core.getState(call.name) };
    case 'mask':
      core.setSecret(call.value);
      break;
    case 'command':
      command(call);
      break;
    case 'info':
      core.info(call.message);
      break;
    case 'warning':
    case 'error':
      if (call.title === undefined) core[call.op](call.message);
      else core[call.op](call.message, { title: call.title });
      break;
    case 'exportVariable':
    case 'setOutput':
    case 'saveState':
      core[call.op](call.name, call.value);
      break;
    case 'addPath':
      core.addPath(call.directory);
      break;
    case 'summary':
      await core.summary.addRaw(call.markdown).write();
      break;
  }
  return {};
}

const results: CallResult[] = [];
for (const call of scenario.calls) {
  try {
    results.push(await apply(call));
  } catch (error) {
    results.push({ threw: error instanceof Error ? error.message : String(error) });
  }
}
const env = Object.fromEntries((scenario.watch ?? []).map((name) => [name, process.env[name] ?? null]));
writeFileSync(resultPath, JSON.stringify({ results, env, uuidsUsed: uuids.used() }));
