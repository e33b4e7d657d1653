/** The Node transport against real local servers: proxies, TLS, timeouts, resets, size limits. */
import assert from 'node:assert/strict';
import http from 'node:http';
import https from 'node:https';
import net, { type AddressInfo } from 'node:net';
import { createNodeTransport, IamraError } from '@iamra/core';
import { makeCertificate } from '../../../../test/support/pki.js';
import { bypassesProxy, proxyFor } from '../../src/client/proxy.js';

async function listen(server: http.Server | net.Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

const request = (url: string, timeoutMs = 2000) => ({
  method: 'POST',
  url,
  headers: { 'Content-Type': 'application/json' },
  body: '{}',
  timeoutMs,
});

describe('node transport', function () {
  this.timeout(30_000);
  const servers: (http.Server | net.Server)[] = [];
  after(() => {
    for (const server of servers) server.close();
  });

  async function httpServer(handler: http.RequestListener): Promise<number> {
    const server = http.createServer(handler);
    servers.push(server);
    return listen(server);
  }

  it('returns status, lower-cased headers and body', async () => {
    const port = await httpServer((_q, s) => s.writeHead(201, { 'X-Amzn-RequestId': 'abc' }).end('{"ok":true}'));
    const response = await createNodeTransport({ proxy: 'none' })(request(`http://127.0.0.1:${port}/sessions`));
    assert.equal(response.status, 201);
    assert.equal(response.headers['x-amzn-requestid'], 'abc');
    assert.equal(response.body, '{"ok":true}');
  });

  it('times out with TIMEOUT', async () => {
    const port = await httpServer(() => {});
    await assert.rejects(
      createNodeTransport({ proxy: 'none' })(request(`http://127.0.0.1:${port}/`, 200)),
      (e: unknown) => e instanceof IamraError && e.code === 'TIMEOUT',
    );
  });

  it('a reset connection is NETWORK_ERROR', async () => {
    const port = await httpServer((q) => q.socket.destroy());
    await assert.rejects(
      createNodeTransport({ proxy: 'none' })(request(`http://127.0.0.1:${port}/`)),
      /NETWORK_ERROR|could not reach/,
    );
  });

  it('refuses a response over 1 MiB', async () => {
    const port = await httpServer((_q, s) => s.end(Buffer.alloc(2 * 1024 * 1024, 0x61)));
    await assert.rejects(
      createNodeTransport({ proxy: 'none' })(request(`http://127.0.0.1:${port}/`)),
      (e: unknown) => e instanceof IamraError && e.code === 'RESPONSE_INVALID',
    );
  });

  it('goes through an HTTP proxy for http targets (absolute form, with credentials)', async () => {
    const seen: string[] = [];
    const proxyPort = await httpServer((q, s) => {
      seen.push(`${q.url} ${q.headers['proxy-authorization'] ?? ''}`);
      s.writeHead(201).end('via proxy');
    });
    const transport = createNodeTransport({ env: { HTTP_PROXY: `http://user:p%40ss@127.0.0.1:${proxyPort}` } });
    const response = await transport(request('http://10.255.255.1:8080/sessions'));
    assert.equal(response.body, 'via proxy');
    assert.equal(seen[0], `http://10.255.255.1:8080/sessions Basic ${Buffer.from('user:p@ss').toString('base64')}`);
  });

  it('tunnels https through a CONNECT proxy, honours NO_PROXY, and rejects an unknown CA unless told', async () => {
    const ca = makeCertificate({ key: 'p256', ca: true, subject: '/CN=transport test ca' });
    const leaf = makeCertificate({
      key: 'p256',
      issuer: ca,
      subject: '/CN=localhost',
      extraExtensions: ['subjectAltName = DNS:localhost,IP:127.0.0.1'],
    });
    const target = https.createServer({ cert: leaf.certPem, key: leaf.keyPem }, (_q, s) =>
      s.writeHead(201).end('tls ok'),
    );
    servers.push(target);
    const targetPort = await listen(target);
    const connects: string[] = [];
    const proxy = http.createServer();
    proxy.on('connect', (q: http.IncomingMessage, socket: net.Socket) => {
      connects.push(q.url ?? '');
      const upstream = net.connect(targetPort, '127.0.0.1', () => {
        socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.pipe(socket);
        socket.pipe(upstream);
      });
    });
    servers.push(proxy);
    const proxyPort = await listen(proxy);
    const env = { HTTPS_PROXY: `127.0.0.1:${proxyPort}` };
    const url = `https://localhost:${targetPort}/sessions`;
    await assert.rejects(
      createNodeTransport({ env })(request(url)),
      (e: unknown) => e instanceof IamraError && e.code === 'TLS_UNTRUSTED',
    );
    const insecure = await createNodeTransport({ env, rejectUnauthorized: false })(request(url));
    assert.equal(insecure.body, 'tls ok');
    assert.deepEqual(connects, [`localhost:${targetPort}`, `localhost:${targetPort}`]);
    const direct = await createNodeTransport({ env: { ...env, NO_PROXY: 'localhost' }, rejectUnauthorized: false })(
      request(url),
    );
    assert.equal(direct.body, 'tls ok');
    assert.equal(connects.length, 2, 'NO_PROXY bypassed the proxy');
  });

  it('a proxy that refuses CONNECT is a clear NETWORK_ERROR', async () => {
    const proxy = http.createServer();
    proxy.on('connect', (_q: http.IncomingMessage, socket: net.Socket) =>
      socket.end('HTTP/1.1 407 Proxy Authentication Required\r\n\r\n'),
    );
    servers.push(proxy);
    const port = await listen(proxy);
    await assert.rejects(
      createNodeTransport({ proxy: `http://127.0.0.1:${port}` })(request('https://example.invalid/sessions')),
      /the proxy 127\.0\.0\.1:\d+ refused to connect to example\.invalid \(HTTP 407\)/,
    );
  });

  it('NO_PROXY and proxy selection rules', () => {
    const url = new URL('https://rolesanywhere.us-east-1.amazonaws.com/sessions');
    assert.equal(bypassesProxy(url, '*'), true);
    assert.equal(bypassesProxy(url, '.amazonaws.com'), true);
    assert.equal(bypassesProxy(url, 'amazonaws.com:443'), true);
    assert.equal(bypassesProxy(url, 'amazonaws.com:8443'), false);
    assert.equal(bypassesProxy(url, 'example.com, other.org'), false);
    assert.equal(proxyFor(url, 'none', { HTTPS_PROXY: 'http://p:1' }), undefined);
    assert.equal(proxyFor(url, 'env', { https_proxy: 'http://p:1' })?.host, 'p:1');
    assert.equal(proxyFor(url, 'env', { HTTP_PROXY: 'http://q:2' })?.host, 'q:2');
    assert.equal(proxyFor(new URL('http://x/'), 'env', { HTTPS_PROXY: 'http://p:1' }), undefined);
    assert.equal(proxyFor(url, 'http://explicit:3', { NO_PROXY: 'example.com' })?.host, 'explicit:3');
    // A given list (the Action's no-proxy, the CLI's --no-proxy-hosts) takes NO_PROXY's place.
    const env = { HTTPS_PROXY: 'http://p:1', NO_PROXY: 'amazonaws.com' };
    assert.equal(proxyFor(url, 'env', env), undefined);
    assert.equal(proxyFor(url, 'env', env, 'example.com')?.host, 'p:1');
    assert.equal(proxyFor(url, 'env', { HTTPS_PROXY: 'http://p:1' }, '.amazonaws.com'), undefined);
    assert.equal(proxyFor(url, 'http://explicit:3', {}, '.amazonaws.com'), undefined);
  });
});
