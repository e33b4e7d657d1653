/**
 * An IMDSv2-compatible endpoint on 127.0.0.1: the token dance, then the role credentials the
 * SDKs' instance-metadata providers read.
 */
import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SessionCredentials } from '@iamra/core';
import { allowedHosts, isAllowedHost } from './allowed-hosts.js';
import { TokenStore } from './tokens.js';

export interface ImdsOptions {
  port: number;
  roleName: string;
  /** Current credentials; the server never serves expired ones. */
  current: () => SessionCredentials | undefined;
  now: () => Date;
  hopLimit?: number;
  tokenCapacity?: number;
}

export interface RunningImds {
  url: string;
  port: number;
  tokens: TokenStore;
  stop(): Promise<void>;
}

const BASE = '/latest/meta-data/iam/security-credentials/';
const LISTEN_ADDRESS = '127.0.0.1';
const DEFAULT_TOKEN_TTL_SECONDS = '21600';

function send(response: http.ServerResponse, status: number, body: string, type = 'text/plain'): void {
  response.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body) });
  response.end(body);
}

export async function startImds(options: ImdsOptions): Promise<RunningImds> {
  const tokens = new TokenStore(() => options.now().getTime(), options.tokenCapacity);
  // Loaded here, not at start-up: only `serve` needs an HTTP server.
  const { createServer } = await import('node:http');
  // Set when the port is known, before the server is handed out.
  let hosts = new Set<string>();
  const server = createServer((request, response) => {
    request.resume();
    if (request.headers['x-forwarded-for'] !== undefined) return send(response, 403, 'Forbidden');
    // A rebound DNS name still says its own name in Host: only our own addresses are served.
    if (!isAllowedHost(request.headers.host, hosts)) return send(response, 403, 'Forbidden');
    const path = (request.url ?? '/').split('?')[0] ?? '/';
    if (path === '/latest/api/token') {
      if (request.method !== 'PUT') return send(response, 405, 'Method Not Allowed');
      // No TTL header means the longest TTL, as aws_signing_helper's serve answers.
      const ttlText = String(request.headers['x-aws-ec2-metadata-token-ttl-seconds'] || DEFAULT_TOKEN_TTL_SECONDS);
      const ttl = Number(ttlText);
      if (!/^\d+$/.test(ttlText) || ttl < 1 || ttl > 21_600) return send(response, 400, 'Bad Request');
      const token = tokens.issue(ttl);
      response.setHeader('X-Aws-Ec2-Metadata-Token-Ttl-Seconds', String(ttl));
      return send(response, 200, token);
    }
    if (request.method !== 'GET') return send(response, 405, 'Method Not Allowed');
    if (!tokens.isValid(String(request.headers['x-aws-ec2-metadata-token'] ?? ''))) {
      return send(response, 401, 'Unauthorized');
    }
    if (path === BASE || path === BASE.slice(0, -1)) return send(response, 200, options.roleName);
    if (path === `${BASE}${options.roleName}` || path === `${BASE}${options.roleName}/`) {
      const credentials = options.current();
      if (!credentials || credentials.expiration <= options.now()) return send(response, 404, 'Not Found');
      return send(
        response,
        200,
        JSON.stringify({
          Code: 'Success',
          LastUpdated: options.now().toISOString(),
          Type: 'AWS-HMAC',
          AccessKeyId: credentials.accessKeyId,
          SecretAccessKey: credentials.secretAccessKey,
          Token: credentials.sessionToken,
          Expiration: credentials.expiration.toISOString(),
        }),
        'application/json',
      );
    }
    return send(response, 404, 'Not Found');
  });
  if (options.hopLimit !== undefined) {
    const hopLimit = options.hopLimit;
    // IMDS answers with a small IP TTL so containers behind extra hops cannot reach it.
    server.on('connection', (socket) => {
      const withTtl = socket as unknown as { setTTL?: (ttl: number) => void };
      withTtl.setTTL?.(hopLimit);
    });
  }
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, LISTEN_ADDRESS, () => {
      hosts = allowedHosts(LISTEN_ADDRESS, (server.address() as AddressInfo).port);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    tokens,
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
