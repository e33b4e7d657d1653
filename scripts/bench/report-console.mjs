// One line per figure on the console, followed by the commands that reproduce it.
import { describeFigure } from './describe.mjs';

export function printFigure(figure) {
  const { value, baseline, ratio, goal } = describeFigure(figure);
  const parts = [value, baseline && `baseline ${baseline}`, ratio && `ratio ${ratio}`, goal && `goal ${goal}`];
  console.log(`\n${figure.name}: ${parts.filter(Boolean).join('; ')}`);
  console.log(`  measured: ${figure.command}`);
  if (figure.baselineCommand) console.log(`  baseline: ${figure.baselineCommand}`);
  if (figure.note) console.log(`  note: ${figure.note}`);
  console.log(`  reproduce: ${figure.reproduce}`);
  return figure;
}
