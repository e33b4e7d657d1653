/**
 * Real certificates for tests, made by the openssl CLI (it can make everything we must reject:
 * MD5/SHA-1 signatures, DSA and Ed25519 keys, expired and not-yet-valid dates, CA leaves).
 * Every file lives in one temp directory per process, removed at exit.
 */
import { execFileSync } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type KeySpec = 'rsa1024' | 'rsa2048' | 'rsa3072' | 'rsa4096' | 'p256' | 'p384' | 'p521' | 'ed25519' | 'dsa';

export interface TestKey {
  spec: KeySpec;
  /** Unencrypted PKCS#8 PEM. */
  pem: string;
  path: string;
}

export interface IssuedCert {
  key: TestKey;
  certPem: string;
  certDer: Buffer;
  certPath: string;
  keyPath: string;
  keyPem: string;
  /** Lowercase hex, as in the DER (may have a leading 00). */
  serialHex: string;
  subject: string;
  dir: string;
}

/** The CLI flags that name a leaf's certificate and key files, and its intermediate. */
export function leafFlags(leaf: IssuedCert, intermediate: IssuedCert): string[] {
  return ['--certificate', leaf.certPath, '--private-key', leaf.keyPath, '--intermediates', intermediate.certPath];
}

export interface CertOptions {
  key?: KeySpec | TestKey;
  /** openssl -subj syntax, e.g. "/CN=leaf/O=Example". */
  subject?: string;
  /** Issuer; self-signed when absent. */
  issuer?: IssuedCert;
  ca?: boolean;
  /** basicConstraints pathlen of a CA. */
  pathLength?: number;
  /** openssl keyUsage extension value; defaults suit a CA or a leaf. Empty string: none. */
  keyUsage?: string;
  notBefore?: Date;
  notAfter?: Date;
  /** Hex serial without 0x. Random when absent. */
  serial?: string;
  digest?: 'sha256' | 'sha384' | 'sha512' | 'sha1' | 'md5';
  /** Extra openssl extension lines. */
  extraExtensions?: string[];
}

let root: string | undefined;
let counter = 0;

export function testDir(): string {
  if (!root) {
    root = mkdtempSync(join(tmpdir(), 'iamra-pki-'));
    const dir = root;
    process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  }
  counter += 1;
  const dir = join(root, String(counter));
  mkdirSync(dir, { recursive: true });
  return dir;
}

function openssl(args: string[], cwd?: string, input?: string): Buffer {
  return execFileSync('openssl', args, {
    cwd,
    input,
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, OPENSSL_CONF: '/dev/null' },
  });
}

const keyCache = new Map<KeySpec, TestKey[]>();

const GENPKEY_ARGS: Record<KeySpec, string[]> = {
  rsa1024: ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:1024'],
  rsa2048: ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048'],
  rsa3072: ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:3072'],
  rsa4096: ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:4096'],
  p256: ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256'],
  p384: ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-384'],
  p521: ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-521'],
  ed25519: ['-algorithm', 'ED25519'],
  dsa: [],
};

/** A fresh key (fresh: true) or one shared by this process's tests for the same spec. */
export function makeKey(spec: KeySpec, fresh = false): TestKey {
  const cached = keyCache.get(spec);
  if (!fresh && cached?.[0]) return cached[0];
  const dir = testDir();
  const path = join(dir, `${spec}.key.pem`);
  if (spec === 'dsa') {
    openssl(
      ['genpkey', '-genparam', '-algorithm', 'DSA', '-pkeyopt', 'dsa_paramgen_bits:2048', '-out', 'dsa.params'],
      dir,
    );
    openssl(['genpkey', '-paramfile', 'dsa.params', '-out', path], dir);
  } else {
    openssl(['genpkey', ...GENPKEY_ARGS[spec], '-out', path]);
  }
  const key = { spec, pem: readFileSync(path, 'utf8'), path };
  // A fresh key is never shared: it must not become the cached key of its type.
  if (!fresh) keyCache.set(spec, [key]);
  return key;
}

function opensslTime(date: Date): string {
  // GeneralizedTime works for every year in `openssl ca`.
  return `${date.toISOString().replace(/[-:T]/g, '').slice(0, 14)}Z`;
}

function randomSerial(): string {
  // 16 bytes with the top bit clear, as CAs do; never starts with 00.
  const bytes = createHash('sha256').update(`${process.pid}-${Date.now()}-${Math.random()}-${counter}`).digest();
  const first = ((bytes[0] ?? 1) & 0x7f) | 0x10;
  return first.toString(16).padStart(2, '0') + bytes.subarray(1, 16).toString('hex');
}

export function makeCertificate(options: CertOptions = {}): IssuedCert {
  const dir = testDir();
  const key = typeof options.key === 'object' ? options.key : makeKey(options.key ?? 'p256');
  const ca = options.ca ?? false;
  const subject = options.subject ?? (ca ? '/CN=Test CA' : '/CN=test-leaf');
  const keyUsage =
    options.keyUsage ?? (ca ? 'critical,keyCertSign,cRLSign,digitalSignature' : 'critical,digitalSignature');
  const notBefore = options.notBefore ?? new Date(Date.now() - 3600_000);
  const notAfter = options.notAfter ?? new Date(Date.now() + 365 * 86400_000);
  const serial = options.serial ?? randomSerial();
  const extensions = [
    `basicConstraints = critical,CA:${ca ? 'TRUE' : 'FALSE'}${ca && options.pathLength !== undefined ? `,pathlen:${options.pathLength}` : ''}`,
    ...(keyUsage ? [`keyUsage = ${keyUsage}`] : []),
    'subjectKeyIdentifier = hash',
    ...(options.issuer ? ['authorityKeyIdentifier = keyid'] : []),
    ...(options.extraExtensions ?? []),
  ];
  writeFileSync(join(dir, 'ext.cnf'), `[ext]\n${extensions.join('\n')}\n`);
  writeFileSync(join(dir, 'index.txt'), '');
  writeFileSync(join(dir, 'serial'), `${serial}\n`);
  writeFileSync(
    join(dir, 'ca.cnf'),
    [
      '[ca]',
      'default_ca = test',
      '[test]',
      `dir = ${dir}`,
      'database = $dir/index.txt',
      'serial = $dir/serial',
      'new_certs_dir = $dir',
      'policy = anything',
      'unique_subject = no',
      'email_in_dn = no',
      'copy_extensions = none',
      '[anything]',
      'commonName = optional',
      'organizationName = optional',
      'organizationalUnitName = optional',
      'countryName = optional',
      '',
    ].join('\n'),
  );
  const csrPath = join(dir, 'req.csr');
  // Ed25519 and DSA requests need no digest; the others use the requested one.
  const digest = options.digest ?? 'sha256';
  const keyIsPure = key.spec === 'ed25519';
  openssl([
    'req',
    '-new',
    '-key',
    key.path,
    '-subj',
    subject,
    '-out',
    csrPath,
    ...(keyIsPure ? [] : [`-${digest === 'md5' ? 'sha256' : digest}`]),
  ]);
  const certPath = join(dir, 'cert.pem');
  const signer = options.issuer;
  openssl(
    [
      'ca',
      '-batch',
      '-config',
      join(dir, 'ca.cnf'),
      '-in',
      csrPath,
      '-out',
      certPath,
      '-notext',
      '-startdate',
      opensslTime(notBefore),
      '-enddate',
      opensslTime(notAfter),
      '-extfile',
      join(dir, 'ext.cnf'),
      '-extensions',
      'ext',
      '-preserveDN',
      ...((signer && signer.key.spec === 'ed25519') || (!signer && keyIsPure) ? [] : ['-md', digest]),
      ...(signer ? ['-cert', signer.certPath, '-keyfile', signer.keyPath] : ['-selfsign', '-keyfile', key.path]),
    ],
    dir,
  );
  const certPem = readFileSync(certPath, 'utf8');
  const x509 = new X509Certificate(certPem);
  return {
    key,
    certPem,
    certDer: Buffer.from(x509.raw),
    certPath,
    keyPath: key.path,
    keyPem: key.pem,
    serialHex: x509.serialNumber.toLowerCase(),
    subject,
    dir,
  };
}

export interface TestPki {
  root: IssuedCert;
  intermediate: IssuedCert;
  rsaLeaf: IssuedCert;
  ecLeaf: IssuedCert;
}

/** Root CA -> intermediate CA -> RSA-2048 and P-256 leaves, all valid now. */
export function makePki(options: { rootKey?: KeySpec; subjectPrefix?: string } = {}): TestPki {
  const prefix = options.subjectPrefix ?? 'iamra test';
  const root = makeCertificate({
    key: makeKey(options.rootKey ?? 'p384', true),
    ca: true,
    subject: `/CN=${prefix} root`,
  });
  const intermediate = makeCertificate({
    key: makeKey('p256', true),
    ca: true,
    subject: `/CN=${prefix} intermediate`,
    issuer: root,
  });
  const rsaLeaf = makeCertificate({ key: 'rsa2048', subject: `/CN=${prefix} rsa leaf/O=iamra`, issuer: intermediate });
  const ecLeaf = makeCertificate({ key: 'p256', subject: `/CN=${prefix} ec leaf/O=iamra`, issuer: intermediate });
  return { root, intermediate, rsaLeaf, ecLeaf };
}

/** Convert a PEM key with openssl (e.g. to PKCS#1, SEC1, encrypted, DER). */
export function convertKey(key: TestKey, args: string[], passphrase?: string): Buffer {
  const passArgs = passphrase === undefined ? [] : ['-passout', 'stdin'];
  return openssl(
    ['pkey', '-in', key.path, ...args, ...passArgs],
    undefined,
    passphrase === undefined ? undefined : `${passphrase}\n`,
  );
}

/** A PKCS#12 file. legacy: 3DES + SHA-1 MAC; otherwise openssl 3 defaults (PBES2/AES-256, SHA-256 MAC). */
export function makePkcs12(
  leaf: IssuedCert,
  options: { password: string; extraCerts?: IssuedCert[]; legacy?: boolean; noKey?: boolean },
): Buffer {
  const dir = testDir();
  const out = join(dir, 'bundle.p12');
  const extras = options.extraCerts ?? [];
  if (extras.length) writeFileSync(join(dir, 'extra.pem'), extras.map((c) => c.certPem).join(''));
  const args = [
    'pkcs12',
    '-export',
    '-in',
    leaf.certPath,
    '-out',
    out,
    '-passout',
    'stdin',
    ...(options.noKey ? ['-nokeys'] : ['-inkey', leaf.keyPath]),
    ...(extras.length ? ['-certfile', join(dir, 'extra.pem')] : []),
    ...(options.legacy ? ['-keypbe', 'PBE-SHA1-3DES', '-certpbe', 'PBE-SHA1-3DES', '-macalg', 'sha1'] : []),
  ];
  openssl(args, dir, `${options.password}\n`);
  return readFileSync(out);
}

/** A CRL from `issuer` revoking the given certificates. */
export function makeCrl(issuer: IssuedCert, revoked: IssuedCert[]): string {
  const dir = testDir();
  const index = revoked
    .map((c) => `R\t300101000000Z\t240101000000Z\t${c.serialHex.toUpperCase()}\tunknown\t/CN=x`)
    .join('\n');
  writeFileSync(join(dir, 'index.txt'), index ? `${index}\n` : '');
  writeFileSync(join(dir, 'crlnumber'), '01\n');
  writeFileSync(
    join(dir, 'ca.cnf'),
    `[ca]\ndefault_ca = test\n[test]\ndatabase = ${dir}/index.txt\ncrlnumber = ${dir}/crlnumber\ndefault_crl_days = 30\ndefault_md = sha256\n`,
  );
  openssl(
    [
      'ca',
      '-gencrl',
      '-config',
      join(dir, 'ca.cnf'),
      '-cert',
      issuer.certPath,
      '-keyfile',
      issuer.keyPath,
      '-out',
      join(dir, 'crl.pem'),
    ],
    dir,
  );
  return readFileSync(join(dir, 'crl.pem'), 'utf8');
}
