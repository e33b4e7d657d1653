import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchModule } from './load.js';

interface SpawnModule {
  spawnTimed(
    command: string,
    args: string[],
    options?: { env?: Record<string, string>; timeoutMs?: number },
  ): Promise<{ ms: number; code: number | null; stdout: string; stderr: string }>;
  spawnChecked(label: string, command: string, args: string[]): Promise<{ stdout: string }>;
}
interface SizesModule {
  sizeOf(path: string): number | undefined;
  sizeOfAll(paths: string[]): number | undefined;
}
interface RssModule {
  RSS_HOOK: string;
  parseHookRssKb(stderr: string): number | undefined;
  parseGnuTimeRssKb(stderr: string): number | undefined;
}
interface ProfileModule {
  summarizeProfile(
    profile: unknown,
    top?: number,
  ): { totalMs: number; scripts: { name: string; ms: number }[]; functions: { name: string; ms: number }[] };
}
interface StubModule {
  startStubService(): Promise<{ endpoint: string; requests(): number; stop(): Promise<void> }>;
}

describe('bench helpers', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'iamra-bench-test-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('runs a child, collecting its output and exit code, and kills one that hangs', async () => {
    const { spawnTimed, spawnChecked } = await benchModule<SpawnModule>('spawn-timed.mjs');
    const env = { PATH: process.env.PATH ?? '' };
    const ok = await spawnTimed(process.execPath, ['-e', 'process.stdout.write("out");process.stderr.write("err")'], {
      env,
    });
    assert.deepEqual([ok.code, ok.stdout, ok.stderr, ok.ms > 0], [0, 'out', 'err', true]);
    const hung = await spawnTimed(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { env, timeoutMs: 300 });
    assert.equal(hung.code, null);
    await assert.rejects(
      spawnChecked('failing step', process.execPath, ['-e', 'console.log("why it failed"); process.exit(3)']),
      /failing step failed \(exit 3\):\nwhy it failed/,
    );
  });

  it('adds up file sizes and reports a missing path as missing, not as zero', async () => {
    const { sizeOf, sizeOfAll } = await benchModule<SizesModule>('sizes.mjs');
    mkdirSync(join(dir, 'tree', 'sub'), { recursive: true });
    writeFileSync(join(dir, 'tree', 'a'), 'x'.repeat(100));
    writeFileSync(join(dir, 'tree', 'sub', 'b'), 'y'.repeat(23));
    assert.equal(sizeOf(join(dir, 'tree')), 123);
    assert.equal(sizeOf(join(dir, 'tree', 'a')), 100);
    assert.equal(sizeOf(join(dir, 'absent')), undefined);
    assert.equal(sizeOfAll([join(dir, 'tree', 'a'), join(dir, 'tree', 'sub')]), 123);
    assert.equal(sizeOfAll([join(dir, 'tree'), join(dir, 'absent')]), undefined);
  });

  it('reads peak RSS from the exit hook of a real child and from GNU time output', async () => {
    const { RSS_HOOK, parseHookRssKb, parseGnuTimeRssKb } = await benchModule<RssModule>('peak-rss.mjs');
    const { spawnTimed } = await benchModule<SpawnModule>('spawn-timed.mjs');
    const child = await spawnTimed(process.execPath, [
      '--import',
      RSS_HOOK,
      '-e',
      'globalThis.keep = Buffer.alloc(64 * 1024 * 1024, 1)',
    ]);
    const kb = parseHookRssKb(child.stderr);
    assert.ok(kb !== undefined && kb > 64 * 1024, `a 64 MB buffer shows in the peak (${kb} kB)`);
    assert.equal(parseHookRssKb('no mark here'), undefined);
    assert.equal(parseGnuTimeRssKb('\tMaximum resident set size (kbytes): 57344\n'), 57344);
  });

  it('sums a CPU profile by script and by function from its sample timeline', async () => {
    const { summarizeProfile } = await benchModule<ProfileModule>('profile-summary.mjs');
    const frame = (functionName: string, url: string, lineNumber = 0) => ({
      functionName,
      url,
      lineNumber,
      columnNumber: 0,
    });
    const profile = {
      nodes: [
        { id: 1, callFrame: frame('(root)', ''), children: [2, 3] },
        { id: 2, callFrame: frame('runMain', 'file:///repo/dist/main/index.js', 0) },
        { id: 3, callFrame: frame('compileForInternalLoader', 'node:internal/bootstrap/realm', 382) },
      ],
      startTime: 0,
      endTime: 10_000,
      samples: [2, 3, 2, 3],
      timeDeltas: [0, 1000, 3000, 2000],
    };
    const summary = summarizeProfile(profile);
    assert.equal(summary.totalMs, 6);
    assert.deepEqual(summary.scripts, [
      { name: 'dist/main/index.js', ms: 3 },
      { name: 'node:internal/bootstrap/realm', ms: 3 },
    ]);
    assert.equal(summary.functions[0]?.name, 'runMain @ dist/main/index.js:1:1');
  });

  it('serves a well-formed CreateSession answer from the stub service on loopback', async () => {
    const { startStubService } = await benchModule<StubModule>('stub-service.mjs');
    const stub = await startStubService();
    try {
      assert.match(stub.endpoint, /^http:\/\/127\.0\.0\.1:\d+$/);
      const roleArn = 'arn:aws:iam::123456789012:role/deploy';
      const asked = await fetch(`${stub.endpoint}/sessions`, { method: 'POST', body: JSON.stringify({ roleArn }) });
      const answer = (await asked.json()) as { credentialSet: { roleArn: string; assumedRoleUser: { arn: string } }[] };
      assert.equal(answer.credentialSet[0]?.roleArn, roleArn, 'the role asked for');
      assert.equal(answer.credentialSet[0]?.assumedRoleUser.arn, 'arn:aws:sts::123456789012:assumed-role/deploy/stub');
      const query = await fetch(`${stub.endpoint}/sessions?roleArn=${encodeURIComponent(roleArn)}`, { method: 'POST' });
      assert.equal(((await query.json()) as typeof answer).credentialSet[0]?.roleArn, roleArn, 'as CreateSession asks');
      const response = await fetch(`${stub.endpoint}/sessions`, { method: 'POST', body: '{}' });
      assert.equal(response.status, 201);
      const body = (await response.json()) as { credentialSet: { credentials: { expiration: string } }[] };
      assert.ok(Date.parse(body.credentialSet[0]?.credentials.expiration ?? '') > Date.now());
      assert.equal(stub.requests(), 3);
    } finally {
      await stub.stop();
    }
  });
});
