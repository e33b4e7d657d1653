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

  it('writes one Markdown row per figure with its reproduce command, escaping table pipes', async () => {
    const { renderMarkdown } = await benchModule<MarkdownModule>('report-markdown.mjs');
    const markdown = renderMarkdown({ machine, figures });
    const rows = markdown.split('\n').filter((line) => line.startsWith('| ') && !line.startsWith('| Measure'));
    assert.equal(rows.length, figures.length);
    for (const row of rows) assert.equal(row.split(/(?<!\\)\|/).length, 8, row);
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
});
