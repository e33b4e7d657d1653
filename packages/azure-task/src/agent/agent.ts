/**
 * The Azure Pipelines agent's task contract, written out: inputs, variables, endpoint auth and
 * secure-file tickets from the environment, `##vso[...]` logging commands on stdout.
 * azure-pipelines-task-lib does the same but its load alone doubled the step's start-up
 * (task step 97 ms vs 32 ms for `node -e 0`), and it echoes inputs and tokens in debug lines;
 * the contract is small and documented, so the task speaks it directly, as the Action does.
 */
import { neutralizeForLog } from '@iamra/core';
import { escapeData, escapeProperty } from './escape.js';

export interface AgentIo {
  env: NodeJS.ProcessEnv;
  stdout: { write(text: string): unknown };
}

export type TaskResult = 'Succeeded' | 'SucceededWithIssues' | 'Failed';

/** Environment entries that carry secrets: read once, then removed so no child inherits them. */
const SECRET_PREFIXES = ['INPUT_', 'ENDPOINT_AUTH_', 'SECUREFILE_TICKET_', 'SECRET_'];

/** How the agent names a variable in the environment: dots and spaces become `_`, upper case. */
export function variableKey(name: string): string {
  return name.replace(/[. ]/g, '_').toUpperCase();
}

export class Agent {
  private readonly secrets = new Map<string, string>();
  private readonly correlationId: string;

  constructor(private readonly io: AgentIo) {
    for (const [name, value] of Object.entries(io.env)) {
      if (value === undefined || !SECRET_PREFIXES.some((prefix) => name.startsWith(prefix))) continue;
      this.secrets.set(name, value);
      delete io.env[name];
    }
    // Issues carry the agent's correlation id so it can tell the task's own issues from echoes.
    this.correlationId = io.env.COMMAND_CORRELATION_ID ?? '';
    delete io.env.COMMAND_CORRELATION_ID;
  }

  /** The job's token, secure-file tickets, the agent's proxy password: never printed; masked anyway. */
  agentSecrets(): string[] {
    return [...this.secrets]
      .filter(
        ([name]) =>
          name === 'ENDPOINT_AUTH_PARAMETER_SYSTEMVSSCONNECTION_ACCESSTOKEN' ||
          name === 'SECRET_AGENT_PROXYPASSWORD' ||
          name.startsWith('SECUREFILE_TICKET_'),
      )
      .map(([, value]) => value);
  }

  input(name: string): string | undefined {
    return this.secrets.get(`INPUT_${variableKey(name)}`) || undefined;
  }

  variable(name: string): string | undefined {
    const key = variableKey(name);
    return this.secrets.get(`SECRET_${key}`) || this.io.env[key] || undefined;
  }

  endpointAuthParameter(endpoint: string, key: string): string | undefined {
    return this.secrets.get(`ENDPOINT_AUTH_PARAMETER_${endpoint}_${key.toUpperCase()}`) || undefined;
  }

  secureFileTicket(id: string): string | undefined {
    return this.secrets.get(`SECUREFILE_TICKET_${id}`) || undefined;
  }

  secureFileName(id: string): string | undefined {
    return this.io.env[`SECUREFILE_NAME_${id}`] || undefined;
  }

  command(name: string, properties: Record<string, string>, message = ''): void {
    const props = Object.entries(properties)
      .filter(([, value]) => value !== '')
      .map(([key, value]) => `${key}=${escapeProperty(value)};`)
      .join('');
    this.io.stdout.write(`##vso[${name}${props ? ` ${props}` : ''}]${escapeData(message)}\n`);
  }

  /** The agent masks single lines only; callers split multi-line secrets first. */
  setSecret(value: string): void {
    if (value && !/[\r\n]/.test(value)) this.command('task.setsecret', {}, value);
  }

  setVariable(name: string, value: string, options: { secret?: boolean; isOutput?: boolean } = {}): void {
    if (!options.secret) this.io.env[variableKey(name)] = value;
    this.command(
      'task.setvariable',
      { variable: name, isOutput: String(options.isOutput ?? false), issecret: String(options.secret ?? false) },
      value,
    );
  }

  /** A log line: whatever it quotes, the agent acts on none of it (see neutralizeForLog). */
  info(line: string): void {
    this.io.stdout.write(`${neutralizeForLog(line, Number.POSITIVE_INFINITY)}\n`);
  }

  warning(message: string): void {
    this.issue('warning', message);
  }

  error(message: string): void {
    this.issue('error', message);
  }

  private issue(type: 'warning' | 'error', message: string): void {
    const line = neutralizeForLog(message, Number.POSITIVE_INFINITY);
    this.command('task.issue', { type, source: 'TaskInternal', correlationId: this.correlationId }, line);
  }

  uploadSummary(path: string): void {
    this.command('task.uploadsummary', {}, path);
  }

  /** A failure is also an error issue, so the run's summary shows the one line that says why. */
  complete(result: TaskResult, message: string): void {
    if (result === 'Failed') this.error(message);
    this.command('task.complete', { result }, neutralizeForLog(message, Number.POSITIVE_INFINITY));
  }
}
