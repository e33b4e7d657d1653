/**
 * Shared material for the material tests: one PKI per process (keys are reused because
 * RSA-4096 generation is slow) and every key encoding openssl can produce.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  convertKey,
  type IssuedCert,
  type KeySpec,
  makeCertificate,
  makeKey,
  makePki,
  type TestKey,
  type TestPki,
  testDir,
} from '../../../../test/support/pki.js';

export const PASSPHRASE = 'correct horse battery staple';
export const NOW = new Date();

// makeKey caches the first key of a spec as the shared one, fresh or not: claim the shared
// EC keys before any fresh CA key is made, so no leaf ends up sharing a key with a CA.
for (const spec of ['p256', 'p384', 'p521'] as const) makeKey(spec);

let pki: TestPki | undefined;
export function sharedPki(): TestPki {
  pki ??= makePki({ subjectPrefix: 'material' });
  return pki;
}

const leaves = new Map<KeySpec, IssuedCert>();
/** A leaf with this key type, issued by the shared intermediate. */
export function leafFor(spec: KeySpec): IssuedCert {
  let leaf = leaves.get(spec);
  if (!leaf) {
    leaf = makeCertificate({ key: spec, subject: `/CN=${spec} leaf/O=iamra`, issuer: sharedPki().intermediate });
    leaves.set(spec, leaf);
  }
  return leaf;
}

export function openssl(args: string[], input?: string): Buffer {
  return execFileSync('openssl', args, {
    input,
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, OPENSSL_CONF: '/dev/null' },
  });
}

const CURVE_NAMES: Partial<Record<KeySpec, string>> = { p256: 'prime256v1', p384: 'secp384r1', p521: 'secp521r1' };

export type KeyFormat =
  | 'pkcs8-pem'
  | 'traditional-pem'
  | 'sec1-with-parameters'
  | 'pkcs8-der'
  | 'traditional-der'
  | 'pkcs8-base64'
  | 'encrypted-pkcs8-pem'
  | 'encrypted-pkcs8-der'
  | 'legacy-encrypted-pem';

/** The key in one encoding, and whether it needs PASSPHRASE. */
export function encodeKey(key: TestKey, format: KeyFormat): { source: string | Buffer; encrypted: boolean } {
  switch (format) {
    case 'pkcs8-pem':
      return { source: key.pem, encrypted: false };
    case 'traditional-pem':
      return { source: convertKey(key, ['-traditional']).toString('utf8'), encrypted: false };
    case 'sec1-with-parameters': {
      const curve = CURVE_NAMES[key.spec];
      if (!curve) throw new Error(`${key.spec} is not an EC key`);
      const parameters = openssl(['ecparam', '-name', curve]).toString('utf8');
      return { source: parameters + convertKey(key, ['-traditional']).toString('utf8'), encrypted: false };
    }
    case 'pkcs8-der':
      return { source: convertKey(key, ['-outform', 'DER']), encrypted: false };
    case 'traditional-der':
      return { source: convertKey(key, ['-traditional', '-outform', 'DER']), encrypted: false };
    case 'pkcs8-base64':
      return { source: convertKey(key, ['-outform', 'DER']).toString('base64'), encrypted: false };
    case 'encrypted-pkcs8-pem':
      return { source: convertKey(key, ['-aes-256-cbc'], PASSPHRASE).toString('utf8'), encrypted: true };
    case 'encrypted-pkcs8-der': {
      // openssl writes encrypted keys as PEM only; the DER is the PEM body.
      const pem = convertKey(key, ['-aes-256-cbc'], PASSPHRASE).toString('utf8');
      const body = pem.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '');
      return { source: Buffer.from(body, 'base64'), encrypted: true };
    }
    case 'legacy-encrypted-pem':
      return {
        source: convertKey(key, ['-traditional', '-aes-256-cbc'], PASSPHRASE).toString('utf8'),
        encrypted: true,
      };
  }
}

/** A PKCS#12 file made with openssl's -legacy provider-free options (RC2-40 needs -legacy). */
export function makeRc2Pkcs12(leaf: IssuedCert, password: string): Buffer | undefined {
  const dir = testDir();
  const out = join(dir, 'rc2.p12');
  try {
    openssl(
      ['pkcs12', '-export', '-legacy', '-in', leaf.certPath, '-inkey', leaf.keyPath, '-out', out, '-passout', 'stdin'],
      `${password}\n`,
    );
    return readFileSync(out);
  } catch {
    return undefined; // this openssl has no legacy provider
  }
}

export function writeTemp(name: string, data: string | Buffer): string {
  const path = join(testDir(), name);
  writeFileSync(path, data);
  return path;
}

export { makeCertificate, makeKey };
