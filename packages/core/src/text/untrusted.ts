/**
 * Untrusted text (certificate fields, service messages, ARNs from responses, user input echoed
 * back) made safe to print. What the readers of our output act on:
 * - the Azure agent runs `##vso[` found anywhere in a line (ordinal, case-sensitive), on stdout
 *   and stderr; lines end at `\r` or `\n`. Its web log renders `##[warning]`, `##[section]`, …;
 * - the GitHub runner runs `::name::` at the start of a line (after .NET's TrimStart) and
 *   `##[name]` anywhere; both with .NET's culture-aware IndexOf/StartsWith, which skip
 *   "ignorable" characters: `#\u200B#[` is found as `##[`;
 * - terminals act on ANSI escapes (ESC, C1 CSI); bidi controls reorder what a reader sees;
 * - Markdown (job summaries) renders links, images, HTML, tables and autolinks.
 * So: every control, format, bidi, zero-width and other default-ignorable character becomes a
 * visible `\uXXXX`, then `##[`/`##vso[` and a leading `::` are broken, and the text is capped.
 */

/** Characters a reader could act on or that hide or reorder text: shown as `\uXXXX` instead. */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}]/gu;

/** `##[` and `##vso[` in any case: the runner's and the agent's command prefixes. */
const COMMAND_PREFIX = /##(?=(?:vso)?\[)/gi;

/** `::` at the start after whitespace: a GitHub workflow command when it starts a line. */
const LEADING_COMMAND = /^(\s*):(?=:)/u;

/** Long enough for any ARN, subject or service message; a 1 MiB message is not one line. */
export const UNTRUSTED_MAX_LENGTH = 512;

function visibleEscape(char: string): string {
  const code = char.codePointAt(0) ?? 0;
  return code > 0xffff ? `\\u{${code.toString(16)}}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

function cap(text: string, maxLength: number): string {
  const chars = Array.from(text);
  if (chars.length <= maxLength) return text;
  return `${chars.slice(0, maxLength).join('')}… (${chars.length - maxLength} more characters)`;
}

function stringOf(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined || value === null) return '';
  return String(value);
}

/**
 * One line of text that no runner, agent or terminal acts on: for log lines, error lines,
 * annotations. Neutralising text twice changes nothing more (within the cap).
 */
export function neutralizeForLog(value: unknown, maxLength = UNTRUSTED_MAX_LENGTH): string {
  const visible = cap(stringOf(value), maxLength).replace(INVISIBLE, visibleEscape);
  return visible.replace(COMMAND_PREFIX, '**').replace(LEADING_COMMAND, '$1\\:');
}

/** ASCII punctuation: CommonMark lets a backslash make any of it literal. */
const MARKDOWN_ACTIVE = /[!-/:-@[-`{-~]/g;

/**
 * Text shown literally inside Markdown (a job summary's table cell or paragraph): no link,
 * image, autolink, HTML, entity, emphasis or table break, and nothing the log line would act on.
 */
export function neutralizeForMarkdown(value: unknown, maxLength = UNTRUSTED_MAX_LENGTH): string {
  return neutralizeForLog(value, maxLength).replace(MARKDOWN_ACTIVE, (char) => `\\${char}`);
}
