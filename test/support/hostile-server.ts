/**
 * A hostile or broken endpoint on 127.0.0.1: each request is answered by the test's handler
 * (a forged error, a slow drip, a hang, another account's credentials). stop() cuts every open
 * connection, so a hanging answer never keeps a test alive.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HostileServer {
  endpoint: string;
  requests: number;
  stop(): Promise<void>;
}

export type HostileHandler = (request: http.IncomingMessage, response: http.ServerResponse) => void;

export async function startHostileServer(handler: HostileHandler): Promise<HostileServer> {
  const state = { requests: 0 };
  const server = http.createServer((request, response) => {
    state.requests += 1;
    request.resume();
    request.on('end', () => handler(request, response));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    get requests() {
      return state.requests;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** An AWS-shaped JSON error: what a real or spoofed service could send. */
export function jsonError(
  status: number,
  body: Record<string, unknown>,
  headers: Record<string, string> = {},
): HostileHandler {
  return (_request, response) => {
    response.writeHead(status, { 'content-type': 'application/json', ...headers });
    response.end(JSON.stringify(body));
  };
}
