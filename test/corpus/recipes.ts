/**
 * Builds the inputs the bad-input corpus (bad-inputs.yaml) names: files in a temp directory,
 * made from a PKI generated at test time.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { convertKey, type IssuedCert, makeCertificate, makeKey, makePkcs12, makePki, testDir } from '../support/pki.js';

export interface CorpusPki {
  dir: string;
  leaf: IssuedCert;
  intermediate: IssuedCert;
  root: IssuedCert;
  secrets: string[];
}

export const CORPUS_PASSPHRASE = 'corpus-passphrase';
export const CORPUS_PKCS12_PASSWORD = 'corpus-password';

export function corpusPki(): CorpusPki {
  const pki = makePki({ subjectPrefix: 'corpus' });
  return {
    dir: testDir(),
    leaf: pki.rsaLeaf,
    intermediate: pki.intermediate,
    root: pki.root,
    secrets: [
      CORPUS_PASSPHRASE,
      CORPUS_PKCS12_PASSWORD,
      ...pki.rsaLeaf.keyPem.split('\n').filter((l) => l.length > 20),
    ],
  };
}

type Recipe = (pki: CorpusPki) => Buffer | string | { certificate: string; key: string };

const pair = (cert: IssuedCert) => ({ certificate: cert.certPem, key: cert.keyPem });

const RECIPES: Record<string, Recipe> = {
  'pem-corrupt-body': (p) => p.leaf.certPem.replace(/\n[A-Za-z0-9+/]{64}\n/, '\n!!!! corrupted !!!!\n'),
  'pem-truncated': (p) => p.leaf.certPem.slice(0, Math.floor(p.leaf.certPem.length / 2)),
  'der-truncated': (p) => p.leaf.certDer.subarray(0, 100),
  garbage: () => randomBytes(2048).fill(0x13, 0, 1),
  empty: () => Buffer.alloc(0),
  'ten-megabytes': () => Buffer.alloc(10 * 1024 * 1024, 0x41),
  'missing-file': () => Buffer.alloc(0),
  'key-corrupt-body': (p) => p.leaf.keyPem.replace(/\n[A-Za-z0-9+/]{64}\n/, '\n%%%% corrupted %%%%\n'),
  'key-truncated': (p) => `${p.leaf.keyPem.slice(0, 300)}\n-----END PRIVATE KEY-----\n`,
  'leaf-certificate': (p) => p.leaf.certPem,
  'key-encrypted-pkcs8': (p) => convertKey(p.leaf.key, ['-aes256'], CORPUS_PASSPHRASE),
  'key-encrypted-legacy': (p) =>
    execFileSync(
      'openssl',
      ['rsa', '-in', p.leaf.keyPath, '-traditional', '-aes128', '-passout', `pass:${CORPUS_PASSPHRASE}`],
      {
        stdio: ['ignore', 'pipe', 'ignore'],
      },
    ),
  'other-rsa-key': () => makeKey('rsa2048', true).pem,
  'other-ec-key': () => makeKey('p256', true).pem,
  expired: (p) =>
    pair(
      makeCertificate({
        key: 'rsa2048',
        issuer: p.intermediate,
        notBefore: new Date('2020-01-01'),
        notAfter: new Date('2021-01-01'),
        subject: '/CN=expired',
      }),
    ),
  'expired-hostile-cn': (p) =>
    pair(
      makeCertificate({
        key: 'p256',
        issuer: p.intermediate,
        notBefore: new Date('2020-01-01'),
        notAfter: new Date('2021-01-01'),
        subject: '/CN=ci ##vso[task.prependpath]\\/x ##[warning]spoof',
      }),
    ),
  'ca-leaf-hostile-o': (p) =>
    pair(
      makeCertificate({
        key: 'p256',
        ca: true,
        issuer: p.intermediate,
        subject: '/CN=::error::x/O=##vso[task.setvariable variable=AWS_PROFILE]pwned',
      }),
    ),
  'not-yet-valid': (p) =>
    pair(
      makeCertificate({
        key: 'rsa2048',
        issuer: p.intermediate,
        notBefore: new Date('2099-01-01'),
        notAfter: new Date('2100-01-01'),
        subject: '/CN=future',
      }),
    ),
  'ca-as-leaf': (p) => pair(p.intermediate),
  'no-digital-signature': (p) =>
    pair(
      makeCertificate({
        key: 'rsa2048',
        issuer: p.intermediate,
        keyUsage: 'critical,keyEncipherment',
        subject: '/CN=no signing',
      }),
    ),
  'md5-signed': () => pair(makeCertificate({ key: 'rsa2048', digest: 'md5', subject: '/CN=md5' })),
  'sha1-signed': (p) =>
    pair(makeCertificate({ key: 'rsa2048', digest: 'sha1', issuer: p.intermediate, subject: '/CN=sha1' })),
  ed25519: () => pair(makeCertificate({ key: 'ed25519', subject: '/CN=ed25519' })),
  dsa: () =>
    pair(
      makeCertificate({
        key: 'dsa',
        subject: '/CN=dsa',
        issuer: makeCertificate({ key: 'rsa2048', ca: true, subject: '/CN=dsa ca' }),
      }),
    ),
  pkcs12: (p) => makePkcs12(p.leaf, { password: CORPUS_PKCS12_PASSWORD, extraCerts: [p.intermediate] }),
  'pkcs12-no-key': (p) => makePkcs12(p.leaf, { password: CORPUS_PKCS12_PASSWORD, noKey: true }),
};

export function buildRecipe(name: string, pki: CorpusPki): ReturnType<Recipe> {
  const recipe = RECIPES[name];
  if (!recipe) throw new Error(`unknown corpus recipe ${name}`);
  return recipe(pki);
}

export function writeInput(pki: CorpusPki, name: string, content: Buffer | string): string {
  const path = join(pki.dir, `${name}-${randomBytes(4).toString('hex')}`);
  writeFileSync(path, content, { mode: 0o600 });
  return path;
}
