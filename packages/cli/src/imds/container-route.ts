/**
 * The container credentials endpoint the SDKs try before IMDS (AWS_CONTAINER_CREDENTIALS_FULL_URI
 * with AWS_CONTAINER_AUTHORIZATION_TOKEN[_FILE] sent as the Authorization header).
 */
import type http from 'node:http';
import type { SessionCredentials } from '@iamra/core';
import type { ContainerToken } from './container-token.js';
import { send, sendUnavailable } from './respond.js';
import { credentialFields, usableCredentials } from './usable.js';

export const CONTAINER_PATH = '/v1/credentials';

export function handleContainer(
  request: http.IncomingMessage,
  response: http.ServerResponse,
  options: { token: ContainerToken; current: () => SessionCredentials | undefined; now: () => Date },
) {
  if (request.method !== 'GET') return send(response, 405, 'Method Not Allowed');
  if (!options.token.matches(request.headers.authorization)) {
    return send(
      response,
      401,
      JSON.stringify({ code: 'Unauthorized', message: 'wrong or missing Authorization' }),
      'application/json',
    );
  }
  const credentials = usableCredentials(options.current(), options.now());
  if (!credentials) return sendUnavailable(response);
  send(response, 200, JSON.stringify(credentialFields(credentials)), 'application/json');
}
