/**
 * Workflow commands (`::name key=value,…::message`), escaped as the runner unescapes them:
 * `%`, CR and LF in the message; also `:` and `,` in property values.
 */
import { EOL } from 'node:os';

/** The commands this Action writes (a closed set: no name is ever empty or built from input). */
export type WorkflowCommand = 'add-mask' | 'debug' | 'notice' | 'warning' | 'error' | 'group' | 'endgroup';

function escapeData(value: string): string {
  return value.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(value: string): string {
  return escapeData(value).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/**
 * One command line. As the runner's own toolkit writes it: properties with an empty value are
 * left out, and a space follows the name whenever properties were given (even all empty).
 */
export function formatCommand(name: WorkflowCommand, message: string, properties: Record<string, string> = {}): string {
  const entries = Object.entries(properties);
  const props = entries
    .filter(([, value]) => value)
    .map(([key, value]) => `${key}=${escapeProperty(value)}`)
    .join(',');
  return `::${name}${entries.length > 0 ? ` ${props}` : ''}::${escapeData(message)}${EOL}`;
}
