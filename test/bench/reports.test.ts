import assert from 'node:assert/strict';
import { benchModule } from './load.js';

type Figure = Record<string, unknown> & { kind: string; name: string; command: string; reproduce: string };
interface Results {
  machine: Record<string, unknown>;
  figures: Figure[];
}
interface MarkdownModule {
  renderMarkdown(results: Results): string;
}
interface ChartModule {
  renderChart(results: Results): string;
}
interface ReadmeModule {
  spliceTables(readme: string, bench: string): string;
  START: string;
  END: string;
}
interface DescribeModule {
  describeFigure(figure: Figure): { value: string; baseline?: string; ratio?: string; goal?: string };
}

const spread = (median: number) => ({
  n: 5,
  median,
  p10: median - 1,
  p90: median + 1,
  q1: median,
  q3: median,
  min: 0,
  max: 0,
});
const machine = { date: '2026-11-23T06:00:00.000Z', cpus: 2, cpuModel: 'test cpu', node: 'v20.0.0', node24: 'v24.0.0' };
const missed: Figure = {
  id: 'action-step',
  kind: 'ratio',
  name: 'Action <step> & co',
  candidate: spread(80),
  baseline: spread(32),
  ratio: { median: 2.5, p10: 2.1, p90: 2.9, ofMedians: 2.5 },
  goal: 1.5,
  command: 'node24 dist/main/index.js | tee',
  baselineCommand: 'node24 -e 0',
  reproduce: 'npm run bench -- --only=action-step',
};
const met: Figure = { ...missed, name: 'Profiles | ten', ratio: { median: 1.1, p10: 1, p90: 1.2, ofMedians: 1.1 } };
const figures: Figure[] = [
  missed,
  met,
  {
    kind: 'size',
    name: 'Size: .vsix',
    bytes: 4 * 1024 * 1024,
    goalBytes: 3 * 1024 * 1024,
    command: 'stat',
    reproduce: 'r',
  },
  { kind: 'size', name: 'Size: gone', command: 'stat', reproduce: 'r' },
  { kind: 'memory', name: 'RSS', peak: spread(56), baseline: spread(44), goalMb: 80, command: 'c', reproduce: 'r' },
  { kind: 'rate', name: 'Signing', rate: spread(2000), command: 'c', reproduce: 'r' },
  { kind: 'latency', name: 'Emulator', latency: spread(7), command: 'c', reproduce: 'r' },
  { kind: 'calls', name: 'AWS CLI', createSession: 1, wall: spread(14000), command: 'c', reproduce: 'r' },
];
/** The side-by-side figures: a section each, goals written out, throughput against the Go helper. */
const versus: Figure[] = [
  {
    ...missed,
    id: 'credential-process-100ms',
    section: 'credential_process: iamra vs the Go helper',
    name: 'Warm vs Go helper',
    candidate: spread(30),
    baseline: spread(120),
    ratio: { median: 0.25, p10: 0.2, p90: 0.3, ofMedians: 0.25 },
    goal: 1 / 3,
    goalText: '>= 3x faster',
  },
  {
    kind: 'calls',
    section: '20 AWS CLI calls',
    name: 'AWS CLI, iamra profile',
    createSession: 1,
    wall: spread(11000),
    baseline: { label: 'Go helper profile', wall: spread(13000) },
    ratio: { median: 0.85, p10: 0.8, p90: 0.9, ofMedians: 0.85 },
    goal: 1,
    goalText: '< 1x (faster)',
    command: 'c',
    reproduce: 'r',
  },
  {
    kind: 'throughput',
    section: 'serve',
    name: 'iamra serve',
    rate: spread(900),
    p99: spread(20),
    baseline: { label: 'Go helper', rate: spread(1200), p99: spread(10) },
    command: 'c',
    reproduce: 'r',
  },
];

describe('bench reports', () => {
  it('states value, spread, ratio and the goal verdict of each kind of figure', async () => {
    const { describeFigure } = await benchModule<DescribeModule>('describe.mjs');
    assert.deepEqual(describeFigure(missed), {
      value: '80.0 ms (p10 79.0 ms, p90 81.0 ms)',
      baseline: '32.0 ms (p10 31.0 ms, p90 33.0 ms)',
      ratio: '2.50x (p10 2.10, p90 2.90)',
      goal: '<= 1.5x MISSED',
    });
    assert.equal(describeFigure(met).goal, '<= 1.5x met');
    assert.equal(describeFigure(figures[2] as Figure).goal, '<= 3072 kB MISSED');
    assert.equal(describeFigure(figures[3] as Figure).value, 'missing');
    assert.equal(describeFigure(figures[4] as Figure).goal, '<= 80 MB met');
    assert.match(describeFigure(figures[7] as Figure).value, /^1 CreateSession, 14\.00 s/);
    assert.throws(() => describeFigure({ kind: 'nope', name: 'x', command: '', reproduce: '' }), /unknown figure kind/);
  });

  it('words goals given as "faster than" and reports throughput against the Go helper', async () => {
    const { describeFigure } = await benchModule<DescribeModule>('describe.mjs');
    const [warm, cli, serve] = versus as [Figure, Figure, Figure];
    assert.equal(describeFigure(warm).goal, '>= 3x faster met');
    assert.equal(
      describeFigure({ ...warm, ratio: { median: 0.4, p10: 0, p90: 0, ofMedians: 0 } }).goal,
      '>= 3x faster MISSED',
    );
    assert.deepEqual(describeFigure(cli), {
      value: '1 CreateSession, 11.00 s (p10 11.00 s, p90 11.00 s)',
      baseline: 'Go helper profile 13.00 s',
      ratio: '0.85x',
      goal: '< 1x (faster) met',
    });
    assert.deepEqual(describeFigure(serve), {
      value: '900/s (p10 899, p90 901), p99 20.0 ms',
      baseline: 'Go helper 1200/s (p10 1199, p90 1201), p99 10.0 ms',
      ratio: '0.75x the rate',
      goal: undefined,
    });
  });

  it('lists every goal first, then one table per section, the side-by-side ones before the rest', async () => {
    const { renderMarkdown } = await benchModule<MarkdownModule>('report-markdown.mjs');
    const markdown = renderMarkdown({ machine: { ...machine, goHelper: 'v1.4.0' }, figures: [...figures, ...versus] });
    const headings = markdown.split('\n').filter((line) => /^\*\*.*\*\*$/.test(line));
    assert.deepEqual(headings, [
      '**credential_process: iamra vs the Go helper**',
      '**20 AWS CLI calls**',
      '**serve**',
      '**Steps, floors, memory, signing, the emulator, sizes**',
    ]);
    const goals = markdown
      .split('\n')
      .filter(
        (line) => line.split(/(?<!\\)\|/).length === 5 && line.startsWith('| ') && !line.startsWith('| Measure |'),
      );
    assert.deepEqual(goals, [
      '| Action <step> & co | 2.50x (p10 2.10, p90 2.90) | <= 1.5x MISSED |',
      '| Profiles \\| ten | 1.10x (p10 1.00, p90 1.20) | <= 1.5x met |',
      '| Size: .vsix | 4096 kB | <= 3072 kB MISSED |',
      '| RSS | 56.0 MB (p10 55.0 MB, p90 57.0 MB) | <= 80 MB met |',
      '| Warm vs Go helper | 0.25x (p10 0.20, p90 0.30) | >= 3x faster met |',
      '| AWS CLI, iamra profile | 0.85x | < 1x (faster) met |',
    ]);
    assert.match(markdown, /Go helper v1\.4\.0/);
  });

  it('writes one Markdown row per figure with its reproduce command, escaping table pipes', async () => {
    const { renderMarkdown } = await benchModule<MarkdownModule>('report-markdown.mjs');
    const markdown = renderMarkdown({ machine, figures });
    const rows = markdown
      .split('\n')
      .filter((line) => line.startsWith('| ') && !line.startsWith('| Measure') && line.split(/(?<!\\)\|/).length === 8);
    assert.equal(rows.length, figures.length);
    assert.match(markdown, /^\| Profiles \\\| ten \| 80\.0 ms/m);
    assert.match(markdown, /`npm run bench -- --only=action-step`/);
    assert.match(markdown, /^- Action <step> & co: `node24 dist\/main\/index\.js \| tee` vs `node24 -e 0`$/m);
    assert.match(markdown, /2 cores \(test cpu\), Node v20\.0\.0 and v24\.0\.0/);
  });

  it('draws a bar, a whisker, a baseline and a goal mark per timing, as well-formed escaped SVG', async () => {
    const { renderChart } = await benchModule<ChartModule>('report-chart.mjs');
    const svg = renderChart({ machine, figures });
    assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    assert.ok(svg.trimEnd().endsWith('</svg>'));
    assert.match(svg, /Action &lt;step&gt; &amp; co/);
    assert.doesNotMatch(svg, /<step>/);
    assert.equal((svg.match(/fill="#ec7211"/g) ?? []).length, 2, 'one missed bar plus the legend');
    assert.equal((svg.match(/fill="#2e7d32"/g) ?? []).length, 2, 'one met bar plus the legend');
    assert.equal((svg.match(/stroke-dasharray/g) ?? []).length, 3, 'two goal marks plus the legend');
    assert.doesNotMatch(svg, /NaN|undefined/);
  });

  it('copies the tables of bench.md between the README markers, leaving the rest and the command list out', async () => {
    const { spliceTables, START, END } = await benchModule<ReadmeModule>('update-readme.mjs');
    const readme = `# x\n\n${START}\nold table\n${END}\n\nafter\n`;
    const bench = 'Measured now.\n\n| a | b |\n|---|---|\n\nCommands measured:\n\n- a: `cmd`\n';
    assert.equal(
      spliceTables(readme, bench),
      `# x\n\n${START}\n\nMeasured now.\n\n| a | b |\n|---|---|\n\n${END}\n\nafter\n`,
    );
    assert.throws(() => spliceTables('# no markers', bench), /no bench markers/);
  });
});
