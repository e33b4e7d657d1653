/**
 * action.yml as the runner and the Marketplace read it. The runner evaluates `${{ … }}` in
 * action metadata (even inside a description) and refuses to load the action; the Marketplace
 * refuses a description of 125 characters or more. Either defect fails every user's job at
 * "Set up job", so no string of action.yml may hold an expression.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isMap, isScalar, isSeq, type Node, parseDocument } from 'yaml';
import { repoRoot } from '../support/peers.js';

const MAX_DESCRIPTION = 124;

/** Every string in a YAML document (keys and values), with its path for the message. */
function strings(node: Node | null | undefined, path: string, out: { path: string; text: string }[]): void {
  if (!node) return;
  if (isScalar(node)) {
    if (typeof node.value === 'string') out.push({ path, text: node.value });
  } else if (isMap(node)) {
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : '?';
      strings(pair.key as Node, `${path}.${key} (key)`, out);
      strings(pair.value as Node, `${path}.${key}`, out);
    }
  } else if (isSeq(node)) {
    for (const [index, item] of node.items.entries()) strings(item as Node, `${path}[${index}]`, out);
  }
}

/** What the runner or the Marketplace would refuse in this action metadata. */
function metadataProblems(text: string): string[] {
  const document = parseDocument(text);
  if (document.errors.length > 0) return document.errors.map((error) => `YAML: ${error.message}`);
  const found: { path: string; text: string }[] = [];
  strings(document.contents as Node, '', found);
  const problems = found
    .filter(({ text: value }) => value.includes('${{'))
    .map(({ path }) => `${path.slice(1)} holds an expression (\${{ … }}): the runner refuses to load the action`);
  const description = document.get('description');
  if (typeof description !== 'string' || description.trim() === '') {
    problems.push('description is missing');
  } else if (description.length > MAX_DESCRIPTION) {
    problems.push(`description is ${description.length} characters; the Marketplace takes at most ${MAX_DESCRIPTION}`);
  }
  return problems;
}

describe('action.yml metadata', () => {
  it('holds no expression in any string, and a description the Marketplace accepts', () => {
    assert.deepEqual(metadataProblems(readFileSync(join(repoRoot, 'action.yml'), 'utf8')), []);
  });

  it('is refused with an expression anywhere: a description, a default, a key, a list item', () => {
    const base = 'name: x\ndescription: "short"\n';
    const open = '$'.concat('{{');
    const cases = [
      `inputs:\n  a:\n    description: "e.g. ${open} secrets.CERT }}"\n`,
      `inputs:\n  a:\n    description: ok\n    default: ${open} github.token }}\n`,
      `inputs:\n  "${open} x }}":\n    description: ok\n`,
      `runs:\n  using: composite\n  steps:\n    - run: echo ${open} inputs.a }}\n`,
      `inputs:\n  a:\n    description: |\n      line one\n      see ${open}github.token}}\n`,
    ];
    for (const extra of cases) {
      const problems = metadataProblems(base + extra);
      assert.equal(problems.length, 1, extra);
      assert.match(problems[0] ?? '', /holds an expression/);
    }
  });

  it('is refused with a description of 125 characters or more, or none', () => {
    const withDescription = (length: number) => `name: x\ndescription: "${'d'.repeat(length)}"\n`;
    assert.deepEqual(metadataProblems(withDescription(124)), []);
    assert.match(metadataProblems(withDescription(125))[0] ?? '', /125 characters; the Marketplace takes at most 124/);
    assert.match(metadataProblems('name: x\n')[0] ?? '', /description is missing/);
    assert.match(metadataProblems('name: [x\n')[0] ?? '', /^YAML: /);
  });
});
