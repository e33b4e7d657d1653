/** The HTTP transport: node:http(s), proxies from the environment by default, bounded responses. */
import type http from 'node:http';
import type https from 'node:https';
import { IamraError } from '../errors.js';
import { withDeadline } from './deadline.js';
import { proxyAuthorization, proxyFor } from './proxy.js';
import { secureContextOptions, type TlsSettings } from './tls-settings.js';

export interface HttpRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
  /** A wall-clock bound on the whole exchange: connect, tunnel, TLS, headers and body. */
  timeoutMs: number;
  /** Aborting it (SIGTERM, SIGINT) ends the request at once with INTERRUPTED. */
  signal?: AbortSignal;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string | undefined>;
  body: string;
  /** The raw body, for binary downloads (set by the Node transport). */
  bytes?: Buffer;
}

export type Transport = (request: HttpRequest) => Promise<HttpResponse>;

export interface TransportOptions {
  /** 'env' (default): HTTPS_PROXY/HTTP_PROXY/NO_PROXY; 'none'; or a proxy URL (http:// or https://). */
  proxy?: 'env' | 'none' | string;
  /** Hosts that bypass the proxy, as NO_PROXY lists them; when given, NO_PROXY is not read. */
  noProxy?: string;
  env?: NodeJS.ProcessEnv;
  /** false only for --no-verify-ssl (or an agent's SkipCertValidation). */
  rejectUnauthorized?: boolean;
  /** CA certificates and a client certificate for every TLS connection (endpoint and proxy). */
  tls?: TlsSettings;
  /** How to fix an untrusted certificate where the user is (default: NODE_EXTRA_CA_CERTS). */
  trustHint?: string;
  /** How to fix a client certificate the server refused (or did not get) where the user is. */
  clientCertificateHint?: string;
}

export const MAX_RESPONSE_BYTES = 1024 * 1024;

const TLS_TRUST_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_GET_ISSUER_CERT',
  'CERT_HAS_EXPIRED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

function errorCode(error: unknown): string {
  return typeof error === 'object' && error && 'code' in error ? String(error.code) : '';
}

/** TLS alerts a server sends about the client's certificate (OpenSSL's names, as Node reports them). */
const CLIENT_CERT_ALERT =
  /^ERR_SSL_.*ALERT_(CERTIFICATE_REQUIRED|BAD_CERTIFICATE|CERTIFICATE_UNKNOWN|UNKNOWN_CA|CERTIFICATE_EXPIRED|CERTIFICATE_REVOKED|UNSUPPORTED_CERTIFICATE)$/;

const DEFAULT_TRUST_HINT = 'add its CA with NODE_EXTRA_CA_CERTS (a proxy that inspects TLS needs its CA there)';
const DEFAULT_CLIENT_CERT_HINT = 'give the client certificate and key the server expects';

export interface TlsHints {
  trust?: string;
  clientCertificate?: string;
}

export function networkError(error: unknown, url: URL, hints: TlsHints = {}): IamraError {
  const code = errorCode(error);
  if (error instanceof IamraError) return error;
  if (CLIENT_CERT_ALERT.test(code)) {
    return new IamraError(
      'TLS_CLIENT_CERT_REFUSED',
      `${url.host} refused the TLS client certificate (${code}); ${hints.clientCertificate ?? DEFAULT_CLIENT_CERT_HINT}`,
      { cause: error },
    );
  }
  const trustHint = hints.trust ?? DEFAULT_TRUST_HINT;
  if (TLS_TRUST_CODES.has(code)) {
    return new IamraError(
      'TLS_UNTRUSTED',
      `the TLS certificate of ${url.host} is not trusted (${code}); ${trustHint}`,
      {
        cause: error,
      },
    );
  }
  return new IamraError(
    'NETWORK_ERROR',
    `could not reach ${url.host} (${code || 'connection failed'}); check the endpoint, DNS, firewall and proxy settings`,
    { cause: error },
  );
}

/** Each loaded on first use only: a warm credential_process loads none, plain HTTP no TLS. */
function lazy<T>(load: () => Promise<T>): () => Promise<T> {
  let loaded: Promise<T> | undefined;
  return () => {
    loaded ??= load();
    return loaded;
  };
}

const loadHttp = lazy(() => import('node:http').then((module) => module.default));
const loadHttps = lazy(() => import('node:https').then((module) => module.default));
const loadTls = lazy(() => import('node:tls'));

function collect(response: http.IncomingMessage, url: URL): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    response.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_RESPONSE_BYTES) {
        // Reject first: destroying the response also raises a reset, which must not win.
        reject(
          new IamraError('RESPONSE_INVALID', `the response from ${url.host} is larger than 1 MiB; check the endpoint`),
        );
        response.destroy();
        return;
      }
      chunks.push(chunk);
    });
    response.on('end', () => {
      const headers: Record<string, string | undefined> = {};
      for (const [name, value] of Object.entries(response.headers)) {
        headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
      }
      const bytes = Buffer.concat(chunks);
      resolve({ status: response.statusCode ?? 0, headers, body: bytes.toString('utf8'), bytes });
    });
    response.on('error', (error) => reject(networkError(error, url)));
    response.on('aborted', () =>
      reject(networkError(Object.assign(new Error('aborted'), { code: 'ECONNRESET' }), url)),
    );
  });
}

/** What a connection needs besides the URL: TLS settings and how to word a trust failure. */
interface Connection {
  secure: import('node:tls').SecureContextOptions & { rejectUnauthorized: boolean };
  hints: TlsHints;
}

/** An https:// proxy is spoken to over TLS (with the same trust); an http:// one in plain TCP. */
async function proxyRequest(proxy: URL, connection: Connection) {
  if (proxy.protocol === 'https:') {
    return { send: (await loadHttps()).request, options: { ...connection.secure } };
  }
  return { send: (await loadHttp()).request, options: {} };
}

function defaultPort(url: URL): string {
  return url.port || (url.protocol === 'https:' ? '443' : '80');
}

/** A CONNECT tunnel through the proxy, then TLS to the target. */
async function tunnel(
  proxy: URL,
  target: URL,
  connection: Connection,
  signal: AbortSignal,
): Promise<import('node:tls').TLSSocket> {
  const [{ send, options }, tls] = await Promise.all([proxyRequest(proxy, connection), loadTls()]);
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { Host: target.host };
    const authorization = proxyAuthorization(proxy);
    if (authorization) headers['Proxy-Authorization'] = authorization;
    const request = send({
      ...options,
      host: proxy.hostname,
      port: defaultPort(proxy),
      method: 'CONNECT',
      path: `${target.hostname}:${target.port || 443}`,
      headers,
      signal,
      agent: false,
    });
    request.on('connect', (response, socket) => {
      if (response.statusCode !== 200) {
        socket.destroy();
        reject(
          new IamraError(
            'NETWORK_ERROR',
            `the proxy ${proxy.host} refused to connect to ${target.host} (HTTP ${response.statusCode}); check HTTPS_PROXY and its credentials`,
          ),
        );
        return;
      }
      // Wait for the handshake here, so a TLS failure rejects instead of surfacing unhandled.
      // SNI names a host, never an IP address (RFC 6066).
      const servername = /^[\d.]+$|:/.test(target.hostname) ? undefined : target.hostname;
      const secure = tls.connect({
        ...connection.secure,
        socket,
        host: target.hostname,
        ...(servername ? { servername } : {}),
      });
      signal.addEventListener('abort', () => secure.destroy(), { once: true });
      secure.once('secureConnect', () => resolve(secure));
      secure.once('error', (error) => reject(networkError(error, target, connection.hints)));
    });
    request.on('error', (error) => reject(networkError(error, proxy, connection.hints)));
    request.end();
  });
}

export function createNodeTransport(options: TransportOptions = {}): Transport {
  const env = options.env ?? process.env;
  const hints: TlsHints = {
    ...(options.trustHint ? { trust: options.trustHint } : {}),
    ...(options.clientCertificateHint ? { clientCertificate: options.clientCertificateHint } : {}),
  };
  const rejectUnauthorized = options.rejectUnauthorized ?? true;
  // Built once, on the first TLS connection: the default trust store is only read then.
  let secure: Connection['secure'] | undefined;
  const connection = async (): Promise<Connection> => {
    secure ??= { ...(options.tls ? secureContextOptions(options.tls, await loadTls(), env) : {}), rejectUnauthorized };
    return { secure, hints };
  };
  const exchange = async (request: HttpRequest, signal: AbortSignal): Promise<HttpResponse> => {
    const url = new URL(request.url);
    const proxy = proxyFor(url, options.proxy ?? 'env', env, options.noProxy);
    const isHttps = url.protocol === 'https:';
    const headers = { ...request.headers, 'Content-Length': String(Buffer.byteLength(request.body)) };
    let send = isHttps ? (await loadHttps()).request : (await loadHttp()).request;
    let requestOptions: https.RequestOptions;
    if (proxy && isHttps) {
      const socket = await tunnel(proxy, url, await connection(), signal);
      // No `agent` here: with agent: false Node makes a fresh agent that ignores createConnection
      // and connects to the target directly, around the proxy.
      requestOptions = { createConnection: () => socket };
    } else if (proxy) {
      const via = await proxyRequest(proxy, await connection());
      send = via.send;
      requestOptions = { ...via.options, host: proxy.hostname, port: defaultPort(proxy), path: url.href, agent: false };
      const authorization = proxyAuthorization(proxy);
      if (authorization) Object.assign(headers, { 'Proxy-Authorization': authorization });
    } else {
      requestOptions = isHttps ? { ...(await connection()).secure } : {};
    }
    return new Promise<HttpResponse>((resolve, reject) => {
      const viaHttpProxy = proxy !== undefined && !isHttps;
      const base: https.RequestOptions = viaHttpProxy
        ? {}
        : { protocol: url.protocol, hostname: url.hostname, port: url.port, path: `${url.pathname}${url.search}` };
      const call = send(
        { ...base, ...requestOptions, method: request.method, headers, rejectUnauthorized, signal },
        (response) => collect(response, url).then(resolve, reject),
      );
      call.on('error', (error) => reject(networkError(error, viaHttpProxy && proxy ? proxy : url, hints)));
      call.end(request.body);
    });
  };
  return (request) =>
    withDeadline(request.timeoutMs, new URL(request.url).host, request.signal, (signal) => exchange(request, signal));
}
