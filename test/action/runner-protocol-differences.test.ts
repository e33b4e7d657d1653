/**
 * Where the Action's runner protocol differs from @actions/core@3 on purpose, one test each
 * (the README's runner-protocol note lists the same). Both sides run; each test asserts what
 * each does, so a change on either side shows here. Everything else is byte-identical
 * (runner-protocol-differential.test.ts).
 */
import assert from 'node:assert/strict';
import { EOL } from 'node:os';
import { delimiter as SEP } from 'node:path';
import { ACTION_COMMANDS, HOSTILE_TEXT, injectedCommands } from '../support/log-commands.js';
import { runActionsCore } from '../support/runner-protocol/actions-core.js';
import type { Call, Scenario } from '../support/runner-protocol/calls.js';
import { delimiter, differential, UUIDS } from '../support/runner-protocol/differential.js';
import { runOurs } from '../support/runner-protocol/ours.js';

async function bothSides(scenario: Scenario) {
  return { ours: runOurs(scenario), core: await runActionsCore(scenario) };
}

describe('runner protocol: where ours differs from @actions/core@3 on purpose', function () {
  this.timeout(60_000);

  it('1. info, warning and error neutralise the text they quote; @actions/core prints it as given', async () => {
    const calls = HOSTILE_TEXT.flatMap((text): Call[] => [
      { op: 'info', message: text },
      { op: 'warning', message: text },
      { op: 'error', message: text, title: 'iamra' },
    ]);
    // Ours is exactly @actions/core given neutralizeForLog's text...
    const { ours } = await differential({ env: {}, calls, uuids: UUIDS });
    assert.deepEqual(injectedCommands(ours.stdout, ACTION_COMMANDS), []);
    // ...while @actions/core given the text itself lets the runner act on what it quotes.
    const raw = await runActionsCore({ env: {}, calls, uuids: UUIDS });
    assert.ok(injectedCommands(raw.stdout, ACTION_COMMANDS).length >= HOSTILE_TEXT.length / 2);
  });

  it('2. warning and error carry the title "iamra" unless given another', async () => {
    const { ours, core } = await bothSides({ env: {}, calls: [{ op: 'warning', message: 'm' }], uuids: UUIDS });
    assert.equal(ours.stdout, `::warning title=iamra::m${EOL}`);
    assert.equal(core.stdout, `::warning::m${EOL}`);
  });

  it('3. a required input holding only whitespace is missing; @actions/core returns ""', async () => {
    const scenario: Scenario = {
      env: { INPUT_BLANK: ' \n\t ' },
      calls: [{ op: 'input', name: 'blank', required: true }],
      uuids: UUIDS,
    };
    const { ours, core } = await bothSides(scenario);
    assert.deepEqual(ours.results, [{ threw: 'input blank is required' }]);
    assert.deepEqual(core.results, [{ value: '' }]);
  });

  it('4. an empty boolean input takes its default; @actions/core throws', async () => {
    const { ours, core } = await bothSides({ env: {}, calls: [{ op: 'booleanInput', name: 'absent' }], uuids: UUIDS });
    assert.deepEqual(ours.results, [{ value: false }]);
    assert.match(core.results[0]?.threw ?? '', /Input does not meet YAML 1.2 "Core Schema" specification: absent/);
  });

  it('5. an empty mask is not written; @actions/core writes it and the runner warns it cannot mask ""', async () => {
    const { ours, core } = await bothSides({ env: {}, calls: [{ op: 'mask', value: '' }], uuids: UUIDS });
    assert.equal(ours.stdout, '');
    assert.equal(core.stdout, `::add-mask::${EOL}`);
  });

  it('6. without file-command variables it refuses; @actions/core falls back to stdout commands runners disable', async () => {
    const scenario: Scenario = {
      env: { PATH: '/usr/bin' },
      calls: [
        { op: 'exportVariable', name: 'X', value: 'v' },
        { op: 'setOutput', name: 'o', value: 'v' },
        { op: 'saveState', name: 's', value: 'v' },
        { op: 'summary', markdown: 'md' },
        { op: 'addPath', directory: '/opt/x' },
      ],
      uuids: UUIDS,
      watch: ['X', 'PATH'],
      unset: ['GITHUB_ENV', 'GITHUB_OUTPUT', 'GITHUB_STATE', 'GITHUB_PATH', 'GITHUB_STEP_SUMMARY'],
    };
    const { ours, core } = await bothSides(scenario);
    assert.deepEqual(ours.results, [
      { threw: 'GITHUB_ENV is not set: run this as a GitHub Actions step' },
      { threw: 'GITHUB_OUTPUT is not set: run this as a GitHub Actions step' },
      { threw: 'GITHUB_STATE is not set: run this as a GitHub Actions step' },
      {},
      {},
    ]);
    assert.equal(ours.stdout, '');
    assert.deepEqual(ours.env, { X: null, PATH: `/opt/x${SEP}/usr/bin` });
    assert.equal(
      core.stdout,
      `::set-env name=X::v${EOL}${EOL}::set-output name=o::v${EOL}::save-state name=s::v${EOL}::add-path::/opt/x${EOL}`,
    );
    assert.match(core.results[3]?.threw ?? '', /Unable to find environment variable for \$GITHUB_STEP_SUMMARY/);
    assert.deepEqual(core.env, { X: 'v', PATH: `/opt/x${SEP}/usr/bin` });
  });

  it('7. addPath with no PATH set makes PATH the directory alone; @actions/core appends "undefined"', async () => {
    const scenario: Scenario = {
      env: {},
      calls: [{ op: 'addPath', directory: '/opt/x' }],
      uuids: UUIDS,
      watch: ['PATH'],
    };
    const { ours, core } = await bothSides(scenario);
    assert.deepEqual(ours.env, { PATH: '/opt/x' });
    assert.deepEqual(core.env, { PATH: `/opt/x${SEP}undefined` });
    assert.equal(ours.files.GITHUB_PATH, core.files.GITHUB_PATH);
  });

  it("8. a refused exportVariable leaves the step's environment as it was; @actions/core has already set it", async () => {
    const scenario: Scenario = {
      env: {},
      calls: [{ op: 'exportVariable', name: 'SPOOF', value: `x${delimiter(1)}` }],
      uuids: UUIDS,
      watch: ['SPOOF'],
    };
    const { ours, core } = await bothSides(scenario);
    assert.ok(ours.results[0]?.threw && core.results[0]?.threw);
    assert.deepEqual(ours.env, { SPOOF: null });
    assert.deepEqual(core.env, { SPOOF: `x${delimiter(1)}` });
    assert.equal(ours.files.GITHUB_ENV, '');
    assert.equal(core.files.GITHUB_ENV, '');
  });
});
