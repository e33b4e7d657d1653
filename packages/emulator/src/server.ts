/** The emulator's HTTP servers: Roles Anywhere on one port, STS on another, both on loopback. */
import { randomBytes, randomUUID } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { createSession, requestedAccount } from './create-session.js';
import { type FaultPlan, TokenBucket } from './faults.js';
import { IssuedStore } from './issued.js';
import type { EmulatorModel } from './model.js';
import { buildModelFromConfig, buildSimpleModel, type ConfigFile, type RoleConfig } from './model-builder.js';
import { ServiceError, throttled } from './service-error.js';
import { describeSession, handleSts } from './sts.js';
import type { ReceivedRequest } from './x509-sigv4.js';

/** Request headers the Roles Anywhere endpoint takes (an ML-DSA-87 request with a chain fits). */
const ROLES_ANYWHERE_MAX_HEADER_BYTES = 64 * 1024;

export interface EmulatorOptions {
  /** CA bundles (PEM), one trust anchor each; or give `config` / `model`. */
  cas?: string[];
  roleArns?: string[];
  crls?: (string | Buffer)[];
  maxSessionDurationSeconds?: number;
  accountId?: string;
  region?: string;
  /** Roles STS AssumeRole may assume (role chaining), with their trust policies. */
  roles?: RoleConfig[];
  config?: ConfigFile;
  configDir?: string;
  model?: EmulatorModel;
  host?: string;
  port?: number;
  stsPort?: number;
  /** Serve Roles Anywhere over TLS with this certificate and key (PEM). */
  tls?: { cert: string; key: string };
  /** Per-account CreateSession rate limit (off by default). */
  rateLimit?: { perSecond: number; burst?: number };
  faults?: FaultPlan;
  now?: () => Date;
  random?: (size: number) => Buffer;
  /** Stop by itself after this many ms. */
  lifetimeMs?: number;
  log?: (line: string) => void;
}

export interface EmulatorStats {
  createSession: number;
  createSessionOk: number;
  throttled: number;
  faulted: number;
  sts: number;
  stsOk: number;
  assumeRole: number;
  assumeRoleOk: number;
}

export interface RunningEmulator {
  endpoint: string;
  stsEndpoint: string;
  trustAnchorArns: string[];
  profileArn: string;
  roleArns: string[];
  model: EmulatorModel;
  stats(): EmulatorStats;
  setFaults(plan: FaultPlan | undefined): void;
  /** What an issued session carries (role, account, session policies, tags); never a secret. */
  session(accessKeyId: string): Record<string, unknown> | undefined;
  /** Resolves when the emulator stopped (by stop(), or at the end of its lifetime). */
  closed: Promise<void>;
  stop(): Promise<void>;
}

function modelFrom(options: EmulatorOptions): EmulatorModel {
  if (options.model) return options.model;
  if (options.config) return buildModelFromConfig(options.config, options.configDir);
  return buildSimpleModel({
    cas: options.cas ?? [],
    ...(options.roleArns ? { roleArns: options.roleArns } : {}),
    ...(options.crls ? { crls: options.crls } : {}),
    ...(options.maxSessionDurationSeconds ? { maxSessionDurationSeconds: options.maxSessionDurationSeconds } : {}),
    ...(options.accountId ? { accountId: options.accountId } : {}),
    ...(options.region ? { region: options.region } : {}),
    ...(options.roles ? { roles: options.roles } : {}),
  });
}

function readBody(request: http.IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new ServiceError(413, 'ValidationException', 'Request body too large'));
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

function received(request: http.IncomingMessage, body: Buffer): ReceivedRequest {
  const url = request.url ?? '/';
  const at = url.indexOf('?');
  return {
    method: request.method ?? 'GET',
    path: at < 0 ? url : url.slice(0, at),
    rawQuery: at < 0 ? '' : url.slice(at + 1),
    headers: request.headers,
    body,
  };
}

function listen(server: http.Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
  });
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const model = modelFrom(options);
  const now = options.now ?? (() => new Date());
  const random = options.random ?? randomBytes;
  const log = options.log ?? (() => {});
  const issued = new IssuedStore();
  const host = options.host ?? '127.0.0.1';
  const stats: EmulatorStats = {
    createSession: 0,
    createSessionOk: 0,
    throttled: 0,
    faulted: 0,
    sts: 0,
    stsOk: 0,
    assumeRole: 0,
    assumeRoleOk: 0,
  };
  const buckets = new Map<string, TokenBucket>();
  let faults = options.faults;
  const sockets = new Set<import('node:net').Socket>();

  function takeFault(): FaultPlan | undefined {
    if (!faults) return undefined;
    const plan = faults;
    if (plan.count !== undefined) {
      if (plan.count <= 0) return undefined;
      plan.count -= 1;
    }
    return plan;
  }

  function sendError(response: http.ServerResponse, error: ServiceError, requestId: string): void {
    response.writeHead(error.status, {
      'Content-Type': 'application/json',
      'X-Amzn-ErrorType': error.type,
      'x-amzn-RequestId': requestId,
    });
    response.end(JSON.stringify({ message: error.message }));
  }

  async function handleRolesAnywhere(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    const requestId = randomUUID();
    const body = await readBody(request, 1024 * 1024);
    const incoming = received(request, body);
    if (incoming.method !== 'POST' || incoming.path !== '/sessions') {
      sendError(response, new ServiceError(404, 'UnknownOperationException', 'Unknown operation'), requestId);
      return;
    }
    stats.createSession += 1;
    const fault = takeFault();
    if (fault) {
      const latencyOnly = !(
        fault.hang ||
        fault.reset ||
        fault.status ||
        fault.malformedBody ||
        fault.truncatedBody ||
        fault.emptyCredentialSet
      );
      if (!latencyOnly) stats.faulted += 1;
      if (fault.latencyMs) await new Promise((resolve) => setTimeout(resolve, fault.latencyMs));
      if (fault.hang) return; // never answers; the client's timeout must fire
      if (fault.reset) {
        request.socket.destroy();
        return;
      }
      if (fault.status) {
        const type =
          fault.status === 429
            ? 'ThrottlingException'
            : fault.status >= 500
              ? 'InternalServerException'
              : 'ValidationException';
        sendError(response, new ServiceError(fault.status, type, `injected fault ${fault.status}`), requestId);
        log(`CreateSession ${fault.status} injected fault`);
        return;
      }
    }
    try {
      if (options.rateLimit) {
        const account = requestedAccount(incoming) ?? 'unknown';
        let bucket = buckets.get(account);
        if (!bucket) {
          bucket = new TokenBucket(
            options.rateLimit.perSecond,
            options.rateLimit.burst ?? options.rateLimit.perSecond,
            Date.now(),
          );
          buckets.set(account, bucket);
        }
        if (!bucket.take(Date.now())) {
          stats.throttled += 1;
          throw throttled();
        }
      }
      const result = createSession(incoming, { model, issued, now, random });
      let text = JSON.stringify(result.body);
      if (fault?.emptyCredentialSet) text = JSON.stringify({ ...result.body, credentialSet: [] });
      if (fault?.malformedBody) text = '{"credentialSet": [ {"credentials": ';
      if (fault?.truncatedBody) text = text.slice(0, Math.floor(text.length / 2));
      stats.createSessionOk += 1;
      response.writeHead(result.status, { 'Content-Type': 'application/json', 'x-amzn-RequestId': requestId });
      response.end(text);
      log(`CreateSession 201 account ${result.accountId}`);
    } catch (error) {
      if (!(error instanceof ServiceError)) throw error;
      sendError(response, error, requestId);
      log(`CreateSession ${error.status} ${error.type}: ${error.reason}`);
    }
  }

  async function handleStsRequest(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    const requestId = randomUUID();
    const body = await readBody(request, 1024 * 1024);
    const incoming = received(request, body);
    // For tests that run the emulator in its own process: what a session was issued with.
    const debug = /^\/_emulator\/sessions\/([A-Z0-9]{16,128})$/.exec(incoming.path);
    if (incoming.method === 'GET' && debug) {
      const found = issued.get(debug[1] ?? '');
      response.writeHead(found ? 200 : 404, { 'Content-Type': 'application/json' });
      response.end(JSON.stringify(found ? describeSession(found) : { message: 'no such session' }));
      return;
    }
    stats.sts += 1;
    const isAssumeRole = /(?:^|&)Action=AssumeRole(?:&|$)/.test(
      incoming.method === 'GET' ? incoming.rawQuery : body.toString('utf8'),
    );
    if (isAssumeRole) stats.assumeRole += 1;
    const answer = handleSts(incoming, { issued, model, now: now(), random, requestId });
    if (answer.status === 200) {
      stats.stsOk += 1;
      if (isAssumeRole) stats.assumeRoleOk += 1;
    }
    response.writeHead(answer.status, { 'Content-Type': 'text/xml', 'x-amzn-RequestId': requestId });
    response.end(answer.body);
    log(`STS ${isAssumeRole ? 'AssumeRole ' : ''}${answer.status}`);
  }

  const guard =
    (handler: (q: http.IncomingMessage, s: http.ServerResponse) => Promise<void>) =>
    (request: http.IncomingMessage, response: http.ServerResponse) => {
      handler(request, response).catch((error: unknown) => {
        const status = error instanceof ServiceError ? error.status : 500;
        if (!response.headersSent) {
          response.writeHead(status, {
            'Content-Type': 'application/json',
            'X-Amzn-ErrorType': 'InternalServerException',
          });
        }
        response.end(JSON.stringify({ message: 'Internal error' }));
        log(`internal error: ${error instanceof Error ? error.message : String(error)}`);
      });
    };

  // An ML-DSA-87 request carries a ~10 KB X-Amz-X509 and a ~9 KB hex signature: past Node's
  // 16 KiB default, yet aws_signing_helper v1.8.0 sends exactly that, so the service takes it.
  const headerLimit = { maxHeaderSize: ROLES_ANYWHERE_MAX_HEADER_BYTES };
  const roleServer = options.tls
    ? https.createServer({ cert: options.tls.cert, key: options.tls.key, ...headerLimit }, guard(handleRolesAnywhere))
    : http.createServer(headerLimit, guard(handleRolesAnywhere));
  const stsServer = http.createServer(guard(handleStsRequest));
  for (const server of [roleServer, stsServer]) {
    server.on('connection', (socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
  }
  const port = await listen(roleServer, host, options.port ?? 0);
  const stsPort = await listen(stsServer, host, options.stsPort ?? 0);
  const urlHost = host.includes(':') ? `[${host}]` : host;

  let resolveClosed: () => void = () => {};
  const closed = new Promise<void>((resolve) => {
    resolveClosed = resolve;
  });
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      for (const socket of sockets) socket.destroy();
      await Promise.all(
        [roleServer, stsServer].map((server) => new Promise<void>((resolve) => server.close(() => resolve()))),
      );
      resolveClosed();
    })();
    return stopping;
  };
  if (options.lifetimeMs) setTimeout(() => void stop(), options.lifetimeMs).unref();

  const profile = model.profiles[0];
  return {
    endpoint: `${options.tls ? 'https' : 'http'}://${urlHost}:${port}`,
    stsEndpoint: `http://${urlHost}:${stsPort}`,
    trustAnchorArns: model.trustAnchors.map((anchor) => anchor.arn),
    profileArn: profile?.arn ?? '',
    roleArns: profile?.roleArns ?? [],
    model,
    stats: () => ({ ...stats }),
    setFaults: (plan) => {
      faults = plan ? { ...plan } : undefined;
    },
    session: (accessKeyId) => {
      const found = issued.get(accessKeyId);
      return found ? describeSession(found) : undefined;
    },
    closed,
    stop,
  };
}
