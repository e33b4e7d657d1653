// bench.md: the README's table. Every row names the command that reproduces it.
import { describeFigure } from './describe.mjs';

const cell = (text) => String(text ?? '').replace(/\|/g, '\\|');

export function renderMarkdown({ machine, figures }) {
  const header = [
    `Measured ${machine.date} on ${machine.cpus} cores (${machine.cpuModel}), Node ${machine.node}` +
      `${machine.node24 ? ` and ${machine.node24}` : ''}${machine.awsCli ? `, ${machine.awsCli}` : ''}` +
      `${machine.quick ? ', --quick' : ''}. Timings: candidate and baseline interleaved, ` +
      'median (p10, p90); ratio = median of per-pair ratios.',
    '',
    '| Measure | iamra | Baseline | Ratio | Goal | Reproduce |',
    '|---|---|---|---|---|---|',
  ];
  const rows = figures.map((figure) => {
    const d = describeFigure(figure);
    return `| ${cell(figure.name)} | ${cell(d.value)} | ${cell(d.baseline)} | ${cell(d.ratio)} | ${cell(d.goal)} | \`${cell(figure.reproduce)}\` |`;
  });
  const commands = figures.map(
    (figure) =>
      `- ${cell(figure.name)}: \`${figure.command}\`${figure.baselineCommand ? ` vs \`${figure.baselineCommand}\`` : ''}`,
  );
  return `${[...header, ...rows, '', 'Commands measured:', '', ...commands].join('\n')}\n`;
}
