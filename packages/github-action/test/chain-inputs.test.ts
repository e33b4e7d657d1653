/**
 * The Action's chaining inputs as a real runner passes them: every input with a default in
 * action.yml arrives set (INPUT_X=default), so each default must be a value the step accepts.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveAdapterChain, resolveSessionParameters } from '@iamra/core';
import { parse } from 'yaml';
import { readActionConfig } from '../src/inputs.js';
import { Runner } from '../src/runner/commands.js';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const action = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as {
  inputs: Record<string, { default?: string }>;
};
const ARNS = {
  'trust-anchor-arn': 'arn:aws:rolesanywhere:eu-west-1:111122223333:trust-anchor/0c5a2b1e-7f4f-4c3b-9d6e-1a2b3c4d5e6f',
  'profile-arn': 'arn:aws:rolesanywhere:eu-west-1:111122223333:profile/9f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0',
  'role-arn': 'arn:aws:iam::111122223333:role/hub',
  certificate: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n',
};
const DEPLOY = 'arn:aws:iam::444455556666:role/deploy';

/** The runner's view: action.yml's defaults, then the step's `with:`. */
function config(given: Record<string, string>) {
  const env: NodeJS.ProcessEnv = {};
  const defaults = Object.entries(action.inputs).flatMap(([name, input]) =>
    input.default !== undefined ? [[name, input.default] as const] : [],
  );
  for (const [name, value] of [...defaults, ...Object.entries({ ...ARNS, ...given })]) {
    env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value;
  }
  return readActionConfig(new Runner({ env, stdout: { write: () => true } }));
}

/** What obtainSession resolves from the config before any request. */
function chainOf(read: ReturnType<typeof config>, env: NodeJS.ProcessEnv) {
  const { assumeRoles, stsEndpoint } = read.chain;
  return resolveAdapterChain(
    { assumeRoles, ...(stsEndpoint ? { stsEndpoint } : {}) },
    resolveSessionParameters(read.session),
    env,
  );
}

describe('action chaining inputs', () => {
  it("action.yml's defaults make a valid chain: the STS endpoint stays the regional one", () => {
    const read = config({ 'assume-role-arn': DEPLOY });
    const chain = chainOf(read, {});
    assert.equal(chain?.stsEndpoint, undefined);
    assert.equal(chain?.hops[0]?.durationSeconds, 3600);
  });

  it('assume-role-tags and assume-role-transitive-tag-keys become the last hop’s session tags', () => {
    const read = config({
      'assume-role-arn': DEPLOY,
      'assume-role-tags': 'team=platform\nrepository=octo/app',
      'assume-role-transitive-tag-keys': 'team',
    });
    const chain = chainOf(read, {});
    assert.deepEqual(chain?.hops[0]?.tags, [
      { key: 'team', value: 'platform' },
      { key: 'repository', value: 'octo/app' },
    ]);
    assert.deepEqual(chain?.hops[0]?.transitiveTagKeys, ['team']);
  });

  it('refuses a tag STS would refuse before any request, naming the hop', () => {
    const read = config({ 'assume-role-arn': DEPLOY, 'assume-role-tags': `team=${'x'.repeat(257)}` });
    assert.throws(() => chainOf(read, {}), /assumed role 1: session tag 'team' has a value that is not 0-256/);
  });
});
