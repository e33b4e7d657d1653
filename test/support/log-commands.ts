/**
 * What the readers of a step's output would act on, by their own parsing rules: the Azure agent
 * runs `##vso[` anywhere in a line; the GitHub runner runs `::name::` at a line start (after
 * whitespace) and `##[name]` anywhere, matching with .NET's culture-aware comparison, which skips
 * ignorable characters; lines end at `\r` or `\n`. Terminals act on ANSI escapes.
 */

/** Characters .NET's culture-aware IndexOf/StartsWith skip when the runner looks for a command. */
const IGNORABLE = /[\p{Cc}\p{Cf}\p{Default_Ignorable_Code_Point}]/gu;

function occurrences(text: string, part: string): number {
  return text.split(part).length - 1;
}

/**
 * Every command (or escape) in `printed` except the step's own: `own` lists the command names
 * the step itself writes at the start of a line (`add-mask`, `task.setvariable`, …).
 */
export function injectedCommands(printed: string, own: string[] = []): string[] {
  const found: string[] = [];
  for (const line of printed.split(/\r\n|\r|\n/)) {
    const skipped = line.replace(IGNORABLE, '');
    const ownVso = own.some((name) => line.startsWith(`##vso[${name} `) || line.startsWith(`##vso[${name}]`));
    if (occurrences(line, '##vso[') > (ownVso ? 1 : 0)) found.push(`azure ##vso[: ${JSON.stringify(line)}`);
    if (skipped.includes('##[')) found.push(`github ##[: ${JSON.stringify(line)}`);
    const ownGithub = own.some((name) => line.startsWith(`::${name}::`) || line.startsWith(`::${name} `));
    if (/^\s*::/u.test(skipped) && !ownGithub) found.push(`github ::: ${JSON.stringify(line)}`);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: ESC and CSI are exactly what is looked for
    if (/[\u001b\u009b]/.test(line)) found.push(`ansi: ${JSON.stringify(line)}`);
  }
  return found;
}

/** The GitHub Action's own workflow commands. */
export const ACTION_COMMANDS = ['add-mask', 'warning', 'error', 'debug'];

/** The Azure task's own logging commands. */
export const TASK_COMMANDS = [
  'task.setsecret',
  'task.setvariable',
  'task.issue',
  'task.complete',
  'task.uploadsummary',
  'task.debug',
];

/** Hostile text: certificate fields and service messages the review tried, and their next variants. */
export const HOSTILE_TEXT = [
  'ci ##vso[task.prependpath]/x ##[warning]spoof',
  '##vso[task.setvariable variable=AWS_PROFILE]pwned',
  '##VSO[task.setvariable variable=X]y',
  '#\u200b#[error]zero width between',
  '##\u00ad[error]soft hyphen',
  '#\u2060#vso[task.complete]word joiner',
  '###vso[task.debug]triple',
  '####[group]quad',
  '::warning::at the start',
  '  \u00a0::set-output name=x::leading spaces',
  '\u200b::error::ignorable first',
  'first\n##vso[task.setsecret]second line',
  'first\r::add-mask::carriage return',
  'line\u2028separator ##[section]',
  'nel\u0085::error::x',
  '\u001b[31mred\u001b[0m and \u009b2J',
  'bidi \u202eevil\u202c and \u2066isolate\u2069',
  'tag \u{e0041} and bom \ufeff and variation \ufe0f',
  '%0A##vso[task.complete]percent-encoded',
];
