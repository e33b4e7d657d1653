#!/usr/bin/env node
// `npm run bench`: speed, size and memory of iamra against baselines measured side by side in
// one run (candidate and baseline interleaved, many repetitions, median and p10/p90). Writes
// bench/results/bench.json, bench.md and chart.svg. Never a timed test: figures, not verdicts.
//   node scripts/bench.mjs [--quick]
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const quick = process.argv.includes('--quick');
const REPS = quick ? 5 : 15;
const node20 = process.execPath;
const node24 = process.env.IAMRA_NODE24 || join(root, '.tools', 'node24', 'node_modules', 'node', 'bin', 'node');
const awsCli = ['/usr/bin/aws', 'aws'].find((c) =>
  spawnSync(c, ['--version']).stdout?.toString().startsWith('aws-cli/2'),
);
const work = mkdtempSync(join(tmpdir(), 'iamra-bench-'));
const results = { machine: {}, timings: [], signing: [], sizes: [], memory: [], counts: [] };

// Reports peak RSS of the child at exit, without touching the program measured.
const RSS_HOOK = `data:text/javascript,process.on("exit",()=>process.stderr.write("IAMRA_MAXRSS_KB="+process.resourceUsage().maxRSS+"\\n"))`;

function spawnTimed(command, args, env) {
  return new Promise((resolvePromise, reject) => {
    const t0 = performance.now();
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ ms: performance.now() - t0, code, stdout, stderr }));
  });
}

function stats(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * (sorted.length - 1)))];
  return { median: at(0.5), p10: at(0.1), p90: at(0.9), n: sorted.length };
}

/** Interleaves candidate and baseline runs so both see the same machine state. */
async function compare(name, candidate, baseline, goal, command) {
  const a = [];
  const b = [];
  for (let i = 0; i < REPS + 1; i += 1) {
    const x = await candidate(i);
    const y = await baseline(i);
    if (i === 0) continue; // warm-up: file cache, lazy OS work
    a.push(x);
    b.push(y);
  }
  const entry = {
    name,
    candidate: stats(a),
    baseline: stats(b),
    ratio: stats(a).median / stats(b).median,
    goal,
    command,
  };
  results.timings.push(entry);
  console.log(
    `${name}: ${entry.candidate.median.toFixed(1)} ms vs ${entry.baseline.median.toFixed(1)} ms baseline = ${entry.ratio.toFixed(2)}x${goal ? ` (goal <= ${goal}x)` : ''}`,
  );
  return entry;
}

function duBytes(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.size;
  return readdirSync(path).reduce((sum, name) => sum + duBytes(join(path, name)), 0);
}

async function main() {
  for (const file of [
    'dist/main/index.js',
    'dist/cli/index.js',
    'tasks/RolesAnywhereCredentialsV1/main/index.js',
    'packages/core/dist/index.js',
  ]) {
    if (!existsSync(join(root, file))) throw new Error(`${file} is missing: run npm run build first`);
  }
  if (!existsSync(node24)) throw new Error(`Node 24 not found at ${node24}: run bash .ci/run once or set IAMRA_NODE24`);
  const { initDemoPki, startEmulator } = await import('@iamra/emulator');
  const core = await import('@iamra/core');
  const pki = await initDemoPki(join(work, 'pki'));
  const { readFileSync } = await import('node:fs');
  const config = JSON.parse(readFileSync(pki.config, 'utf8'));
  const emulator = await startEmulator({ config, configDir: pki.dir, lifetimeMs: 600_000 });
  const nodeVersion = (bin) => execFileSync(bin, ['--version']).toString().trim();
  results.machine = {
    node20: nodeVersion(node20),
    node24: nodeVersion(node24),
    cpus: (await import('node:os')).cpus().length,
    date: new Date().toISOString(),
    reps: REPS,
  };
  const arnInputs = {
    'INPUT_TRUST-ANCHOR-ARN': emulator.trustAnchorArns[0],
    'INPUT_PROFILE-ARN': emulator.profileArn,
    'INPUT_ROLE-ARN': emulator.roleArns[0],
    'INPUT_ROLESANYWHERE-ENDPOINT': emulator.endpoint,
  };
  const pem = (path) => readFileSync(path, 'utf8');
  const bare = (bin) => () => spawnTimed(bin, ['-e', '0'], { PATH: process.env.PATH }).then((r) => r.ms);

  function actionEnv(dir, extra = {}) {
    mkdirSync(join(dir, 'runner-temp'), { recursive: true });
    const files = {};
    for (const name of ['GITHUB_ENV', 'GITHUB_OUTPUT', 'GITHUB_STATE', 'GITHUB_STEP_SUMMARY']) {
      files[name] = join(dir, name.toLowerCase());
      writeFileSync(files[name], '');
    }
    return {
      PATH: process.env.PATH,
      HOME: dir,
      RUNNER_TEMP: join(dir, 'runner-temp'),
      ...files,
      ...arnInputs,
      INPUT_CERTIFICATE: pem(pki.ec.certificate),
      'INPUT_PRIVATE-KEY': pem(pki.ec.privateKey),
      'INPUT_CERTIFICATE-CHAIN': pem(pki.ec.chain),
      ...extra,
    };
  }
  let runId = 0;
  const nextId = () => {
    runId += 1;
    return runId;
  };
  const actionStep = async () => {
    const dir = join(work, `action-${nextId()}`);
    const result = await spawnTimed(node24, [join(root, 'dist', 'main', 'index.js')], actionEnv(dir));
    if (result.code !== 0) throw new Error(`action step failed: ${result.stdout}`);
    return result.ms;
  };

  // 1. The action step under Node 24 vs a bare Node 24 start.
  await compare(
    'Action step (env mode, Node 24)',
    actionStep,
    bare(node24),
    1.5,
    'node dist/main/index.js (runner env) vs node -e 0',
  );

  // Peak RSS of the action step.
  {
    const dir = join(work, 'rss');
    const rss = [];
    for (let i = 0; i < 5; i += 1) {
      const result = await spawnTimed(
        node24,
        ['--import', RSS_HOOK, join(root, 'dist', 'main', 'index.js')],
        actionEnv(`${dir}-${i}`),
      );
      rss.push(Number(/IAMRA_MAXRSS_KB=(\d+)/.exec(result.stderr)?.[1] ?? 0) / 1024);
    }
    const bareRss = [];
    for (let i = 0; i < 5; i += 1) {
      const result = await spawnTimed(node24, ['--import', RSS_HOOK, '-e', '0'], { PATH: process.env.PATH });
      bareRss.push(Number(/IAMRA_MAXRSS_KB=(\d+)/.exec(result.stderr)?.[1] ?? 0) / 1024);
    }
    results.memory.push({
      name: 'Action step peak RSS (Node 24)',
      mb: stats(rss).median,
      baselineMb: stats(bareRss).median,
      goalMb: 80,
      method: 'process.resourceUsage().maxRSS at exit, via --import hook',
    });
    console.log(
      `Action step peak RSS: ${stats(rss).median.toFixed(1)} MB (bare node ${stats(bareRss).median.toFixed(1)} MB; goal <= 80 MB)`,
    );
  }

  // 2. credential_process: warm cache, cold.
  const cacheDir = join(work, 'cache');
  const cpArgs = (extra) => [
    join(root, 'dist', 'cli', 'index.js'),
    'credential-process',
    '--certificate',
    pki.ec.certificate,
    '--private-key',
    pki.ec.privateKey,
    '--intermediates',
    pki.ec.chain,
    '--trust-anchor-arn',
    emulator.trustAnchorArns[0],
    '--profile-arn',
    emulator.profileArn,
    '--role-arn',
    emulator.roleArns[0],
    '--endpoint',
    emulator.endpoint,
    ...extra,
  ];
  const cpRun = (extra) => async () => {
    const result = await spawnTimed(node20, cpArgs(extra), {
      PATH: process.env.PATH,
      HOME: work,
      IAMRA_CACHE_DIR: cacheDir,
    });
    if (result.code !== 0) throw new Error(result.stderr);
    return result.ms;
  };
  await cpRun([])();
  await compare(
    'credential_process, warm cache (Node 20)',
    cpRun([]),
    bare(node20),
    1.3,
    'node dist/cli/index.js credential-process ... vs node -e 0',
  );
  await compare(
    'credential_process, cold (--no-cache)',
    cpRun(['--no-cache']),
    bare(node20),
    undefined,
    'node dist/cli/index.js credential-process --no-cache ... vs node -e 0',
  );

  // 3. Task step under Node 20 and Node 24.
  for (const [label, bin] of [
    ['Node 20', node20],
    ['Node 24', node24],
  ]) {
    const taskStep = async () => {
      const dir = join(work, `task-${nextId()}`);
      mkdirSync(dir, { recursive: true });
      const env = {
        PATH: process.env.PATH,
        HOME: dir,
        AGENT_TEMPDIRECTORY: dir,
        INPUT_CERTIFICATEFILE: pki.ec.certificate,
        INPUT_PRIVATEKEYFILE: pki.ec.privateKey,
        INPUT_CERTIFICATECHAINFILE: pki.ec.chain,
        INPUT_TRUSTANCHORARN: emulator.trustAnchorArns[0],
        INPUT_PROFILEARN: emulator.profileArn,
        INPUT_ROLEARN: emulator.roleArns[0],
        INPUT_ENDPOINT: emulator.endpoint,
        INPUT_OUTPUTMODE: 'credentialProcess',
      };
      const result = await spawnTimed(
        bin,
        [join(root, 'tasks', 'RolesAnywhereCredentialsV1', 'main', 'index.js')],
        env,
      );
      if (!result.stdout.includes('result=Succeeded'))
        throw new Error(`task step failed: ${result.stdout.slice(-400)}`);
      return result.ms;
    };
    await compare(
      `Task step (${label})`,
      taskStep,
      bare(bin),
      1.5,
      `${label}: node tasks/RolesAnywhereCredentialsV1/main/index.js vs node -e 0`,
    );
  }

  // 4. Several accounts: 10 profiles in one job vs 1 (per-step time).
  {
    const oneJob = async (profiles) => {
      const dir = join(work, `profiles-${profiles}-${nextId()}`);
      const shared = actionEnv(dir);
      let total = 0;
      for (let p = 0; p < profiles; p += 1) {
        for (const name of ['GITHUB_ENV', 'GITHUB_OUTPUT', 'GITHUB_STATE', 'GITHUB_STEP_SUMMARY'])
          writeFileSync(shared[name], '');
        const result = await spawnTimed(node24, [join(root, 'dist', 'main', 'index.js')], {
          ...shared,
          'INPUT_AWS-PROFILE': `account${p}`,
        });
        if (result.code !== 0) throw new Error(result.stdout);
        total += result.ms;
      }
      return total / profiles;
    };
    await compare(
      'Profile mode, per step, 10 profiles vs 1 in one job',
      () => oneJob(10),
      () => oneJob(1),
      1.5,
      '10 action steps with different aws-profile in one RUNNER_TEMP vs 1 step',
    );
  }

  // 5. 20 AWS CLI calls through our CLI, with and without cache, 100 ms of service latency.
  if (awsCli) {
    emulator.setFaults({ latencyMs: 100 });
    for (const [label, extra] of [
      ['with cache', []],
      ['without cache (like aws_signing_helper)', ['--no-cache']],
    ]) {
      const dir = join(work, `awscli-${label.length}`);
      mkdirSync(dir, { recursive: true });
      const { buildCommandLine } = core;
      const command = buildCommandLine([node20, ...cpArgs([...extra, '--cache-dir', join(dir, 'cache')])]);
      writeFileSync(join(dir, 'config'), `[default]\nregion = us-east-1\ncredential_process = ${command}\n`);
      const env = {
        PATH: process.env.PATH,
        HOME: dir,
        AWS_CONFIG_FILE: join(dir, 'config'),
        AWS_SHARED_CREDENTIALS_FILE: join(dir, 'none'),
        AWS_EC2_METADATA_DISABLED: 'true',
      };
      const before = emulator.stats().createSession;
      const t0 = performance.now();
      for (let i = 0; i < 20; i += 1) {
        const result = await spawnTimed(
          awsCli,
          ['sts', 'get-caller-identity', '--endpoint-url', emulator.stsEndpoint],
          env,
        );
        if (result.code !== 0) throw new Error(result.stderr);
      }
      const ms = performance.now() - t0;
      const calls = emulator.stats().createSession - before;
      results.counts.push({
        name: `20 AWS CLI calls, ${label}`,
        createSession: calls,
        ms,
        command: 'aws sts get-caller-identity x20 via credential_process, emulator latency 100 ms',
      });
      console.log(`20 AWS CLI calls ${label}: ${calls} CreateSession, ${(ms / 1000).toFixed(1)} s`);
    }
    emulator.setFaults(undefined);
  }

  // 6. Signing throughput in process.
  for (const spec of ['rsa2048', 'rsa4096', 'p256', 'p384']) {
    const dir = join(work, `sign-${spec}`);
    mkdirSync(dir, { recursive: true });
    const args = spec.startsWith('rsa')
      ? ['-algorithm', 'RSA', '-pkeyopt', `rsa_keygen_bits:${spec.slice(3)}`]
      : ['-algorithm', 'EC', '-pkeyopt', `ec_paramgen_curve:${spec === 'p256' ? 'P-256' : 'P-384'}`];
    execFileSync('openssl', ['genpkey', ...args, '-out', join(dir, 'key.pem')]);
    execFileSync('openssl', [
      'req',
      '-new',
      '-x509',
      '-key',
      join(dir, 'key.pem'),
      '-subj',
      '/CN=bench',
      '-days',
      '2',
      '-out',
      join(dir, 'cert.pem'),
      '-addext',
      'keyUsage=critical,digitalSignature',
      '-addext',
      'basicConstraints=critical,CA:FALSE',
    ]);
    const { material } = await core.loadSigningMaterial(
      { certificate: pem(join(dir, 'cert.pem')), privateKey: pem(join(dir, 'key.pem')) },
      { now: new Date() },
    );
    const params = core.resolveSessionParameters({
      trustAnchorArn: emulator.trustAnchorArns[0],
      profileArn: emulator.profileArn,
      roleArn: emulator.roleArns[0],
    });
    let count = 0;
    const deadline = performance.now() + (quick ? 300 : 1000);
    const t0 = performance.now();
    while (performance.now() < deadline) {
      core.signCreateSession({ material, params, endpoint: emulator.endpoint, date: new Date() });
      count += 1;
    }
    const perSecond = count / ((performance.now() - t0) / 1000);
    results.signing.push({ key: spec, signaturesPerSecond: perSecond, command: 'signCreateSession in a loop for 1 s' });
    console.log(`signing ${spec}: ${perSecond.toFixed(0)} requests/s`);
  }

  // 7. Emulator throughput: CreateSession verified end to end, 8 concurrent clients for 3 s.
  {
    const { material } = await core.loadSigningMaterial(
      { certificate: pem(pki.ec.certificate), privateKey: pem(pki.ec.privateKey), intermediates: [pem(pki.ec.chain)] },
      { now: new Date() },
    );
    const params = core.resolveSessionParameters({
      trustAnchorArn: emulator.trustAnchorArns[0],
      profileArn: emulator.profileArn,
      roleArn: emulator.roleArns[0],
    });
    const transport = core.createNodeTransport({ proxy: 'none' });
    const latencies = [];
    const until = performance.now() + (quick ? 1000 : 3000);
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (performance.now() < until) {
          const signed = core.signCreateSession({ material, params, endpoint: emulator.endpoint, date: new Date() });
          const start = performance.now();
          const response = await transport({
            method: 'POST',
            url: signed.url,
            headers: signed.headers,
            body: signed.body,
            timeoutMs: 5000,
          });
          if (response.status !== 201) throw new Error(`emulator answered ${response.status}`);
          latencies.push(performance.now() - start);
        }
      }),
    );
    const seconds = (performance.now() - t0) / 1000;
    const s = stats(latencies);
    const p99 = [...latencies].sort((a, b) => a - b)[Math.floor(0.99 * (latencies.length - 1))];
    results.emulator = {
      requestsPerSecond: latencies.length / seconds,
      p50: s.median,
      p99,
      clients: 8,
      command: 'node scripts/bench.mjs (8 in-process clients, signing included)',
    };
    console.log(
      `emulator: ${(latencies.length / seconds).toFixed(0)} CreateSession/s, p50 ${s.median.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms`,
    );
  }

  // 8. Sizes.
  spawnSync(process.execPath, [join(root, 'scripts', 'package-vsix.mjs')], { cwd: root, stdio: 'ignore' });
  const vsix = existsSync(join(root, 'out'))
    ? readdirSync(join(root, 'out')).find((f) => f.endsWith('.vsix'))
    : undefined;
  for (const [name, path, goalKb] of [
    ['Action dist (dist/)', join(root, 'dist'), 1024],
    ['Task folder', join(root, 'tasks', 'RolesAnywhereCredentialsV1'), undefined],
    ['.vsix', vsix ? join(root, 'out', vsix) : '', 3072],
    ['CLI bundle (dist/cli)', join(root, 'dist', 'cli'), undefined],
  ]) {
    const kb = duBytes(path) / 1024;
    results.sizes.push({ name, kb, goalKb });
    console.log(`size ${name}: ${kb.toFixed(0)} kB${goalKb ? ` (goal <= ${goalKb} kB)` : ''}`);
  }

  await emulator.stop();
  writeOutputs();
}

function writeOutputs() {
  const out = join(root, 'bench', 'results');
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'bench.json'), `${JSON.stringify(results, null, 2)}\n`);
  const rows = [
    '| Measure | iamra | Baseline | Ratio | Goal |',
    '|---|---|---|---|---|',
    ...results.timings.map(
      (t) =>
        `| ${t.name} | ${t.candidate.median.toFixed(1)} ms (p10 ${t.candidate.p10.toFixed(1)}, p90 ${t.candidate.p90.toFixed(1)}) | ${t.baseline.median.toFixed(1)} ms | ${t.ratio.toFixed(2)}x | ${t.goal ? `<= ${t.goal}x ${t.ratio <= t.goal ? 'met' : 'missed'}` : ''} |`,
    ),
    ...results.memory.map(
      (m) =>
        `| ${m.name} | ${m.mb.toFixed(1)} MB | ${m.baselineMb.toFixed(1)} MB (bare node) | | <= ${m.goalMb} MB ${m.mb <= m.goalMb ? 'met' : 'missed'} |`,
    ),
    ...results.counts.map(
      (c) => `| ${c.name} | ${c.createSession} CreateSession, ${(c.ms / 1000).toFixed(1)} s | | | |`,
    ),
    ...results.signing.map((s) => `| Signing, ${s.key} | ${s.signaturesPerSecond.toFixed(0)} requests/s | | | |`),
    ...(results.emulator
      ? [
          `| Emulator CreateSession throughput (8 clients) | ${results.emulator.requestsPerSecond.toFixed(0)} requests/s, p50 ${results.emulator.p50.toFixed(1)} ms, p99 ${results.emulator.p99.toFixed(1)} ms | | | |`,
        ]
      : []),
    ...results.sizes.map(
      (s) =>
        `| Size: ${s.name} | ${s.kb.toFixed(0)} kB | | | ${s.goalKb ? `<= ${s.goalKb} kB ${s.kb <= s.goalKb ? 'met' : 'missed'}` : ''} |`,
    ),
  ];
  const header = `Measured ${results.machine.date} on ${results.machine.cpus} cores, ${results.machine.node20} and ${results.machine.node24}, ${results.machine.reps} interleaved repetitions (median).\n\n`;
  writeFileSync(join(out, 'bench.md'), `${header}${rows.join('\n')}\n`);
  writeFileSync(join(out, 'chart.svg'), chart(results.timings));
  console.log(`\nwrote bench/results/bench.json, bench.md, chart.svg`);
}

/** A horizontal bar chart: each measure's median against its baseline. */
function chart(timings) {
  const width = 760;
  const rowHeight = 46;
  const left = 330;
  const max = Math.max(...timings.flatMap((t) => [t.candidate.median, t.baseline.median]));
  const scale = (ms) => ((width - left - 90) * ms) / max;
  const bars = timings
    .map((t, i) => {
      const y = 40 + i * rowHeight;
      const label = t.name.replace(/&/g, '&amp;').replace(/</g, '&lt;');
      return [
        `<text x="${left - 8}" y="${y + 14}" text-anchor="end" font-size="12">${label}</text>`,
        `<rect x="${left}" y="${y}" width="${scale(t.candidate.median).toFixed(1)}" height="16" fill="#ec7211"/>`,
        `<text x="${left + scale(t.candidate.median) + 4}" y="${y + 13}" font-size="11">${t.candidate.median.toFixed(0)} ms (${t.ratio.toFixed(2)}x)</text>`,
        `<rect x="${left}" y="${y + 18}" width="${scale(t.baseline.median).toFixed(1)}" height="10" fill="#9aa5b1"/>`,
        `<text x="${left + scale(t.baseline.median) + 4}" y="${y + 27}" font-size="10" fill="#555">${t.baseline.median.toFixed(0)} ms baseline</text>`,
      ].join('');
    })
    .join('\n');
  const height = 60 + timings.length * rowHeight;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif">
<rect width="100%" height="100%" fill="white"/>
<text x="16" y="22" font-size="14" font-weight="bold">iamra step time (orange) vs baseline (grey), median of ${results.machine.reps}</text>
${bars}
</svg>
`;
}

try {
  await main();
} finally {
  rmSync(work, { recursive: true, force: true });
}
