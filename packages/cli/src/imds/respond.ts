import type http from 'node:http';

export function send(response: http.ServerResponse, status: number, body: string, type = 'text/plain'): void {
  response.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body) });
  response.end(body);
}

/** No usable credentials (none yet, expired, incomplete): a server error, never an empty answer. */
export function sendUnavailable(response: http.ServerResponse): void {
  send(
    response,
    500,
    JSON.stringify({ code: 'CredentialsUnavailable', message: 'no valid credentials right now; retry shortly' }),
    'application/json',
  );
}
