/**
 * Edits one section of an AWS config or credentials file and leaves every other line
 * (other profiles, comments, blank lines) exactly as it was.
 */

interface Span {
  start: number;
  end: number;
}

/** A section header's name, trimmed; undefined for any other line. */
function header(line: string): string | undefined {
  return /^\s*\[([^\]]+)\]\s*([#;].*)?$/.exec(line)?.[1]?.trim();
}

/** A section runs from its header to the next header (or the end). */
function sectionEnd(lines: string[], start: number): number {
  let end = start + 1;
  while (end < lines.length && header(lines[end] ?? '') === undefined) end += 1;
  return end;
}

function findSection(lines: string[], section: string): Span | undefined {
  const start = lines.findIndex((line) => header(line) === section);
  return start < 0 ? undefined : { start, end: sectionEnd(lines, start) };
}

function splitLines(text: string): string[] {
  const lines = text.split(/\r?\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** Sets `entries` in `section` (added at the end if missing); `remove` names keys to drop from it. */
export function upsertIniSection(
  text: string,
  section: string,
  entries: Record<string, string>,
  remove: readonly string[] = [],
): string {
  const lines = splitLines(text);
  const body = Object.entries(entries).map(([key, value]) => `${key} = ${value}`);
  const span = findSection(lines, section);
  if (!span) {
    const separator = lines.length > 0 && lines[lines.length - 1]?.trim() !== '' ? [''] : [];
    return `${[...lines, ...separator, `[${section}]`, ...body].join('\n')}\n`;
  }
  // Keep comments and keys we do not manage inside the section; replace ours.
  const kept = lines.slice(span.start + 1, span.end).filter((line) => {
    const key = /^\s*([^=#;\s]+)\s*=/.exec(line)?.[1];
    return key === undefined || !(key in entries || remove.includes(key));
  });
  while (kept.length > 0 && kept[kept.length - 1]?.trim() === '') kept.pop();
  const trailing = span.end < lines.length ? [''] : [];
  const replaced = [lines[span.start] ?? `[${section}]`, ...kept, ...body, ...trailing];
  return `${[...lines.slice(0, span.start), ...replaced, ...lines.slice(span.end)].join('\n')}\n`;
}

export function removeIniSection(text: string, section: string): string {
  const lines = splitLines(text);
  const span = findSection(lines, section);
  if (!span) return text;
  const rest = [...lines.slice(0, span.start), ...lines.slice(span.end)];
  return rest.length ? `${rest.join('\n')}\n` : '';
}

/** Reads one section's key = value pairs (for tests and status output). */
export function readIniSection(text: string, section: string): Record<string, string> | undefined {
  const lines = splitLines(text);
  const span = findSection(lines, section);
  if (!span) return undefined;
  const result: Record<string, string> = {};
  for (const line of lines.slice(span.start + 1, span.end)) {
    const match = /^\s*([^=#;\s]+)\s*=\s*(.*)$/.exec(line);
    if (match?.[1]) result[match[1]] = (match[2] ?? '').trim();
  }
  return result;
}

/** The names of every section, in order (a name written twice is listed twice). */
export function iniSectionNames(text: string): string[] {
  return splitLines(text).flatMap((line) => header(line) ?? []);
}

/**
 * Splits the text into what `keep` accepts and what it does not, section by section, each line
 * as written: lines before the first header stay with the kept part.
 */
export function partitionIniSections(text: string, keep: (name: string) => boolean): { kept: string; dropped: string } {
  const lines = splitLines(text);
  const kept: string[] = [];
  const dropped: string[] = [];
  let start = lines.findIndex((line) => header(line) !== undefined);
  kept.push(...lines.slice(0, start < 0 ? lines.length : start));
  while (start >= 0 && start < lines.length) {
    const end = sectionEnd(lines, start);
    (keep(header(lines[start] ?? '') ?? '') ? kept : dropped).push(...lines.slice(start, end));
    start = end;
  }
  const joined = (part: string[]) => (part.length ? `${part.join('\n')}\n` : '');
  return { kept: joined(kept), dropped: joined(dropped) };
}
