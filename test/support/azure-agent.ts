/**
 * Runs the built Azure DevOps task the way the agent does: INPUT_* and agent variables in the
 * environment, every ##vso logging command parsed from stdout, variables fed to later steps
 * and to the post-job step.
 */
import { execFile } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { basename, join } from 'node:path';
import { filesUnder } from './files.js';
import { repoRoot } from './peers.js';
import { testDir } from './pki.js';

export const TASK_DIR = join(repoRoot, 'tasks', 'RolesAnywhereCredentialsV1');

export interface VsoCommand {
  command: string;
  properties: Record<string, string>;
  data: string;
}

export interface TaskVariable {
  value: string;
  secret: boolean;
  output: boolean;
}

export interface TaskRun {
  exitCode: number;
  stdout: string;
  commands: VsoCommand[];
  variables: Record<string, TaskVariable>;
  result: { status: string; message: string } | undefined;
}

export interface AgentJob {
  tempDir: string;
  home: string;
  variables: Record<string, TaskVariable>;
}

/**
 * task-lib's own files in Agent.TempDirectory, which every task-lib task of the job rewrites and
 * the agent removes with the directory: .taskkey (its in-memory vault's key) and the key files it
 * writes for the agent's proxy and client-certificate passwords.
 */
const TASK_LIB_FILES = new Set(['.taskkey', 'proxy', 'cert']);

/** What the task itself left in a directory. */
export function taskFilesUnder(dir: string): string[] {
  return filesUnder(dir).filter((file) => !TASK_LIB_FILES.has(basename(file)));
}

export function newAgentJob(): AgentJob {
  const root = testDir();
  const job = { tempDir: join(root, 'agent-temp'), home: join(root, 'home'), variables: {} };
  mkdirSync(job.tempDir, { recursive: true });
  mkdirSync(job.home, { recursive: true });
  return job;
}

function unescapeData(value: string): string {
  return value
    .replace(/%0D/g, '\r')
    .replace(/%0A/g, '\n')
    .replace(/%5D/g, ']')
    .replace(/%3B/g, ';')
    .replace(/%AZP25/g, '%');
}

export function parseVso(stdout: string): VsoCommand[] {
  const commands: VsoCommand[] = [];
  for (const line of stdout.split(/\r?\n/)) {
    const match = /##vso\[([\w.]+)([^\]]*)\](.*)$/.exec(line);
    if (!match?.[1]) continue;
    const properties: Record<string, string> = {};
    for (const pair of (match[2] ?? '').trim().split(';')) {
      const at = pair.indexOf('=');
      if (at > 0) properties[pair.slice(0, at).trim()] = unescapeData(pair.slice(at + 1));
    }
    commands.push({ command: match[1], properties, data: unescapeData(match[3] ?? '') });
  }
  return commands;
}

/** How the agent hands a variable to a step: upper-cased, dots to underscores; secrets are not env. */
export function variablesAsEnv(variables: Record<string, TaskVariable>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, variable] of Object.entries(variables)) {
    if (!variable.secret) env[name.replace(/\./g, '_').toUpperCase()] = variable.value;
  }
  return env;
}

/** A later task (task-lib) also gets the secret variables, as SECRET_<NAME> (scripts do not). */
export function secretVariablesAsTaskEnv(variables: Record<string, TaskVariable>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, variable] of Object.entries(variables)) {
    if (variable.secret) env[`SECRET_${name.replace(/\./g, '_').toUpperCase()}`] = variable.value;
  }
  return env;
}

export async function runTaskStep(
  node: string,
  step: 'main' | 'post',
  job: AgentJob,
  inputs: Record<string, string>,
  extraEnv: Record<string, string> = {},
): Promise<TaskRun> {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: job.home,
    AGENT_TEMPDIRECTORY: job.tempDir,
    AGENT_VERSION: '4.266.0',
    SYSTEM_DEFAULTWORKINGDIRECTORY: job.home,
    ...variablesAsEnv(job.variables),
    ...extraEnv,
  };
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value;
  const script = join(TASK_DIR, step, 'index.js');
  const { code, stdout } = await new Promise<{ code: number; stdout: string }>((resolve) => {
    execFile(node, [script], { env, cwd: job.home }, (error, out) => {
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout: out });
    });
  });
  const commands = parseVso(stdout);
  const variables: Record<string, TaskVariable> = {};
  for (const command of commands.filter((c) => c.command === 'task.setvariable')) {
    const name = command.properties.variable ?? '';
    variables[name] = {
      value: command.data,
      secret: command.properties.issecret === 'true',
      output: command.properties.isOutput === 'true' || command.properties.isoutput === 'true',
    };
  }
  Object.assign(job.variables, variables);
  const complete = commands.find((c) => c.command === 'task.complete');
  return {
    exitCode: code,
    stdout,
    commands,
    variables,
    result: complete ? { status: complete.properties.result ?? '', message: complete.data } : undefined,
  };
}

export interface SecureFile {
  id: string;
  name: string;
  ticket: string;
  content: Buffer;
}

export interface SecureFileServerOptions {
  failFirst?: number;
  /** Serve over TLS (an Azure DevOps Server behind a private CA); clientCa: demand a client certificate. */
  tls?: { cert: string; key: string; clientCa?: string };
  /** Content type of every download (default application/octet-stream). */
  contentType?: string;
}

/** A stand-in for the securefiles REST route that checks ticket and token as the service does. */
export async function startSecureFileServer(
  token: string,
  files: SecureFile[],
  options: SecureFileServerOptions = {},
): Promise<{ collectionUri: string; requests: number; connections: number; stop(): Promise<void> }> {
  let failures = options.failFirst ?? 0;
  const state = { requests: 0, connections: 0 };
  const handler: http.RequestListener = (request, response) => {
    state.requests += 1;
    const url = new URL(request.url ?? '/', 'http://localhost');
    const match = /^\/([^/]+)\/_apis\/distributedtask\/securefiles\/([^/]+)$/.exec(url.pathname);
    if (failures > 0) {
      failures -= 1;
      response.writeHead(503).end();
      return;
    }
    if (request.headers.authorization !== `Bearer ${token}`) {
      response.writeHead(401).end();
      return;
    }
    const file = files.find((candidate) => candidate.id === decodeURIComponent(match?.[2] ?? ''));
    if (match?.[1] !== 'iamra-project' || !file) {
      response.writeHead(404).end();
      return;
    }
    if (url.searchParams.get('ticket') !== file.ticket || url.searchParams.get('download') !== 'true') {
      response.writeHead(403).end();
      return;
    }
    response.writeHead(200, { 'Content-Type': options.contentType ?? 'application/octet-stream' }).end(file.content);
  };
  const { tls } = options;
  const server = tls
    ? https.createServer(
        {
          cert: tls.cert,
          key: tls.key,
          ...(tls.clientCa ? { ca: tls.clientCa, requestCert: true, rejectUnauthorized: true } : {}),
        },
        handler,
      )
    : http.createServer(handler);
  server.on('connection', () => {
    state.connections += 1;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    collectionUri: `${tls ? 'https' : 'http'}://127.0.0.1:${port}/`,
    get requests() {
      return state.requests;
    },
    get connections() {
      return state.connections;
    },
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

export function secureFileEnv(collectionUri: string, token: string, files: SecureFile[]): Record<string, string> {
  const env: Record<string, string> = {
    SYSTEM_TEAMFOUNDATIONCOLLECTIONURI: collectionUri,
    SYSTEM_TEAMPROJECT: 'iamra-project',
    ENDPOINT_AUTH_SYSTEMVSSCONNECTION: JSON.stringify({ parameters: { AccessToken: token }, scheme: 'OAuth' }),
    ENDPOINT_AUTH_PARAMETER_SYSTEMVSSCONNECTION_ACCESSTOKEN: token,
  };
  for (const file of files) {
    env[`SECUREFILE_NAME_${file.id}`] = file.name;
    env[`SECUREFILE_TICKET_${file.id}`] = file.ticket;
  }
  return env;
}

export interface RolesAnywhereConnection {
  id: string;
  certificate: string;
  privateKey: string;
  passphrase?: string;
  trustAnchorArn: string;
  profileArn: string;
  roleArn: string;
  region?: string;
}

/**
 * How the agent hands a step the service connection named in its input (endpoint type
 * iamra-rolesanywhere): the authorization as JSON and as one variable per parameter (secrets,
 * which task-lib moves to its vault), the data parameters (the ARNs) and the URL.
 */
export function connectionEnv(connection: RolesAnywhereConnection): Record<string, string> {
  const { id, certificate, privateKey, passphrase, ...data } = connection;
  const auth: Record<string, string> = { certificate, privateKey, ...(passphrase ? { passphrase } : {}) };
  const env: Record<string, string> = {
    [`ENDPOINT_URL_${id}`]: 'https://rolesanywhere.amazonaws.com',
    [`ENDPOINT_AUTH_${id}`]: JSON.stringify({ parameters: auth, scheme: 'None' }),
    [`ENDPOINT_AUTH_SCHEME_${id}`]: 'None',
  };
  for (const [name, value] of Object.entries(auth)) env[`ENDPOINT_AUTH_PARAMETER_${id}_${name.toUpperCase()}`] = value;
  for (const [name, value] of Object.entries(data)) if (value) env[`ENDPOINT_DATA_${id}_${name.toUpperCase()}`] = value;
  return env;
}
