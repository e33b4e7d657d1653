/** One test per bad input: each asserts the stable code and the one-line message. */
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { type IssuedCert, makeCertificate, makeKey } from '../../../../test/support/pki.js';
import { IamraError } from '../../src/errors.js';
import {
  loadSigningMaterial,
  type MaterialInput,
  parseCertificates,
  parsePrivateKey,
} from '../../src/material/index.js';
import { encodeKey, leafFor, PASSPHRASE, sharedPki } from './fixtures.js';

const DAY = 86_400_000;
const NOW = new Date();
const MIB = 1024 * 1024;
const GARBAGE = Buffer.from('89504e470d0a1a0a0000000d49484452deadbeef00ff00ff', 'hex');

async function failsWith(fn: () => unknown, code: string, message: RegExp): Promise<IamraError> {
  let caught: unknown;
  try {
    await fn();
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof IamraError, `expected an IamraError ${code}, got ${String(caught)}`);
  assert.equal(caught.code, code, caught.message);
  assert.match(caught.message, message);
  assert.doesNotMatch(caught.message, /\n| {4}at /, 'one line, no stack');
  assert.doesNotMatch(caught.message, /-----BEGIN|MII[A-Za-z0-9+/]{20}/, 'no key material');
  return caught;
}

function load(input: MaterialInput, now = NOW) {
  return loadSigningMaterial(input, { now });
}

function pair(cert: IssuedCert): MaterialInput {
  return { certificate: cert.certPem, privateKey: cert.keyPem };
}

let cached: Map<string, IssuedCert> | undefined;
/** Certificates that are wrong in one way each, made once. */
function bad(
  name: 'expired' | 'future' | 'ca' | 'noDigitalSignature' | 'md5' | 'sha1' | 'sha1Intermediate',
): IssuedCert {
  cached ??= new Map();
  let cert = cached.get(name);
  if (cert) return cert;
  const { intermediate, root } = sharedPki();
  const key = makeKey('p256');
  switch (name) {
    case 'expired':
      cert = makeCertificate({
        key,
        subject: '/CN=expired',
        issuer: intermediate,
        notBefore: new Date(NOW.getTime() - 30 * DAY),
        notAfter: new Date(NOW.getTime() - DAY),
      });
      break;
    case 'future':
      cert = makeCertificate({
        key,
        subject: '/CN=future',
        issuer: intermediate,
        notBefore: new Date(NOW.getTime() + DAY),
        notAfter: new Date(NOW.getTime() + 30 * DAY),
      });
      break;
    case 'ca':
      cert = makeCertificate({ key, subject: '/CN=a ca', issuer: intermediate, ca: true });
      break;
    case 'noDigitalSignature':
      cert = makeCertificate({
        key,
        subject: '/CN=encipher only',
        issuer: intermediate,
        keyUsage: 'critical,keyAgreement',
      });
      break;
    case 'md5':
      cert = makeCertificate({ key: 'rsa2048', subject: '/CN=md5 signed', digest: 'md5' });
      break;
    case 'sha1':
      cert = makeCertificate({ key: 'rsa2048', subject: '/CN=sha1 signed', digest: 'sha1' });
      break;
    case 'sha1Intermediate':
      cert = makeCertificate({
        key: makeKey('p256', true),
        subject: '/CN=sha1 intermediate',
        issuer: root,
        ca: true,
        digest: 'sha1',
      });
      break;
  }
  cached.set(name, cert);
  return cert;
}

describe('material: bad inputs', () => {
  describe('key and certificate do not belong together', () => {
    it('KEY_CERT_MISMATCH: the RSA key of another certificate', async () => {
      const leaf = leafFor('rsa2048');
      const other = makeKey('rsa2048', true);
      await failsWith(
        () => load({ certificate: leaf.certPem, privateKey: other.pem }),
        'KEY_CERT_MISMATCH',
        new RegExp(
          `^the private key does not match certificate "CN=rsa2048 leaf,O=iamra" \\(serial ${leaf.serialHex}\\); give the key that was used to request this certificate$`,
        ),
      );
    });

    it('KEY_CERT_MISMATCH: an EC key for an RSA certificate bundle names the leaf, not the CA', async () => {
      const leaf = leafFor('rsa2048');
      await failsWith(
        () =>
          load({ certificate: sharedPki().intermediate.certPem + leaf.certPem, privateKey: leafFor('p256').keyPem }),
        'KEY_CERT_MISMATCH',
        /^the private key does not match certificate "CN=rsa2048 leaf,O=iamra"/,
      );
    });
  });

  describe('pre-flight checks on the certificate', () => {
    it('CERT_EXPIRED: with both dates', async () => {
      const cert = bad('expired');
      const notAfter = parseCertificates(cert.certPem)[0]?.notAfter.toISOString() ?? '';
      await failsWith(
        () => load(pair(cert)),
        'CERT_EXPIRED',
        new RegExp(
          `^certificate "CN=expired" expired on ${notAfter} \\(now ${NOW.toISOString()}\\); issue a new certificate from the trust anchor's CA$`,
        ),
      );
    });

    it('CERT_NOT_YET_VALID: with both dates', async () => {
      const cert = bad('future');
      const notBefore = parseCertificates(cert.certPem)[0]?.notBefore.toISOString() ?? '';
      await failsWith(
        () => load(pair(cert)),
        'CERT_NOT_YET_VALID',
        new RegExp(
          `^certificate "CN=future" is not valid before ${notBefore} \\(now ${NOW.toISOString()}\\); check the agent's clock or wait until then$`,
        ),
      );
    });

    it('CERT_IS_CA: a CA certificate as the leaf', async () => {
      await failsWith(
        () => load(pair(bad('ca'))),
        'CERT_IS_CA',
        /^certificate "CN=a ca" is a CA certificate \(basicConstraints CA:TRUE\); use an end-entity certificate issued by that CA$/,
      );
    });

    it('CERT_KEY_USAGE: key usage without digitalSignature', async () => {
      await failsWith(
        () => load(pair(bad('noDigitalSignature'))),
        'CERT_KEY_USAGE',
        /^certificate "CN=encipher only" has a key usage without digitalSignature; reissue it with keyUsage = critical, digitalSignature$/,
      );
    });

    it('CERT_WEAK_SIGNATURE: a leaf signed with MD5', async () => {
      await failsWith(
        () => load(pair(bad('md5'))),
        'CERT_WEAK_SIGNATURE',
        /^the certificate "CN=md5 signed" is signed with MD5 \(md5WithRSAEncryption\), which IAM Roles Anywhere rejects; reissue it signed with SHA-256 or stronger$/,
      );
    });

    it('CERT_WEAK_SIGNATURE: a leaf signed with SHA-1', async () => {
      await failsWith(
        () => load(pair(bad('sha1'))),
        'CERT_WEAK_SIGNATURE',
        /^the certificate "CN=sha1 signed" is signed with SHA-1 \(sha1WithRSAEncryption\), which IAM Roles Anywhere rejects; reissue it signed with SHA-256 or stronger$/,
      );
    });

    it('CERT_WEAK_SIGNATURE: an intermediate signed with SHA-1', async () => {
      const intermediate = bad('sha1Intermediate');
      const leaf = makeCertificate({ key: 'p256', subject: '/CN=under sha1', issuer: intermediate });
      await failsWith(
        () => load({ ...pair(leaf), intermediates: [intermediate.certPem] }),
        'CERT_WEAK_SIGNATURE',
        /^the intermediate certificate "CN=sha1 intermediate" is signed with SHA-1 \(ecdsa-with-SHA1\)/,
      );
    });
  });

  describe('unsupported keys', () => {
    const leaf = () => leafFor('p256');
    const unsupported =
      /is not supported by IAM Roles Anywhere; use an RSA \(2048–4096\) or EC P-256\/P-384\/P-521 key$/;

    it('KEY_UNSUPPORTED: Ed25519', async () => {
      const cert = makeCertificate({ key: 'ed25519', subject: '/CN=ed25519' });
      const error = await failsWith(() => load(pair(cert)), 'KEY_UNSUPPORTED', unsupported);
      assert.match(error.message, /^the key type Ed25519 /);
    });

    it('KEY_UNSUPPORTED: DSA', async () => {
      const cert = makeCertificate({ key: 'dsa', subject: '/CN=dsa' });
      const error = await failsWith(() => load(pair(cert)), 'KEY_UNSUPPORTED', unsupported);
      assert.match(error.message, /^the key type DSA /);
    });

    for (const type of ['ed448', 'x25519'] as const) {
      it(`KEY_UNSUPPORTED: ${type}`, async () => {
        const { privateKey } = generateKeyPairSync(type as 'ed448');
        const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
        const error = await failsWith(
          () => load({ certificate: leaf().certPem, privateKey: pem }),
          'KEY_UNSUPPORTED',
          unsupported,
        );
        assert.match(error.message, type === 'ed448' ? /^the key type Ed448 / : /^the key type X25519 /);
      });
    }

    it('KEY_UNSUPPORTED: an EC key on secp256k1', async () => {
      const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'secp256k1' });
      const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
      await failsWith(
        () => load({ certificate: leaf().certPem, privateKey: pem }),
        'KEY_UNSUPPORTED',
        /^an EC key on curve secp256k1 is not supported by IAM Roles Anywhere; use an RSA/,
      );
    });

    it('KEY_UNSUPPORTED: an RSA key under 1024 bits', async () => {
      const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 768 });
      const pem = privateKey.export({ format: 'pem', type: 'pkcs1' }).toString();
      await failsWith(
        () => load({ certificate: leaf().certPem, privateKey: pem }),
        'KEY_UNSUPPORTED',
        /^an RSA key of 768 bits is not supported by IAM Roles Anywhere \(too small\); use an RSA/,
      );
    });
  });

  describe('encrypted keys', () => {
    const required =
      /^the private key is encrypted and no passphrase was given; set the private key passphrase input \(IAMRA_PRIVATE_KEY_PASSPHRASE for the CLI\)$/;
    const wrong =
      /^the private key passphrase is wrong \(the key could not be decrypted\); check the passphrase secret for stray spaces or newlines$/;
    for (const format of ['encrypted-pkcs8-pem', 'encrypted-pkcs8-der', 'legacy-encrypted-pem'] as const) {
      it(`PASSPHRASE_REQUIRED: ${format} without a passphrase`, async () => {
        const { source } = encodeKey(leafFor('rsa2048').key, format);
        await failsWith(() => parsePrivateKey(source), 'PASSPHRASE_REQUIRED', required);
      });
      it(`PASSPHRASE_WRONG: ${format} with a wrong passphrase`, async () => {
        const { source } = encodeKey(leafFor('p256').key, format);
        await failsWith(() => parsePrivateKey(source, `${PASSPHRASE}\n`), 'PASSPHRASE_WRONG', wrong);
      });
    }
  });

  describe('malformed input', () => {
    const certPem = () => leafFor('p256').certPem;
    const keyPem = () => leafFor('p256').keyPem;
    function corruptBody(pem: string): string {
      // Flip characters in the middle of the base64 body (stays valid base64).
      const middle = Math.floor(pem.length / 2);
      const swapped = pem.slice(middle, middle + 40).replace(/[A-Za-z]/g, (c) => (c === 'A' ? 'B' : 'A'));
      return pem.slice(0, middle) + swapped + pem.slice(middle + 40);
    }
    const certInvalid =
      /^certificate is not a valid X\.509 certificate \(truncated or corrupted\); export it again as PEM or DER$/;
    const keyHint = /; give a PEM \(PKCS#8, PKCS#1 or SEC1\) or DER private key$/;

    it('CERT_MALFORMED: a PEM certificate with a corrupted body', async () => {
      assert.throws(
        () => parseCertificates(corruptBody(certPem())),
        (error: unknown) => {
          assert.ok(error instanceof IamraError && error.code === 'CERT_MALFORMED');
          assert.match(error.message, /^certificate is not (a valid X\.509 certificate|valid DER)/);
          return true;
        },
      );
    });

    it('CERT_MALFORMED: a PEM certificate with characters that are not base64', async () => {
      await failsWith(
        () => parseCertificates(certPem().replace(/\n([A-Za-z])/, '\n!$1')),
        'CERT_MALFORMED',
        certInvalid,
      );
    });

    it('CERT_MALFORMED: a PEM certificate truncated halfway (no END line)', async () => {
      await failsWith(
        () => parseCertificates(certPem().slice(0, 300)),
        'CERT_MALFORMED',
        /^certificate holds no complete "BEGIN CERTIFICATE" PEM block; check that the file was not truncated$/,
      );
    });

    it('CERT_MALFORMED: a DER certificate truncated to 100 bytes', async () => {
      await failsWith(() => parseCertificates(leafFor('p256').certDer.subarray(0, 100)), 'CERT_MALFORMED', certInvalid);
    });

    it('CERT_MALFORMED: binary garbage', async () => {
      await failsWith(
        () => parseCertificates(GARBAGE),
        'CERT_MALFORMED',
        /^certificate is neither PEM nor DER; give a PEM or DER certificate$/,
      );
    });

    it('CERT_MALFORMED: garbage that starts like DER', async () => {
      await failsWith(
        () => parseCertificates(Buffer.from([0x30, 0x03, 0x02, 0x01, 0x01])),
        'CERT_MALFORMED',
        /^certificate is not/,
      );
    });

    it('CERT_MALFORMED: an empty certificate', async () => {
      await failsWith(
        () => load({ certificate: '', privateKey: keyPem() }),
        'CERT_MALFORMED',
        /^certificate is empty; give a PEM or DER certificate$/,
      );
    });

    it('CERT_MALFORMED: an intermediates file of garbage', async () => {
      await failsWith(
        () => load({ ...pair(leafFor('p256')), intermediates: [GARBAGE] }),
        'CERT_MALFORMED',
        /^intermediate certificate is neither PEM nor DER/,
      );
    });

    it('KEY_MALFORMED: a PEM key with a corrupted body', async () => {
      await failsWith(
        () => parsePrivateKey(corruptBody(keyPem())),
        'KEY_MALFORMED',
        new RegExp(`^private key is truncated or corrupted${keyHint.source}`),
      );
    });

    it('KEY_MALFORMED: a PEM key with characters that are not base64', async () => {
      await failsWith(
        () => parsePrivateKey(keyPem().replace(/\n([A-Za-z])/, '\n*$1')),
        'KEY_MALFORMED',
        new RegExp(`^private key has a corrupted PEM body${keyHint.source}`),
      );
    });

    it('KEY_MALFORMED: a PEM key truncated halfway', async () => {
      await failsWith(
        () => parsePrivateKey(keyPem().slice(0, 100)),
        'KEY_MALFORMED',
        /^private key holds no complete "BEGIN \.\.\. PRIVATE KEY" PEM block; give a PEM/,
      );
    });

    it('KEY_MALFORMED: a DER key truncated', async () => {
      const der = encodeKey(leafFor('p256').key, 'pkcs8-der').source as Buffer;
      await failsWith(
        () => parsePrivateKey(der.subarray(0, 40)),
        'KEY_MALFORMED',
        new RegExp(`^private key is truncated or corrupted${keyHint.source}`),
      );
    });

    it('KEY_MALFORMED: binary garbage', async () => {
      await failsWith(
        () => parsePrivateKey(GARBAGE),
        'KEY_MALFORMED',
        /^private key is neither PEM nor DER; give a PEM/,
      );
    });

    it('KEY_MALFORMED: an empty key', async () => {
      await failsWith(
        () => load({ certificate: certPem(), privateKey: '  \n' }),
        'KEY_MALFORMED',
        /^private key is empty; give a PEM/,
      );
    });

    it('KEY_MALFORMED: a certificate given as the private key', async () => {
      await failsWith(
        () => load({ certificate: certPem(), privateKey: certPem() }),
        'KEY_MALFORMED',
        /^private key holds no complete "BEGIN \.\.\. PRIVATE KEY" PEM block/,
      );
    });

    it('KEY_MALFORMED: an OpenSSH private key says how to convert it', async () => {
      const openssh =
        '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmU=\n-----END OPENSSH PRIVATE KEY-----\n';
      await failsWith(
        () => parsePrivateKey(openssh),
        'KEY_MALFORMED',
        /^private key is in OpenSSH format; convert it with `ssh-keygen -p -m PKCS8 -f FILE`; give a PEM/,
      );
    });
  });

  describe('missing and oversized input', () => {
    it('CERT_MISSING: no certificate', async () => {
      await failsWith(
        () => load({ privateKey: leafFor('p256').keyPem }),
        'CERT_MISSING',
        /^no certificate was given; set the certificate input \(or a PKCS#12 file\)$/,
      );
    });

    it('KEY_MISSING: no private key', async () => {
      await failsWith(
        () => load({ certificate: leafFor('p256').certPem }),
        'KEY_MISSING',
        /^no private key was given; set the private key input \(or a PKCS#12 file\)$/,
      );
    });

    for (const field of ['certificate', 'privateKey', 'pkcs12', 'intermediates'] as const) {
      it(`INPUT_TOO_LARGE: a 10 MiB ${field}, rejected before parsing`, async () => {
        const huge = Buffer.alloc(10 * MIB, 0x30);
        const input: MaterialInput = { ...pair(leafFor('p256')), pkcs12Password: 'x' };
        if (field === 'intermediates') input.intermediates = [huge];
        else input[field] = huge;
        await failsWith(
          () => load(input),
          'INPUT_TOO_LARGE',
          /^(certificate|private key|PKCS#12 file|intermediate certificate) is 10\.0 MiB, over the 1 MiB limit; pass the PEM or DER file itself, not an archive or a log$/,
        );
      });
    }

    it('INPUT_TOO_LARGE: just over 1 MiB of PEM text', async () => {
      const text = `${leafFor('p256').certPem}${'#'.repeat(MIB)}`;
      await failsWith(
        () => parseCertificates(text),
        'INPUT_TOO_LARGE',
        /^certificate is 1\.0 MiB, over the 1 MiB limit/,
      );
    });
  });
});

describe('material: warnings', () => {
  it('CERT_EXPIRES_SOON within the default 30 days, with the date', async () => {
    const cert = makeCertificate({
      key: makeKey('p256'),
      subject: '/CN=soon',
      issuer: sharedPki().intermediate,
      notAfter: new Date(NOW.getTime() + 10 * DAY + 3_600_000),
    });
    const { warnings } = await load(pair(cert));
    assert.equal(warnings.length, 1);
    assert.equal(warnings[0]?.code, 'CERT_EXPIRES_SOON');
    assert.match(
      warnings[0]?.message ?? '',
      /^certificate "CN=soon" expires on \d{4}-\d\d-\d\dT[\d:.]+Z, in 10 days; renew it before then$/,
    );
    const later = await loadSigningMaterial(pair(cert), { now: NOW, expiryWarningDays: 5 });
    assert.deepEqual(later.warnings, []);
  });

  it('CERT_EXPIRES_SOON with a configured window', async () => {
    const { warnings } = await loadSigningMaterial(pair(leafFor('p256')), { now: NOW, expiryWarningDays: 400 });
    assert.deepEqual(
      warnings.map((w) => w.code),
      ['CERT_EXPIRES_SOON'],
    );
  });

  it('RSA_KEY_SMALL: a 1024-bit RSA key loads with a warning', async () => {
    const cert = makeCertificate({ key: 'rsa1024', subject: '/CN=small', issuer: sharedPki().intermediate });
    const { material, warnings } = await load(pair(cert));
    assert.equal(material.keyBits, 1024);
    assert.deepEqual(warnings, [
      { code: 'RSA_KEY_SMALL', message: 'the RSA key has 1024 bits; use 2048 bits or more' },
    ]);
  });
});
