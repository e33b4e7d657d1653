/**
 * The one log scanner every end-to-end run goes through: no secret (or any line of a
 * multi-line secret) may appear unmasked, and each mask command must come before any other
 * appearance of its value.
 */
export interface ScanOptions {
  /** Parses a mask command line, returning the value it masks (or undefined). */
  maskedValue: (line: string) => string | undefined;
  /**
   * Whether a secret may appear after its mask. Azure's protocol needs it (a secret variable's
   * value travels in its setvariable command; task-lib echoes inputs in debug lines), and the
   * agent hides every appearance after the mask. Our GitHub Action never prints one at all.
   */
  allowAfterMask?: boolean;
  /** Whether every secret must have been masked (false for steps that never read them, e.g. post). */
  requireMasked?: boolean;
}

export const githubMask = (line: string) =>
  /^::add-mask::(.*)$/.exec(line)?.[1]?.replace(/%0A/g, '\n').replace(/%0D/g, '\r').replace(/%25/g, '%');
export const azureMask = (line: string) =>
  /##vso\[task\.setsecret\](.*)$/
    .exec(line)?.[1]
    ?.replace(/%0A/g, '\n')
    .replace(/%0D/g, '\r')
    .replace(/%AZP25/g, '%');

/** Every line of every secret (whole values too), ignoring short fragments that would match by chance. */
export function secretFragments(secrets: string[]): string[] {
  const fragments = new Set<string>();
  for (const secret of secrets) {
    for (const line of secret.split(/\r?\n/).map((l) => l.trim())) if (line.length >= 8) fragments.add(line);
    if (secret.trim().length >= 8 && !secret.includes('\n')) fragments.add(secret.trim());
  }
  return [...fragments];
}

/** Returns the problems found (empty when the log is clean). */
export function scanLog(log: string, secrets: string[], options: ScanOptions): string[] {
  const problems: string[] = [];
  const masked = new Set<string>();
  const lines = log.split(/\r?\n/);
  const fragments = secretFragments(secrets);
  lines.forEach((line, index) => {
    const value = options.maskedValue(line);
    if (value !== undefined) {
      masked.add(value);
      return;
    }
    for (const fragment of fragments) {
      if (line.includes(fragment)) {
        if (options.allowAfterMask && masked.has(fragment)) continue;
        problems.push(
          masked.has(fragment)
            ? `line ${index + 1}: a masked secret appears (the runner hides it, but it should not be printed)`
            : `line ${index + 1}: secret fragment ${fragment.slice(0, 6)}… appears before or without its mask`,
        );
      }
    }
  });
  for (const fragment of options.requireMasked === false ? [] : fragments) {
    if (!masked.has(fragment) && !secretIsMaskedByWhole(fragment, masked)) {
      problems.push(`secret fragment ${fragment.slice(0, 6)}… was never masked`);
    }
  }
  return problems;
}

function secretIsMaskedByWhole(fragment: string, masked: Set<string>): boolean {
  return [...masked].some((value) => value.split(/\r?\n/).some((line) => line.trim() === fragment));
}
