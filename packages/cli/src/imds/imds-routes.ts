/** IMDSv2: the token dance, then the role credentials the SDKs' instance-metadata providers read. */
import type http from 'node:http';
import type { SessionCredentials } from '@iamra/core';
import { send, sendUnavailable } from './respond.js';
import type { TokenStore } from './tokens.js';
import { credentialFields, usableCredentials } from './usable.js';

const BASE = '/latest/meta-data/iam/security-credentials/';
const DEFAULT_TOKEN_TTL_SECONDS = '21600';

export interface ImdsRouteOptions {
  roleName: string;
  current: () => SessionCredentials | undefined;
  now: () => Date;
  tokens: TokenStore;
}

export function handleImds(
  path: string,
  request: http.IncomingMessage,
  response: http.ServerResponse,
  options: ImdsRouteOptions,
) {
  const { tokens } = options;
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
  if (path !== `${BASE}${options.roleName}` && path !== `${BASE}${options.roleName}/`) {
    return send(response, 404, 'Not Found');
  }
  const credentials = usableCredentials(options.current(), options.now());
  if (!credentials) return sendUnavailable(response);
  send(
    response,
    200,
    JSON.stringify({
      Code: 'Success',
      LastUpdated: options.now().toISOString(),
      Type: 'AWS-HMAC',
      ...credentialFields(credentials),
    }),
    'application/json',
  );
}
