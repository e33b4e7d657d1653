/** Extra CAs, client certificates and https:// proxies in the Node transport, against real local servers. */
import assert from 'node:assert/strict';
import http from 'node:http';
import https from 'node:https';
import net, { type AddressInfo } from 'node:net';
import tls from 'node:tls';
import { createNodeTransport, IamraError, parseTlsFiles, readTlsFiles, secureContextOptions } from '@iamra/core';
import { makeCertificate } from '../../../../test/support/pki.js';

async function listen(server: net.Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

const get = (url: string) => ({ method: 'GET', url, headers: {}, body: '', timeoutMs: 5000 });

describe('transport TLS settings', function () {
  this.timeout(30_000);
  const ca = makeCertificate({ key: 'p256', ca: true, subject: '/CN=tls settings ca' });
  const serverCert = makeCertificate({
    key: 'p256',
    issuer: ca,
    subject: '/CN=localhost',
    extraExtensions: ['subjectAltName = DNS:localhost,IP:127.0.0.1'],
  });
  const clientCert = makeCertificate({ key: 'p256', issuer: ca, subject: '/CN=client' });
  const servers: net.Server[] = [];
  after(() => {
    for (const server of servers) server.close();
  });

  it('adds extra CAs to the default trust store instead of replacing it', () => {
    const options = secureContextOptions({ extraCa: [ca.certPem] }, tls, {});
    const trusted = options.ca as string[];
    assert.ok(trusted.includes(ca.certPem));
    assert.ok(trusted.length > 1, 'the default roots stay trusted (public endpoints keep working)');
  });

  it('trusts a private CA only when given, and presents a client certificate', async () => {
    const server = https.createServer(
      {
        cert: serverCert.certPem,
        key: serverCert.keyPem,
        ca: ca.certPem,
        requestCert: true,
        rejectUnauthorized: false,
      },
      (request, response) => {
        const socket = request.socket as tls.TLSSocket;
        response.end(socket.authorized ? `client ${socket.getPeerCertificate().subject.CN}` : 'anonymous');
      },
    );
    servers.push(server);
    const url = `https://127.0.0.1:${await listen(server)}/`;
    await assert.rejects(
      createNodeTransport({ proxy: 'none', trustHint: 'set Agent.CAInfo' })(get(url)),
      (error: unknown) =>
        error instanceof IamraError && error.code === 'TLS_UNTRUSTED' && /Agent\.CAInfo$/.test(error.message),
    );
    const trusted = createNodeTransport({ proxy: 'none', tls: { extraCa: [ca.certPem] } });
    assert.equal((await trusted(get(url))).body, 'anonymous');
    const files = readTlsFiles(
      parseTlsFiles(
        JSON.stringify({ caFile: ca.certPath, certFile: clientCert.certPath, keyFile: clientCert.keyPath }),
        'test',
      ),
    );
    assert.equal((await createNodeTransport({ proxy: 'none', tls: files })(get(url))).body, 'client client');
  });

  it('reports a server that demands a client certificate it did not get, with the hint given', async () => {
    const server = https.createServer(
      { cert: serverCert.certPem, key: serverCert.keyPem, ca: ca.certPem, requestCert: true, rejectUnauthorized: true },
      (_request, response) => response.end('ok'),
    );
    servers.push(server);
    const url = `https://127.0.0.1:${await listen(server)}/`;
    const transport = createNodeTransport({
      proxy: 'none',
      tls: { extraCa: [ca.certPem] },
      clientCertificateHint: 'set Agent.ClientCert',
    });
    await assert.rejects(
      transport(get(url)),
      (error: unknown) =>
        error instanceof IamraError &&
        error.code === 'TLS_CLIENT_CERT_REFUSED' &&
        error.category === 'denied' &&
        /refused the TLS client certificate \(ERR_SSL_[A-Z0-9_]+\); set Agent\.ClientCert$/.test(error.message),
    );
  });

  it('speaks TLS to an https:// proxy, for http targets and CONNECT tunnels', async () => {
    const target = http.createServer((request, response) => response.end(`target ${request.url}`));
    servers.push(target);
    const targetPort = await listen(target);
    const seen: string[] = [];
    const proxy = https.createServer({ cert: serverCert.certPem, key: serverCert.keyPem }, (request, response) => {
      seen.push(`${request.method} ${request.url}`);
      http.get(request.url ?? '', (answer) => answer.pipe(response));
    });
    proxy.on('connect', (request: http.IncomingMessage, socket: net.Socket) => {
      seen.push(`CONNECT ${request.url}`);
      const upstream = net.connect(Number((request.url ?? '').split(':')[1]), '127.0.0.1', () => {
        socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.pipe(socket);
        socket.pipe(upstream);
      });
    });
    servers.push(proxy);
    const proxyUrl = `https://127.0.0.1:${await listen(proxy)}`;
    const transport = createNodeTransport({ proxy: proxyUrl, tls: { extraCa: [ca.certPem] } });
    assert.equal((await transport(get(`http://127.0.0.1:${targetPort}/plain`))).body, 'target /plain');
    const tlsTarget = https.createServer({ cert: serverCert.certPem, key: serverCert.keyPem }, (_q, s) =>
      s.end('tunnelled'),
    );
    servers.push(tlsTarget);
    const tlsPort = await listen(tlsTarget);
    assert.equal((await transport(get(`https://localhost:${tlsPort}/`))).body, 'tunnelled');
    assert.deepEqual(seen, [`GET http://127.0.0.1:${targetPort}/plain`, `CONNECT localhost:${tlsPort}`]);
    await assert.rejects(
      createNodeTransport({ proxy: proxyUrl })(get(`http://127.0.0.1:${targetPort}/x`)),
      (error: unknown) => error instanceof IamraError && error.code === 'TLS_UNTRUSTED',
      'the proxy is verified too',
    );
  });

  it('parses a TLS settings file strictly, without quoting it', () => {
    assert.deepEqual(parseTlsFiles('{"caFile":"/ca.pem","rejectUnauthorized":false,"extra":1}', 'f'), {
      caFile: '/ca.pem',
      rejectUnauthorized: false,
    });
    assert.throws(
      () => parseTlsFiles('secret-looking text', 'f'),
      (error: unknown) => error instanceof IamraError && !error.message.includes('secret'),
    );
    assert.throws(() => parseTlsFiles('{"passphrase":7}', 'f'), /passphrase must be a string/);
    assert.throws(() => readTlsFiles({ caFile: '/nonexistent/ca.pem' }), /FILE_UNREADABLE|cannot read the CA file/);
  });
});
