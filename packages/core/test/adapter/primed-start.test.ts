/**
 * A job's steps share one Roles Anywhere session: the start session a chained profile primed is
 * reused by the next step's chain while it is fresh, and only when it is a private file of ours.
 */
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  cacheEntryJson,
  MIN_REUSED_START_SECONDS,
  obtainSession,
  readPrimedStart,
  type SessionCredentials,
  writeProfileFiles,
} from '@iamra/core';
import type { RunningEmulator } from '@iamra/emulator';
import { deployRole, HUB_ROLE as HUB, startHubEmulator } from '../../../../test/support/hub-emulator.js';
import { makePki, testDir } from '../../../../test/support/pki.js';

const NOW = new Date('2030-01-01T00:00:00Z');
const DEPLOY = deployRole('111111111111');

function credentials(expiresInSeconds: number): SessionCredentials {
  return {
    accessKeyId: 'ASIASTART',
    secretAccessKey: 'start-secret',
    sessionToken: 'start-token',
    expiration: new Date(NOW.getTime() + expiresInSeconds * 1000),
    accountId: '123456789012',
    assumedRoleArn: 'arn:aws:sts::123456789012:assumed-role/hub/x',
    assumedRoleId: 'AROAX:x',
    roleArn: HUB,
    sourceIdentity: 'CN=x',
    subjectArn: undefined,
  };
}

function entryFile(text: string, mode = 0o600): string {
  const path = join(testDir(), 'cache', 'entry.json');
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text, { mode });
  chmodSync(path, mode);
  return path;
}

describe('the job’s primed Roles Anywhere session', () => {
  it('is read when it is a private, valid entry with more than the minimum left and no more than the duration', () => {
    const path = entryFile(cacheEntryJson(credentials(3000)));
    assert.equal(readPrimedStart(path, NOW, 3600)?.accessKeyId, 'ASIASTART');
    assert.equal(readPrimedStart(path, NOW, 3600)?.expiration.getTime(), NOW.getTime() + 3_000_000);
    assert.equal(readPrimedStart(path, NOW, 2000), undefined, 'promises more than the session asked');
    const soon = entryFile(cacheEntryJson(credentials(MIN_REUSED_START_SECONDS)));
    assert.equal(readPrimedStart(soon, NOW, 3600), undefined, 'too close to expiry to start a chain from');
  });

  it('is ignored when missing, corrupt, readable by others, a directory or a link', () => {
    const good = entryFile(cacheEntryJson(credentials(3000)));
    assert.equal(readPrimedStart(join(dirname(good), 'none.json'), NOW, 3600), undefined);
    assert.equal(readPrimedStart(entryFile('{"version":1'), NOW, 3600), undefined);
    assert.equal(readPrimedStart(entryFile(cacheEntryJson(credentials(3000)), 0o644), NOW, 3600), undefined);
    assert.equal(readPrimedStart(dirname(good), NOW, 3600), undefined);
    const link = join(dirname(good), 'link.json');
    symlinkSync(good, link);
    assert.equal(readPrimedStart(link, NOW, 3600), undefined);
  });

  describe('obtainSession with jobSession', () => {
    const pki = makePki({ subjectPrefix: 'primed' });
    let emulator: RunningEmulator;
    before(async () => {
      emulator = await startHubEmulator(pki.root.certPem, [{ arn: DEPLOY }], 50_000);
    });
    after(() => emulator.stop());

    const input = (tempDir: string) => ({
      material: {
        certificate: pki.ecLeaf.certPem,
        privateKey: pki.ecLeaf.keyPem,
        intermediates: [pki.intermediate.certPem],
      },
      session: { trustAnchorArn: emulator.trustAnchorArns[0] ?? '', profileArn: emulator.profileArn, roleArn: HUB },
      endpoint: emulator.endpoint,
      proxy: 'none',
      assumeRoles: [{ roleArn: DEPLOY }],
      stsEndpoint: emulator.stsEndpoint,
      jobSession: { tempDir },
    });
    const deps = { now: () => new Date(), env: {} };

    it('starts the chain from the session a chained profile primed: one CreateSession for the job', async () => {
      const tempDir = testDir();
      const first = await obtainSession(input(tempDir), deps);
      assert.equal(first.attempts, 1);
      writeProfileFiles({
        tempDir,
        profileName: 'a',
        material: input(tempDir).material,
        params: first.params,
        endpoint: emulator.endpoint,
        nodePath: '/usr/bin/node',
        cliPath: '/opt/iamra/cli.js',
        credentials: first.credentials,
        env: {},
        ...(first.chain ? { chain: first.chain, startCredentials: first.startCredentials } : {}),
      });
      const before = emulator.stats();
      const second = await obtainSession(input(tempDir), deps);
      const after = emulator.stats();
      assert.equal(after.createSession - before.createSession, 0);
      assert.equal(after.assumeRole - before.assumeRole, 1);
      assert.equal(second.attempts, 0);
      assert.equal(second.startCredentials.accessKeyId, first.startCredentials.accessKeyId);
      assert.equal(second.credentials.accountId, '111111111111');
      assert.notEqual(second.credentials.accessKeyId, first.credentials.accessKeyId);
    });

    it('makes its own CreateSession when no profile primed the job (env mode steps)', async () => {
      const tempDir = testDir();
      const before = emulator.stats().createSession;
      await obtainSession(input(tempDir), deps);
      await obtainSession(input(tempDir), deps);
      assert.equal(emulator.stats().createSession - before, 2);
    });
  });
});
