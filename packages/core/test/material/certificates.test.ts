import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeCertificate, testDir } from '../../../../test/support/pki.js';
import { IamraError } from '../../src/errors.js';
import { children, decodeOid, readNode, unsignedDecimal } from '../../src/material/der.js';
import { parseCertificates } from '../../src/material/index.js';
import { readX509Fields } from '../../src/material/x509-fields.js';
import { leafFor, openssl, sharedPki } from './fixtures.js';

describe('material: certificates', () => {
  it('describes a leaf: names, serial, dates, usage, algorithm, fingerprint', () => {
    const leaf = leafFor('rsa2048');
    const [info, ...rest] = parseCertificates(leaf.certPem);
    assert.ok(info);
    assert.equal(rest.length, 0);
    const x509 = new X509Certificate(leaf.certPem);
    assert.equal(info.subject, 'CN=rsa2048 leaf,O=iamra');
    assert.equal(info.issuer, 'CN=material intermediate');
    assert.equal(info.commonName, 'rsa2048 leaf');
    assert.equal(info.serialHex, leaf.serialHex);
    assert.equal(info.serialDecimal, BigInt(`0x${leaf.serialHex}`).toString(10));
    assert.deepEqual(info.notBefore, new Date(x509.validFrom));
    assert.deepEqual(info.notAfter, new Date(x509.validTo));
    assert.equal(info.isCA, false);
    assert.deepEqual(info.keyUsage, { digitalSignature: true, keyCertSign: false, cRLSign: false });
    // The intermediate has a P-256 key, so it signs with ECDSA.
    assert.deepEqual(info.signatureAlgorithm, { oid: '1.2.840.10045.4.3.2', name: 'ecdsa-with-SHA256' });
    assert.equal(info.fingerprintSha256, x509.fingerprint256.replace(/:/g, '').toLowerCase());
    assert.deepEqual(info.der, leaf.certDer);
    assert.equal(info.pem, leaf.certPem);
  });

  it('describes a CA: CA:TRUE with keyCertSign and cRLSign', () => {
    const [info] = parseCertificates(sharedPki().root.certPem);
    assert.equal(info?.isCA, true);
    assert.deepEqual(info?.keyUsage, { digitalSignature: true, keyCertSign: true, cRLSign: true });
    assert.equal(info?.subject, info?.issuer);
  });

  it('names RSA-signed certificates by their signature algorithm', () => {
    const root = makeCertificate({ key: 'rsa2048', ca: true, subject: '/CN=rsa root', digest: 'sha384' });
    const [info] = parseCertificates(root.certDer);
    assert.deepEqual(info?.signatureAlgorithm, { oid: '1.2.840.113549.1.1.12', name: 'sha384WithRSAEncryption' });
  });

  it('reads a serial whose first byte has the high bit set (DER adds a leading 00)', () => {
    const cert = makeCertificate({ serial: '80a1b2c3d4e5f60718293a4b5c6d7e8f' });
    const [info] = parseCertificates(cert.certPem);
    assert.equal(info?.serialDecimal, BigInt('0x80a1b2c3d4e5f60718293a4b5c6d7e8f').toString(10));
    assert.equal(info?.serialHex, '80a1b2c3d4e5f60718293a4b5c6d7e8f');
    assert.equal(info?.serialHex, cert.serialHex);
  });

  it('reads a one-byte serial', () => {
    const cert = makeCertificate({ serial: '05' });
    const [info] = parseCertificates(cert.certPem);
    assert.equal(info?.serialDecimal, '5');
    assert.equal(info?.serialHex, '05');
  });

  it('has no key usage when the extension is absent, and escapes commas in names', () => {
    const cert = makeCertificate({ keyUsage: '', subject: '/CN=Doe\\, Jane/O=Example' });
    const [info] = parseCertificates(cert.certPem);
    assert.equal(info?.keyUsage, undefined);
    assert.equal(info?.subject, 'CN=Doe\\, Jane,O=Example');
    assert.equal(info?.commonName, 'Doe, Jane');
  });

  it('reads a version 1 certificate without extensions', () => {
    const dir = testDir();
    const key = leafFor('p256').keyPath;
    const out = join(dir, 'v1.pem');
    openssl([
      'req',
      '-new',
      '-x509',
      '-key',
      key,
      '-subj',
      '/O=no common name',
      '-days',
      '2',
      '-out',
      out,
      '-sha256',
      '-config',
      '/dev/null',
    ]);
    // openssl req -x509 writes v3; re-sign without extensions to get v1.
    const csr = join(dir, 'v1.csr');
    openssl(['req', '-new', '-key', key, '-subj', '/O=no common name', '-out', csr, '-config', '/dev/null']);
    openssl(['x509', '-req', '-in', csr, '-key', key, '-days', '2', '-out', out, '-sha256']);
    const der = new X509Certificate(readFileSync(out)).raw;
    assert.equal(readX509Fields(Buffer.from(der)).version, 1);
    const [info] = parseCertificates(readFileSync(out));
    assert.equal(info?.isCA, false);
    assert.equal(info?.keyUsage, undefined);
    assert.equal(info?.commonName, undefined);
    assert.equal(info?.subject, 'O=no common name');
  });

  it('reads PEM, DER, base64 of DER and PEM bytes alike', () => {
    const leaf = leafFor('p384');
    const forms = [leaf.certPem, leaf.certDer, leaf.certDer.toString('base64'), new TextEncoder().encode(leaf.certPem)];
    for (const form of forms) {
      assert.equal(
        parseCertificates(form)[0]?.fingerprintSha256,
        parseCertificates(leaf.certPem)[0]?.fingerprintSha256,
      );
    }
  });

  it('reads every certificate of a bundle, skipping keys and other blocks', () => {
    const { root, intermediate } = sharedPki();
    const leaf = leafFor('p256');
    const bundle = `subject=junk\n${leaf.keyPem}${leaf.certPem}\n${intermediate.certPem}\r\n${root.certPem.replace(/\n/g, '\r\n')}`;
    const infos = parseCertificates(bundle);
    assert.deepEqual(
      infos.map((i) => i.commonName),
      ['p256 leaf', 'material intermediate', 'material root'],
    );
  });
});

describe('material: DER reader', () => {
  function malformed(fn: () => unknown): void {
    assert.throws(fn, (error: unknown) => error instanceof IamraError && error.code === 'CERT_MALFORMED');
  }

  it('reads long-form lengths', () => {
    const node = readNode(Buffer.concat([Buffer.from([0x04, 0x82, 0x01, 0x00]), Buffer.alloc(256, 7)]));
    assert.equal(node.value.length, 256);
    assert.equal(node.end, 260);
  });

  it('rejects truncated nodes, lengths and contents', () => {
    malformed(() => readNode(Buffer.alloc(0)));
    malformed(() => readNode(Buffer.from([0x30])));
    malformed(() => readNode(Buffer.from([0x30, 0x82, 0x01])));
    malformed(() => readNode(Buffer.from([0x30, 0x05, 0x01])));
  });

  it('rejects indefinite and over-long lengths', () => {
    malformed(() => readNode(Buffer.from([0x30, 0x80, 0x00, 0x00])));
    malformed(() => readNode(Buffer.from([0x30, 0x85, 1, 1, 1, 1, 1])));
  });

  it('rejects a child running past its parent', () => {
    malformed(() => children(readNode(Buffer.from([0x30, 0x03, 0x04, 0x05, 0x00]))));
  });

  it('decodes OIDs with multi-byte arcs', () => {
    assert.equal(decodeOid(Buffer.from('2a864886f70d01010b', 'hex')), '1.2.840.113549.1.1.11');
    assert.equal(decodeOid(Buffer.from('550e', 'hex')), '2.5.14');
  });

  it('converts unsigned serial bytes to decimal, ignoring leading zero bytes', () => {
    assert.equal(unsignedDecimal(Buffer.from('0080', 'hex')), '128');
    assert.equal(unsignedDecimal(Buffer.from('000001', 'hex')), '1');
    assert.equal(unsignedDecimal(Buffer.from('ffffffffffffffffffff', 'hex')), '1208925819614629174706175');
    assert.equal(unsignedDecimal(Buffer.alloc(0)), '0');
  });

  it('rejects DER that is not a certificate structure', () => {
    malformed(() => readX509Fields(Buffer.from([0x30, 0x03, 0x02, 0x01, 0x05])));
    malformed(() => readX509Fields(Buffer.from([0x04, 0x00])));
  });
});
