/**
 * actionlint over every example workflow (examples/github) with its `uses:` pointed at this
 * repository's action, so each example's inputs are checked against action.yml (names,
 * required inputs) and the bundles action.yml names must exist. The act suite's own workflow
 * is checked the same way.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { actWorkspace } from '../../support/act.js';
import { peers, repoRoot } from '../../support/peers.js';

const run = promisify(execFile);
const examples = join(repoRoot, 'examples', 'github');
const fixtures = join(repoRoot, 'test', 'action', 'act', 'fixtures');
const PUBLISHED = /uses: iamra\/iamra@v\d+/;

interface Finding {
  message: string;
  filepath: string;
  line: number;
}

/** The workflows in a repository holding the action; actionlint's findings (none when clean). */
async function lint(workflows: Record<string, string>): Promise<Finding[]> {
  const files = Object.fromEntries(
    Object.entries(workflows).map(([name, text]) => [
      `.github/workflows/${name}`,
      text.replaceAll(new RegExp(PUBLISHED, 'g'), 'uses: ./'),
    ]),
  );
  const workspace = actWorkspace(files, { 'test-fixtures': fixtures });
  const result = await run(peers.actionlint(), ['-no-color', '-format', '{{json .}}'], { cwd: workspace.repo }).then(
    ({ stdout }) => stdout,
    (error: { code?: number; stdout?: string }) => {
      if (error.code !== 1) throw error;
      return error.stdout ?? '';
    },
  );
  return JSON.parse(result || '[]') as Finding[];
}

describe('example workflows under actionlint, against the local action.yml', function () {
  this.timeout(60_000);
  const exampleFiles = readdirSync(examples).filter((name) => /\.ya?ml$/.test(name));

  it('every example uses the published action (so the rewrite to ./ covers it)', () => {
    assert.ok(exampleFiles.length >= 3);
    for (const name of exampleFiles) {
      assert.match(readFileSync(join(examples, name), 'utf8'), PUBLISHED, name);
    }
  });

  it('every example, and the act suite workflow, passes', async () => {
    const workflows = Object.fromEntries(
      exampleFiles.map((name) => [name, readFileSync(join(examples, name), 'utf8')]),
    );
    workflows['act-suite.yml'] = readFileSync(join(fixtures, 'workflow.yml'), 'utf8');
    // The jobs the many-accounts suite adds to its example, as a workflow of their own.
    workflows['act-refusals.yml'] = `on: push\n${readFileSync(join(fixtures, 'many-accounts-refusals.yml'), 'utf8')}`;
    const findings = await lint(workflows);
    assert.deepEqual(
      findings.map((f) => `${f.filepath}:${f.line}: ${f.message}`),
      [],
    );
  });

  it('finds an unknown input and a missing required one (the check is live)', async () => {
    const workflow = `on: push
jobs:
  one:
    runs-on: ubuntu-latest
    steps:
      - uses: iamra/iamra@v1
        with:
          certificate: x
          trust-anchor-arn: x
          profile-arn: x
          role-duration: '900'
`;
    const messages = (await lint({ 'bad.yml': workflow })).map((f) => f.message).join('\n');
    assert.match(messages, /input "role-duration" is not defined/);
    assert.match(messages, /missing input "role-arn"/);
  });
});
