/** Flag parsing with the Go helper's names: `--flag value`, `--flag=value`, switches. */
import { IamraError } from '@iamra/core/light';

export interface FlagSpec {
  /** Takes a value (otherwise a switch). */
  value: boolean;
  repeatable?: boolean;
  description: string;
  /** Shown in help, e.g. FILE, ARN. */
  placeholder?: string;
  /**
   * An aws_signing_helper flag for a feature iamra lacks: parsed like the Go helper's, then
   * refused with this line, which says what to use instead.
   */
  unsupported?: string;
  /** Values the Go helper reads as something other than a file (`pkcs11:` URIs): refused with the line. */
  unsupportedValues?: { pattern: RegExp; line: string }[];
}

export type FlagSpecs = Record<string, FlagSpec>;

export interface ParsedFlags {
  values: Map<string, string[]>;
  switches: Set<string>;
  /** Every valued flag in command-line order: a role chain's per-hop flags follow their hop. */
  sequence: [name: string, value: string][];
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i += 1) {
    let previous = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j += 1) {
      const current = row[j] ?? 0;
      row[j] = Math.min(current + 1, (row[j - 1] ?? 0) + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length] ?? 0;
}

export function closest(name: string, candidates: string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const d = distance(name, candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return bestDistance <= Math.max(2, Math.floor(name.length / 3)) ? best : undefined;
}

function usage(message: string): IamraError {
  return new IamraError('CONFIG_INVALID', message);
}

/** pflag, which the Go helper uses, takes `--switch=true` and `--switch=false` too. */
function switchValue(name: string, text: string | undefined): boolean {
  if (text === undefined || text === 'true') return true;
  if (text === 'false') return false;
  throw usage(`--${name} is a switch: write --${name} alone (or --${name}=true, --${name}=false)`);
}

/** One line for a flag the Go helper has and iamra does not support yet (exit 2). */
function refuseUnsupported(specs: FlagSpecs, parsed: ParsedFlags): void {
  for (const [name, spec] of Object.entries(specs)) {
    if (spec.unsupported && (parsed.switches.has(name) || parsed.values.has(name))) {
      throw new IamraError('FEATURE_UNSUPPORTED', `--${name}: ${spec.unsupported}`);
    }
    for (const value of parsed.values.get(name) ?? []) {
      const refusal = spec.unsupportedValues?.find((candidate) => candidate.pattern.test(value));
      if (refusal) throw new IamraError('FEATURE_UNSUPPORTED', `--${name}: ${refusal.line}`);
    }
  }
}

export function parseFlags(command: string, argv: string[], specs: FlagSpecs): ParsedFlags {
  const values = new Map<string, string[]>();
  const switches = new Set<string>();
  const sequence: [string, string][] = [];
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] ?? '';
    const match = /^--([A-Za-z0-9-]+)(?:=([\s\S]*))?$/.exec(arg);
    if (!match?.[1]) {
      throw usage(`unexpected argument '${arg}' for ${command}; see iamra ${command} --help`);
    }
    const name = match[1];
    const spec = specs[name];
    if (!spec) {
      const suggestion = closest(name, Object.keys(specs));
      throw usage(
        `unknown flag --${name} for ${command}${suggestion ? ` (did you mean --${suggestion}?)` : ''}; see iamra ${command} --help`,
      );
    }
    if (!spec.value) {
      if (switchValue(name, match[2])) switches.add(name);
      else switches.delete(name);
      continue;
    }
    const value = match[2] ?? argv[i + 1];
    if (match[2] === undefined) i += 1;
    if (value === undefined || (match[2] === undefined && value.startsWith('--'))) {
      throw usage(`--${name} needs a value: --${name} ${spec.placeholder ?? 'VALUE'}; see iamra ${command} --help`);
    }
    if (!spec.repeatable && values.has(name)) throw usage(`--${name} was given twice; give it once`);
    values.set(name, [...(values.get(name) ?? []), value]);
    sequence.push([name, value]);
  }
  const parsed = { values, switches, sequence };
  refuseUnsupported(specs, parsed);
  return parsed;
}

export function first(flags: ParsedFlags, name: string): string | undefined {
  return flags.values.get(name)?.[0];
}

export function renderHelp(usageLine: string, summary: string, specs: FlagSpecs): string {
  const rows = Object.entries(specs).map(([name, spec]) => {
    const left = `--${name}${spec.value ? ` ${spec.placeholder ?? 'VALUE'}` : ''}`;
    const note = spec.unsupported ? ' (not supported yet: refused)' : '';
    return `  ${left.padEnd(36)} ${spec.description}${note}`;
  });
  return `Usage: ${usageLine}\n\n${summary}\n\nOptions:\n${rows.join('\n')}\n`;
}
