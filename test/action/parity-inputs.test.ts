/**
 * configure-aws-credentials' output-env-credentials, action-timeout-s and no-proxy, through the
 * Action's main step in this process against the emulator (a hanging server for the timeout, a
 * proxy that refuses every connection for no-proxy).
 */
import assert from 'node:assert/strict';
import { exec } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { readIniSection } from '@iamra/core';
import { type RunningEmulator, startEmulator } from '@iamra/emulator';
import type { StartTimer } from '../../packages/github-action/src/action-timeout.js';
import { emulatorInputs, runStepInProcess, SOURCE_CLI } from '../support/action-in-process.js';
import { newJob } from '../support/github-runner.js';
import { type HostileServer, startHostileServer } from '../support/hostile-server.js';
import { makePki } from '../support/pki.js';

const sh = promisify(exec);

/** Nothing listens there: a proxy at this address refuses every connection. */
const DEAD_PROXY = 'http://127.0.0.1:9';

const CREDENTIALS = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN'];
const REGION = ['AWS_REGION', 'AWS_DEFAULT_REGION'];
const PROFILE_FILES = ['AWS_CONFIG_FILE', 'AWS_SDK_LOAD_CONFIG'];

describe('Action inputs from configure-aws-credentials (in-process main step)', function () {
  this.timeout(60_000);
  const pki = makePki({ subjectPrefix: 'parity' });
  let emulator: RunningEmulator;
  before(async () => {
    emulator = await startEmulator({ cas: [pki.root.certPem], lifetimeMs: 55_000 });
  });
  after(() => emulator.stop());

  const inputs = (extra: Record<string, string>) => emulatorInputs(emulator, pki, extra);

  describe('output-env-credentials', () => {
    const cases: [string, Record<string, string>, string[]][] = [
      ['env mode, unset', {}, [...CREDENTIALS, ...REGION]],
      ['env mode, true', { 'output-env-credentials': 'true' }, [...CREDENTIALS, ...REGION]],
      ['env mode, false', { 'output-env-credentials': 'false' }, []],
      ['profile mode, unset', { 'aws-profile': 'p' }, [...PROFILE_FILES, 'AWS_PROFILE', ...REGION]],
      ['profile mode, false', { 'aws-profile': 'p', 'output-env-credentials': 'false' }, PROFILE_FILES],
      [
        'profile mode, true',
        { 'aws-profile': 'p', 'output-env-credentials': 'True' },
        [...PROFILE_FILES, 'AWS_PROFILE', ...CREDENTIALS, ...REGION],
      ],
    ];
    for (const [name, extra, exported] of cases) {
      it(`${name}: exports ${exported.length ? exported.join(', ') : 'nothing'}; outputs are set all the same`, async () => {
        const step = await runStepInProcess('main', newJob(), inputs(extra));
        assert.equal(step.exitCode, 0, step.stdout);
        assert.deepEqual(Object.keys(step.env).sort(), [...exported].sort());
        assert.equal(step.outputs['aws-account-id'], '123456789012');
        assert.match(step.outputs['authenticated-arn'] ?? '', /assumed-role\/iamra-demo\//);
        if (extra['aws-profile']) {
          assert.match(
            step.stdout,
            /^Profile p written to .*aws-config; it renews/m,
            'HOME has no config: nothing said kept',
          );
        }
        if (extra['output-env-credentials'] === 'True') {
          assert.match(step.stdout, /they do not renew, and AWS clients use them before AWS_PROFILE/);
        }
      });
    }

    it('anything but true or false is refused, naming the input', async () => {
      const step = await runStepInProcess('main', newJob(), inputs({ 'output-env-credentials': 'yes' }));
      assert.equal(step.exitCode, 1);
      assert.match(
        step.stdout,
        /::error title=iamra::CONFIG_INVALID: input output-env-credentials must be true or false/,
      );
    });
  });

  describe('action-timeout-s', () => {
    let hanging: HostileServer;
    let expire: (() => void) | undefined;
    before(async () => {
      // Never answers; its request arriving is when the test lets the step's clock run out.
      hanging = await startHostileServer(() => expire?.());
    });
    after(() => hanging.stop());

    it('past the bound the step fails with one line, aborts its request and exports nothing', async () => {
      const timers: number[] = [];
      const startTimer: StartTimer = (ms, onExpiry) => {
        timers.push(ms);
        expire = onExpiry;
        return () => {
          expire = undefined;
        };
      };
      const job = newJob();
      const step = await runStepInProcess(
        'main',
        job,
        inputs({ 'rolesanywhere-endpoint': hanging.endpoint, 'action-timeout-s': '7', 'aws-profile': 'p' }),
        {},
        { cliPath: SOURCE_CLI, startTimer },
      );
      assert.deepEqual(timers, [7000]);
      assert.equal(step.exitCode, 1);
      const errors = step.stdout.split('\n').filter((line) => line.startsWith('::error'));
      assert.deepEqual(errors, [
        '::error title=iamra::TIMEOUT: the step did not finish within action-timeout-s (7 s); nothing was exported. Check the endpoint and proxy, or raise action-timeout-s',
      ]);
      assert.deepEqual(step.env, {});
      assert.deepEqual(step.outputs, {});
      assert.equal(expire, undefined, 'the timer was cancelled');
    });

    it('a step within the bound cancels its timer; 0 and empty mean no bound; other values are refused', async () => {
      const started: number[] = [];
      let cancelled = 0;
      const startTimer: StartTimer = (ms) => {
        started.push(ms);
        return () => {
          cancelled += 1;
        };
      };
      for (const value of ['30', '0', '']) {
        const step = await runStepInProcess(
          'main',
          newJob(),
          inputs({ 'action-timeout-s': value }),
          {},
          {
            cliPath: SOURCE_CLI,
            startTimer,
          },
        );
        assert.equal(step.exitCode, 0, step.stdout);
      }
      assert.deepEqual(started, [30_000]);
      assert.equal(cancelled, 1);
      for (const value of ['-1', '1.5', 'ten', '86401']) {
        const step = await runStepInProcess('main', newJob(), inputs({ 'action-timeout-s': value }));
        assert.equal(step.exitCode, 1);
        assert.match(step.stdout, /CONFIG_INVALID: input action-timeout-s must be a whole number of seconds/);
      }
    });
  });

  describe('no-proxy', () => {
    const proxyEnv = { HTTP_PROXY: DEAD_PROXY, HTTPS_PROXY: DEAD_PROXY, NO_PROXY: 'elsewhere.invalid' };

    it('a proxy that refuses every connection fails the step; no-proxy naming the endpoint host bypasses it', async () => {
      const through = newJob();
      Object.assign(through.env, proxyEnv);
      const failed = await runStepInProcess('main', through, inputs({ 'disable-retry': 'true' }));
      assert.equal(failed.exitCode, 1);
      assert.match(failed.stdout, /could not reach 127\.0\.0\.1:9/);

      const around = newJob();
      Object.assign(around.env, proxyEnv);
      const step = await runStepInProcess('main', around, inputs({ 'no-proxy': ' localhost,\n127.0.0.1 ' }));
      assert.equal(step.exitCode, 0, step.stdout);
    });

    it("the profile's own refreshes bypass the proxy for the same hosts (--no-proxy-hosts)", async () => {
      const job = newJob();
      Object.assign(job.env, proxyEnv);
      const step = await runStepInProcess('main', job, inputs({ 'no-proxy': '127.0.0.1', 'aws-profile': 'p' }));
      assert.equal(step.exitCode, 0, step.stdout);
      const config = readFileSync(job.env.AWS_CONFIG_FILE ?? '', 'utf8');
      const line = readIniSection(config, 'profile p')?.credential_process ?? '';
      assert.match(line, / --no-proxy-hosts 127\.0\.0\.1( |$)/);
      // Without the primed cache entry the profile must call CreateSession itself, under the dead proxy.
      const cache = join(job.runnerTemp, 'iamra', 'cache');
      for (const entry of readdirSync(cache)) rmSync(join(cache, entry));
      const { stdout } = await sh(line, { env: { PATH: process.env.PATH, ...proxyEnv } });
      assert.equal((JSON.parse(stdout) as { Version: number }).Version, 1);
    });

    it('entries that are no host are refused, naming the input', async () => {
      const step = await runStepInProcess('main', newJob(), inputs({ 'no-proxy': 'example.com, http://x/' }));
      assert.equal(step.exitCode, 1);
      assert.match(step.stdout, /CONFIG_INVALID: input no-proxy lists host names.*'http:\/\/x\/' is none of these/);
    });
  });
});
