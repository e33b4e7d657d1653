/** A private CA and a 127.0.0.1 server certificate from it: an emulator on TLS that only that CA trusts. */
import { type IssuedCert, makeCertificate } from './pki.js';

export function makeTlsServerPki(name: string): { serverCa: IssuedCert; serverCert: IssuedCert } {
  const serverCa = makeCertificate({ key: 'p256', ca: true, subject: `/CN=${name} tls ca` });
  const serverCert = makeCertificate({
    key: 'p256',
    issuer: serverCa,
    subject: '/CN=127.0.0.1',
    keyUsage: 'critical,digitalSignature',
    extraExtensions: ['subjectAltName = IP:127.0.0.1', 'extendedKeyUsage = serverAuth'],
  });
  return { serverCa, serverCert };
}
