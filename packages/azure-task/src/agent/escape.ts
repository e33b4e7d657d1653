/** The agent's escaping for `##vso[...]` commands: `%` first, so escapes are never escaped twice. */
export function escapeData(value: string): string {
  return value.replace(/%/g, '%AZP25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Property values also end at `;` and the command at `]`. */
export function escapeProperty(value: string): string {
  return escapeData(value).replace(/]/g, '%5D').replace(/;/g, '%3B');
}
