/**
 * The Action's hand-written runner protocol (packages/github-action/src/runner) against
 * @actions/core@3: the same calls on both, compared byte for byte (stdout and every file-command
 * file), with the same heredoc delimiters (crypto.randomUUID replaced on both sides). Ours runs
 * in-process, @actions/core in a child process whose stdout is captured whole. Each place where
 * ours differs on purpose is named and tested in runner-protocol-differences.test.ts.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { EOL } from 'node:os';
import { join, delimiter as SEP } from 'node:path';
import { repoRoot } from '../support/peers.js';
import type { Call, Scenario } from '../support/runner-protocol/calls.js';
import { assertOrdinary, delimiter, differential, heredoc, UUIDS } from '../support/runner-protocol/differential.js';

const D = delimiter;

describe('runner protocol: ours and @actions/core@3, byte for byte', function () {
  this.timeout(60_000);

  it('is compared against @actions/core 3.x', () => {
    const { version } = JSON.parse(readFileSync(join(repoRoot, 'node_modules/@actions/core/package.json'), 'utf8'));
    assert.match(version, /^3\./, 'a new major of @actions/core: rerun and review this differential');
  });

  it('getInput: INPUT_ upper-cased, spaces to underscores, hyphens kept, trimmed, required', async () => {
    const scenario: Scenario = {
      env: {
        INPUT_MY_INPUT: '  spaced name  ',
        'INPUT_ROLE-ARN': 'arn:aws:iam::111122223333:role/deploy',
        'INPUT_MIXED_CASE-NAME': '\n  -----BEGIN KEY-----\r\n  abc%0A:,\n-----END KEY-----  \n\t',
        INPUT_TWO__SPACES: 'two',
        INPUT_FLAG: 'True',
        INPUT_OFF: 'FALSE',
        INPUT_BAD: 'yes',
        STATE_saved: '{"dirs":["/tmp/a b"]}\nsecond line',
      },
      calls: [
        { op: 'input', name: 'my input' },
        { op: 'input', name: 'role-arn' },
        { op: 'input', name: 'Mixed Case-name' },
        { op: 'input', name: 'two  spaces' },
        { op: 'input', name: 'absent' },
        { op: 'input', name: 'role-arn', required: true },
        { op: 'input', name: 'absent', required: true },
        { op: 'booleanInput', name: 'flag' },
        { op: 'booleanInput', name: 'off' },
        { op: 'booleanInput', name: 'bad' },
        { op: 'state', name: 'saved' },
        { op: 'state', name: 'never-saved' },
      ],
      uuids: UUIDS,
    };
    const { ours } = await differential(scenario);
    assert.deepEqual(ours.results, [
      { value: 'spaced name' },
      { value: 'arn:aws:iam::111122223333:role/deploy' },
      { value: '-----BEGIN KEY-----\r\n  abc%0A:,\n-----END KEY-----' },
      { value: 'two' },
      { value: '' },
      { value: 'arn:aws:iam::111122223333:role/deploy' },
      { threw: 'input absent is required' },
      { value: true },
      { value: false },
      { threw: "input bad must be true or false; got 'yes'" },
      { value: '{"dirs":["/tmp/a b"]}\nsecond line' },
      { value: '' },
    ]);
  });

  it('workflow commands: masks (multi-line secrets too), debug, groups, annotations, log lines', async () => {
    const secret = 'line1 %\nline2:,\r\nline3';
    const calls: Call[] = [
      { op: 'mask', value: 'plain-secret' },
      { op: 'mask', value: secret },
      ...secret.split(/\r?\n/).map((line): Call => ({ op: 'mask', value: line })),
      { op: 'command', command: 'add-mask', message: '%25 already escaped?' },
      { op: 'command', command: 'debug', message: 'debug 50% a\r\nb: c, d' },
      { op: 'command', command: 'group', message: 'Group: one, two' },
      { op: 'command', command: 'endgroup', message: '' },
      {
        op: 'command',
        command: 'notice',
        message: 'first\nsecond 100%',
        properties: { title: 'T: a, b%', file: 'src/a,b.ts', line: '7', endLine: '9', col: '1', endColumn: '5' },
      },
      { op: 'command', command: 'warning', message: 'empty title left out', properties: { title: '', file: 'x:y' } },
      { op: 'command', command: 'error', message: 'only empty properties', properties: { title: '' } },
      { op: 'command', command: 'warning', message: 'no properties' },
      { op: 'info', message: 'Assumed arn:aws:sts::111122223333:assumed-role/deploy/s (100%, 1 attempt)' },
      { op: 'warning', message: 'THROTTLED: retrying: 50% of budget, a:b' },
      { op: 'error', message: 'CONFIG_INVALID: input x is required', title: 'custom: t,1%' },
    ];
    assertOrdinary(calls);
    const { ours } = await differential({ env: {}, calls, uuids: UUIDS });
    const lines = ours.stdout.split(EOL);
    assert.deepEqual(lines.slice(0, 6), [
      '::add-mask::plain-secret',
      '::add-mask::line1 %25%0Aline2:,%0D%0Aline3',
      '::add-mask::line1 %25',
      '::add-mask::line2:,',
      '::add-mask::line3',
      '::add-mask::%2525 already escaped?',
    ]);
    assert.ok(
      lines.includes(
        '::notice title=T%3A a%2C b%25,file=src/a%2Cb.ts,line=7,endLine=9,col=1,endColumn=5::first%0Asecond 100%25',
      ),
    );
    assert.ok(lines.includes('::warning file=x%3Ay::empty title left out'));
    assert.ok(lines.includes('::error ::only empty properties'));
    assert.ok(lines.includes('::warning title=iamra::THROTTLED: retrying: 50%25 of budget, a:b'));
    assert.ok(lines.includes('::group::Group: one, two') && lines.includes('::endgroup::'));
  });

  it('file commands: env, outputs, state, PATH and the summary, with multi-line and escaped-looking values', async () => {
    const token = `IQoJb3JpZ2luX2VjE${'A'.repeat(600)}==`;
    const scenario: Scenario = {
      env: { PATH: `/usr/bin${SEP}/bin` },
      calls: [
        { op: 'exportVariable', name: 'AWS_REGION', value: 'eu-west-1' },
        { op: 'exportVariable', name: 'MULTI', value: 'a\nb\r\nc\n' },
        { op: 'exportVariable', name: 'PCT', value: '%25%0A: , %' },
        { op: 'exportVariable', name: 'EMPTY', value: '' },
        { op: 'setOutput', name: 'aws-session-token', value: token },
        { op: 'setOutput', name: 'multi line', value: 'x\ny' },
        { op: 'saveState', name: 'iamra', value: '{"profileDirs":["/runner/_temp/iamra-x"],"exported":[]}' },
        { op: 'addPath', directory: '/opt/iamra/cli' },
        { op: 'addPath', directory: 'C:\\tools,a:b %' },
        { op: 'summary', markdown: '### IAM Roles Anywhere\n\n| a | b |\n|---|---|\n' },
        { op: 'summary', markdown: 'no newline %0A\r\nend' },
      ],
      uuids: UUIDS,
      watch: ['AWS_REGION', 'MULTI', 'PCT', 'EMPTY', 'PATH'],
    };
    const { ours } = await differential(scenario);
    assert.equal(
      ours.files.GITHUB_ENV,
      heredoc('AWS_REGION', 'eu-west-1', 1) +
        heredoc('MULTI', 'a\nb\r\nc\n', 2) +
        heredoc('PCT', '%25%0A: , %', 3) +
        heredoc('EMPTY', '', 4),
    );
    assert.equal(ours.files.GITHUB_OUTPUT, heredoc('aws-session-token', token, 5) + heredoc('multi line', 'x\ny', 6));
    assert.match(ours.files.GITHUB_STATE ?? '', new RegExp(`^iamra<<${D(7)}${EOL}`));
    assert.equal(ours.files.GITHUB_PATH, `/opt/iamra/cli${EOL}C:\\tools,a:b %${EOL}`);
    assert.equal(
      ours.files.GITHUB_STEP_SUMMARY,
      '### IAM Roles Anywhere\n\n| a | b |\n|---|---|\nno newline %0A\r\nend',
    );
    assert.equal(ours.env.PATH, ['C:\\tools,a:b %', '/opt/iamra/cli', '/usr/bin', '/bin'].join(SEP));
    assert.equal(ours.env.MULTI, 'a\nb\r\nc\n');
    assert.equal(ours.uuidsUsed, 7);
  });

  it('refuses a name or value holding its heredoc delimiter, as @actions/core does, writing nothing', async () => {
    const scenario: Scenario = {
      env: {},
      calls: [
        { op: 'setOutput', name: 'aws-session-token', value: `x${EOL}${D(1)}${EOL}injected=1` },
        { op: 'setOutput', name: `a${D(2)}`, value: 'v' },
        { op: 'saveState', name: 'iamra', value: `…${D(3)}` },
        { op: 'exportVariable', name: 'SPOOF', value: D(4) },
        { op: 'setOutput', name: 'after', value: 'still written' },
      ],
      uuids: UUIDS,
    };
    const { ours, core } = await differential(scenario);
    assert.deepEqual(
      ours.results.map((r) => 'threw' in r),
      [true, true, true, true, false],
    );
    assert.match(core.results[0]?.threw ?? '', /value should not contain the delimiter/);
    assert.match(core.results[1]?.threw ?? '', /name should not contain the delimiter/);
    assert.equal(ours.files.GITHUB_OUTPUT, heredoc('after', 'still written', 5));
    assert.equal(ours.files.GITHUB_STATE, '');
    assert.equal(ours.files.GITHUB_ENV, '');
  });

  it('refuses a file-command variable naming no file, as @actions/core does', async () => {
    const scenario: Scenario = {
      env: {},
      calls: [
        { op: 'setOutput', name: 'o', value: 'v' },
        { op: 'saveState', name: 's', value: 'v' },
        { op: 'addPath', directory: '/opt/x' },
        { op: 'summary', markdown: 'x' },
      ],
      uuids: UUIDS,
      uncreated: ['GITHUB_OUTPUT', 'GITHUB_STATE', 'GITHUB_PATH', 'GITHUB_STEP_SUMMARY'],
    };
    const { ours, core } = await differential(scenario);
    assert.ok(ours.results.every((r) => 'threw' in r));
    assert.match(core.results[0]?.threw ?? '', /Missing file at path/);
    assert.match(ours.results[0]?.threw ?? '', /GITHUB_OUTPUT names no existing file/);
    assert.deepEqual(Object.keys(ours.files), ['GITHUB_ENV']);
  });
});
