// bench.md: the README's tables. First every goal with its verdict, then one table per section
// (the side-by-side comparisons first, in the order measured), every row naming the command
// that reproduces it.
import { describeFigure } from './describe.mjs';

const cell = (text) => String(text ?? '').replace(/\|/g, '\\|');
const OTHER = 'Steps, floors, memory, signing, the emulator, sizes';

function row(figure) {
  const d = describeFigure(figure);
  return `| ${cell(figure.name)} | ${cell(d.value)} | ${cell(d.baseline)} | ${cell(d.ratio)} | ${cell(d.goal)} | \`${cell(figure.reproduce)}\` |`;
}

/** The goals, each with what was measured against it: "| name | ratio (value vs baseline) | goal verdict |". */
function goalRows(figures) {
  return figures
    .filter((figure) => describeFigure(figure).goal !== undefined)
    .map((figure) => {
      const d = describeFigure(figure);
      return `| ${cell(figure.name)} | ${cell(d.ratio ?? d.value)} | ${cell(d.goal)} |`;
    });
}

/** Figures by section, sections in order of first appearance, the unsectioned ones last. */
export function sections(figures) {
  const bySection = new Map();
  for (const figure of figures) {
    const name = figure.section ?? OTHER;
    if (!bySection.has(name)) bySection.set(name, []);
    bySection.get(name).push(figure);
  }
  const other = bySection.get(OTHER);
  bySection.delete(OTHER);
  if (other) bySection.set(OTHER, other);
  return [...bySection.entries()];
}

export function renderMarkdown({ machine, figures }) {
  const header = [
    `Measured ${machine.date} on ${machine.cpus} cores (${machine.cpuModel}), Node ${machine.node}` +
      `${machine.node24 ? ` and ${machine.node24}` : ''}${machine.awsCli ? `, ${machine.awsCli}` : ''}` +
      `${machine.goHelper ? `, Go helper ${machine.goHelper}` : ''}` +
      `${machine.quick ? ', --quick' : ''}${machine.seconds ? `, ${machine.seconds} s in all` : ''}. Timings: ` +
      'variants interleaved run by run, median (p10, p90); ratio = median of per-pair ratios.',
  ];
  const goals = goalRows(figures);
  const goalTable = goals.length ? ['', '| Measure | Measured | Goal |', '|---|---|---|', ...goals] : [];
  const tables = sections(figures).flatMap(([name, members]) => [
    '',
    `**${name}**`,
    '',
    '| Measure | iamra | Baseline | Ratio | Goal | Reproduce |',
    '|---|---|---|---|---|---|',
    ...members.map(row),
  ]);
  const commands = figures.map(
    (figure) =>
      `- ${cell(figure.name)}: \`${figure.command}\`${figure.baselineCommand ? ` vs \`${figure.baselineCommand}\`` : ''}`,
  );
  return `${[...header, ...goalTable, ...tables, '', 'Commands measured:', '', ...commands].join('\n')}\n`;
}
