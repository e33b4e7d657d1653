/**
 * The bad-input corpus through the real CLI entry: each case must fail with its own code and
 * message, exit code 2, one line on stderr, no stack trace, no secret echoed.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '@iamra/cli';
import { neutralizeForLog } from '@iamra/core';
import { type RunningEmulator, startEmulator } from '@iamra/emulator';
import { parse } from 'yaml';
import {
  buildRecipe,
  CORPUS_PASSPHRASE,
  CORPUS_PKCS12_PASSWORD,
  type CorpusPki,
  corpusPki,
  writeInput,
} from '../corpus/recipes.js';
import { runCli } from '../support/cli-run.js';
import { injectedCommands } from '../support/log-commands.js';
import { repoRoot } from '../support/peers.js';

interface CorpusCase {
  name: string;
  code: string | string[];
  message: string;
  certificate?: { recipe: string };
  privateKey?: { recipe: string };
  pair?: { recipe: string };
  intermediates?: { recipe: string };
  pkcs12?: { recipe: string };
  passphrase?: string;
  pkcs12Password?: string;
  trustAnchorArn?: string;
  profileArn?: string;
  roleArn?: string;
  duration?: string;
  sessionName?: string;
  region?: string;
  endpoint?: string;
}

const cases = parse(readFileSync(join(repoRoot, 'test', 'corpus', 'bad-inputs.yaml'), 'utf8')) as CorpusCase[];

const VALID_ARNS = {
  trustAnchorArn: 'arn:aws:rolesanywhere:us-east-1:123456789012:trust-anchor/0c5a2b1e-7f4f-4c3b-9d6e-1a2b3c4d5e6f',
  profileArn: 'arn:aws:rolesanywhere:us-east-1:123456789012:profile/9f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0',
  roleArn: 'arn:aws:iam::123456789012:role/iamra-demo',
};

describe('reliability: bad-input corpus', function () {
  this.timeout(120_000);
  let pki: CorpusPki;
  let emulator: RunningEmulator;

  before(async () => {
    pki = corpusPki();
    // A running emulator behind the endpoint: a case that wrongly passed validation would succeed
    // (and fail its assertion) instead of waiting on retries.
    emulator = await startEmulator({ cas: [pki.root.certPem] });
  });
  after(() => emulator.stop());

  it('holds at least 40 cases', () => assert.ok(cases.length >= 40, `${cases.length} cases`));

  for (const testCase of cases) {
    // Titles are printed: a hostile case's name must not become a command in a CI log itself.
    it(neutralizeForLog(testCase.name), async () => {
      let certificate = writeInput(pki, 'leaf.pem', pki.leaf.certPem);
      let privateKey: string | undefined = writeInput(pki, 'leaf.key', pki.leaf.keyPem);
      const args: string[] = [];
      const env: Record<string, string> = { IAMRA_CACHE_DIR: join(pki.dir, 'cache') };
      const file = (spec: { recipe: string }, label: string): string => {
        if (spec.recipe === 'missing-file') return join(pki.dir, 'does-not-exist.pem');
        const value = buildRecipe(spec.recipe, pki);
        if (typeof value === 'object' && !Buffer.isBuffer(value)) throw new Error('pair recipe used as a file');
        return writeInput(pki, label, value);
      };
      if (testCase.certificate) certificate = file(testCase.certificate, 'cert');
      if (testCase.privateKey) privateKey = file(testCase.privateKey, 'key');
      if (testCase.pair) {
        const value = buildRecipe(testCase.pair.recipe, pki) as { certificate: string; key: string };
        certificate = writeInput(pki, 'pair.pem', value.certificate);
        privateKey = writeInput(pki, 'pair.key', value.key);
      }
      if (testCase.pkcs12) {
        args.push('--pkcs12', file(testCase.pkcs12, 'p12'));
        privateKey = undefined;
      } else {
        args.push('--certificate', certificate);
      }
      if (privateKey) args.push('--private-key', privateKey);
      if (testCase.intermediates) args.push('--intermediates', file(testCase.intermediates, 'chain'));
      if (testCase.passphrase) env.IAMRA_PRIVATE_KEY_PASSPHRASE = testCase.passphrase;
      if (testCase.pkcs12Password) env.IAMRA_PKCS12_PASSWORD = testCase.pkcs12Password;
      const arns = { ...VALID_ARNS, ...(testCase.trustAnchorArn ? { trustAnchorArn: testCase.trustAnchorArn } : {}) };
      if (testCase.profileArn) arns.profileArn = testCase.profileArn;
      if (testCase.roleArn !== undefined) arns.roleArn = testCase.roleArn;
      args.push('--trust-anchor-arn', arns.trustAnchorArn, '--profile-arn', arns.profileArn);
      if (arns.roleArn) args.push('--role-arn', arns.roleArn);
      if (testCase.duration !== undefined) args.push('--session-duration', testCase.duration);
      if (testCase.sessionName !== undefined) args.push('--role-session-name', testCase.sessionName);
      if (testCase.region !== undefined) args.push('--region', testCase.region);
      args.push('--endpoint', testCase.endpoint ?? emulator.endpoint, '--retry-max-attempts', '1');

      const result = await runCli(main, ['credential-process', ...args], env);
      const codes = Array.isArray(testCase.code) ? testCase.code : [testCase.code];
      assert.equal(result.exitCode, 2, `exit code; stderr: ${result.stderr}`);
      assert.equal(result.stdout, '');
      const lines = result.stderr.trimEnd().split('\n');
      assert.equal(lines.length, 1, `one line on stderr, got:\n${result.stderr}`);
      const match = /^iamra: ([A-Z0-9_]+): (.+)$/.exec(lines[0] ?? '');
      assert.ok(match, `format: ${lines[0]}`);
      assert.ok(codes.includes(match[1] ?? ''), `code ${match[1]} not in ${codes.join(', ')}: ${lines[0]}`);
      assert.match(match[2] ?? '', new RegExp(testCase.message, 'i'));
      assert.doesNotMatch(result.stderr, /\s+at .+:\d+:\d+/, 'no stack trace');
      assert.deepEqual(injectedCommands(result.stderr), [], 'no runner or agent command in the line');
      for (const secret of [...pki.secrets, CORPUS_PASSPHRASE, CORPUS_PKCS12_PASSWORD]) {
        assert.ok(!result.stderr.includes(secret), 'a secret was echoed');
      }
    });
  }
});
