/**
 * Every example a user copies must be valid: each step that uses our action or task names only
 * inputs that exist, gives every required one, and uses allowed values for pick lists.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { repoRoot } from '../support/peers.js';

interface ActionInput {
  required?: boolean;
  default?: string;
}
interface TaskInput {
  name: string;
  type: string;
  required?: boolean;
  options?: Record<string, string>;
}

const action = parse(readFileSync(join(repoRoot, 'action.yml'), 'utf8')) as { inputs: Record<string, ActionInput> };
const task = JSON.parse(readFileSync(join(repoRoot, 'tasks', 'RolesAnywhereCredentialsV1', 'task.json'), 'utf8')) as {
  name: string;
  version: { Major: number };
  inputs: TaskInput[];
};

function yamlFiles(dir: string): string[] {
  return readdirSync(join(repoRoot, dir))
    .filter((name) => name.endsWith('.yml') || name.endsWith('.yaml'))
    .map((name) => join(repoRoot, dir, name));
}

/** Walks any YAML tree and yields every mapping (steps can nest under jobs, stages, templates). */
function* mappings(node: unknown): Generator<Record<string, unknown>> {
  if (Array.isArray(node)) {
    for (const item of node) yield* mappings(item);
  } else if (node && typeof node === 'object') {
    yield node as Record<string, unknown>;
    for (const value of Object.values(node)) yield* mappings(value);
  }
}

/** A `${{ }}` or `$( )` expression is resolved at run time; its value cannot be checked here. */
function isExpression(value: unknown): boolean {
  return typeof value === 'string' && /\$\{\{|\$\(|\$\[/.test(value);
}

describe('examples', () => {
  const githubFiles = yamlFiles('examples/github');
  const azureFiles = yamlFiles('examples/azure');

  it('has GitHub workflows for env mode, profile mode and a matrix of accounts', () => {
    assert.ok(githubFiles.length >= 3, `expected at least 3 workflows, found ${githubFiles.length}`);
  });

  it('has Azure pipelines for one account, stages with service connections or variable groups and a self-hosted agent', () => {
    assert.ok(azureFiles.length >= 4, `expected at least 4 pipelines, found ${azureFiles.length}`);
  });

  for (const file of githubFiles) {
    it(`${file.slice(repoRoot.length + 1)} uses only valid action inputs`, () => {
      const steps = [...mappings(parse(readFileSync(file, 'utf8')))].filter(
        (step) => typeof step.uses === 'string' && /iamra|roles-anywhere/i.test(step.uses),
      );
      assert.ok(steps.length > 0, 'no step uses the iamra action');
      for (const step of steps) {
        const given = (step.with ?? {}) as Record<string, unknown>;
        for (const name of Object.keys(given)) {
          assert.ok(name in action.inputs, `unknown input '${name}' in ${file}`);
        }
        for (const [name, input] of Object.entries(action.inputs)) {
          if (input.required) assert.ok(name in given, `required input '${name}' missing in ${file}`);
        }
        const hasCertificate = 'certificate' in given || 'pkcs12' in given;
        assert.ok(hasCertificate, `${file}: a step needs certificate or pkcs12`);
      }
    });
  }

  for (const file of azureFiles) {
    it(`${file.slice(repoRoot.length + 1)} uses only valid task inputs`, () => {
      const taskRef = `${task.name}@${task.version.Major}`;
      const steps = [...mappings(parse(readFileSync(file, 'utf8')))].filter((step) => step.task === taskRef);
      assert.ok(steps.length > 0, `no step uses ${taskRef}`);
      const byName = new Map(task.inputs.map((input) => [input.name, input]));
      for (const step of steps) {
        const given = (step.inputs ?? {}) as Record<string, unknown>;
        for (const [name, value] of Object.entries(given)) {
          const input = byName.get(name);
          assert.ok(input, `unknown input '${name}' in ${file}`);
          if (input.type === 'pickList' && input.options && !isExpression(value)) {
            assert.ok(String(value) in input.options, `'${String(value)}' is not an option of ${name} in ${file}`);
          }
        }
        for (const input of task.inputs) {
          if (input.required) assert.ok(input.name in given, `required input '${input.name}' missing in ${file}`);
        }
        const source = [
          'rolesAnywhereConnection',
          'certificateSecureFile',
          'certificateFile',
          'pkcs12SecureFile',
          'pkcs12File',
        ];
        assert.ok(
          source.some((name) => name in given),
          `${file}: a step needs a service connection, a certificate or a PKCS#12 file`,
        );
      }
    });
  }
});
