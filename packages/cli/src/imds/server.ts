/**
 * `serve`'s HTTP server: IMDSv2 and the container credentials endpoint on one port, on the
 * address given (127.0.0.1 by default). Requests with a forwarded-for header or a Host that does
 * not name an address we listen on (DNS rebinding; see allowed-hosts.ts) are refused first.
 */
import type { AddressInfo } from 'node:net';
import type { SessionCredentials } from '@iamra/core';
import { allowedHosts, isAllowedHost } from './allowed-hosts.js';
import { CONTAINER_PATH, handleContainer } from './container-route.js';
import type { ContainerToken } from './container-token.js';
import { handleImds } from './imds-routes.js';
import { type ListenAddress, parseListenAddress } from './listen.js';
import { send } from './respond.js';
import { TokenStore } from './tokens.js';

export interface ImdsOptions {
  port: number;
  /** Default 127.0.0.1. */
  listen?: ListenAddress;
  roleName: string;
  /** Current credentials; the server never serves expired or incomplete ones (500 instead). */
  current: () => SessionCredentials | undefined;
  now: () => Date;
  hopLimit?: number;
  tokenCapacity?: number;
  /** Enables the container endpoint, guarded by this token. */
  containerToken?: ContainerToken;
}

export interface RunningImds {
  /** Base URL clients use, without a trailing slash. */
  url: string;
  /** The container endpoint's URL, when enabled. */
  containerUrl: string | undefined;
  port: number;
  tokens: TokenStore;
  stop(): Promise<void>;
}

export async function startImds(options: ImdsOptions): Promise<RunningImds> {
  const listen = options.listen ?? parseListenAddress('127.0.0.1');
  const tokens = new TokenStore(() => options.now().getTime(), options.tokenCapacity);
  // Set when the port is known, before the server is handed out.
  let hosts = new Set<string>();
  // Loaded here, not at start-up: only `serve` needs an HTTP server.
  const { createServer } = await import('node:http');
  const server = createServer((request, response) => {
    request.resume();
    // A rebound DNS name still says its own name in Host: only our own addresses are served.
    if (request.headers['x-forwarded-for'] !== undefined || !isAllowedHost(request.headers.host, hosts)) {
      return send(response, 403, 'Forbidden');
    }
    const path = (request.url ?? '/').split('?')[0] ?? '/';
    if (path === CONTAINER_PATH && options.containerToken) {
      return handleContainer(request, response, { ...options, token: options.containerToken });
    }
    handleImds(path, request, response, { ...options, tokens });
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
    server.listen(options.port, listen.address, () => {
      hosts = allowedHosts(listen.address, (server.address() as AddressInfo).port);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${listen.urlHost}:${port}`;
  return {
    url,
    containerUrl: options.containerToken ? `${url}${CONTAINER_PATH}` : undefined,
    port,
    tokens,
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
