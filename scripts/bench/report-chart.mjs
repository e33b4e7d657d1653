// chart.svg: each timing with a goal, its median time (bar, p10-p90 whisker) against its
// baseline, with the goal (goal x baseline) marked. Plain SVG text, no dependency.
const xml = (text) =>
  String(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function renderChart({ machine, figures }) {
  const timings = figures.filter((f) => f.kind === 'ratio' && f.goal !== undefined);
  const width = 980;
  const left = 470;
  const right = 150;
  const rowHeight = 50;
  const top = 48;
  const max = Math.max(
    1,
    ...timings.flatMap((t) => [t.candidate.p90, t.baseline.p90, (t.goal ?? 0) * t.baseline.median]),
  );
  const x = (ms) => left + ((width - left - right) * ms) / max;
  const rows = timings.map((t, i) => {
    const y = top + i * rowHeight;
    const goalX = t.goal !== undefined ? x(t.goal * t.baseline.median) : undefined;
    const met = t.goal === undefined || t.ratio.median <= t.goal;
    return [
      `<text x="${left - 8}" y="${y + 13}" text-anchor="end" font-size="12">${xml(t.name)}</text>`,
      `<rect x="${left}" y="${y}" width="${(x(t.candidate.median) - left).toFixed(1)}" height="16" fill="${met ? '#2e7d32' : '#ec7211'}"/>`,
      `<line x1="${x(t.candidate.p10).toFixed(1)}" x2="${x(t.candidate.p90).toFixed(1)}" y1="${y + 8}" y2="${y + 8}" stroke="#333" stroke-width="1.5"/>`,
      `<text x="${(x(Math.max(t.candidate.median, t.candidate.p90)) + 6).toFixed(1)}" y="${y + 13}" font-size="11">${t.candidate.median.toFixed(0)} ms, ${t.ratio.median.toFixed(2)}x</text>`,
      `<rect x="${left}" y="${y + 20}" width="${(x(t.baseline.median) - left).toFixed(1)}" height="10" fill="#9aa5b1"/>`,
      `<text x="${(x(t.baseline.median) + 6).toFixed(1)}" y="${y + 29}" font-size="10" fill="#555">${t.baseline.median.toFixed(0)} ms baseline</text>`,
      goalX !== undefined
        ? `<line x1="${goalX.toFixed(1)}" x2="${goalX.toFixed(1)}" y1="${y - 3}" y2="${y + 33}" stroke="#c62828" stroke-dasharray="3,2"/>`
        : '',
    ].join('');
  });
  const height = top + timings.length * rowHeight + 30;
  const legendY = height - 14;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif">
<rect width="100%" height="100%" fill="white"/>
<text x="16" y="24" font-size="15" font-weight="bold">iamra vs its baselines, where a goal applies (median, p10-p90 whisker)</text>
<text x="16" y="40" font-size="11" fill="#555">${xml(`${machine.cpus} cores, Node ${machine.node}${machine.node24 ? ` / ${machine.node24}` : ''}, ${machine.date.slice(0, 10)}`)}</text>
${rows.join('\n')}
<rect x="16" y="${legendY - 9}" width="10" height="10" fill="#2e7d32"/><text x="30" y="${legendY}" font-size="11">goal met</text>
<rect x="100" y="${legendY - 9}" width="10" height="10" fill="#ec7211"/><text x="114" y="${legendY}" font-size="11">goal missed</text>
<rect x="200" y="${legendY - 9}" width="10" height="10" fill="#9aa5b1"/><text x="214" y="${legendY}" font-size="11">baseline</text>
<line x1="290" x2="290" y1="${legendY - 10}" y2="${legendY + 2}" stroke="#c62828" stroke-dasharray="3,2"/><text x="296" y="${legendY}" font-size="11">goal (ratio x baseline)</text>
</svg>
`;
}
