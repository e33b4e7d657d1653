/**
 * A real PKCS#11 token for tests: a SoftHSM2 token in its own SOFTHSM2_CONF directory, RSA 2048
 * and P-256 key pairs generated ON the token (their private halves never exist in a file), and
 * certificates for them issued by the test PKI and written back to the token.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { peers } from './peers.js';
import { type IssuedCert, makePki, type TestPki, testDir } from './pki.js';

export const TOKEN_LABEL = 'iamra-ci';
/** Long enough for the secret scanner, which ignores fragments under 8 characters. */
export const USER_PIN = 'hsm-pin-4711-never-logged';
export const SO_PIN = 'so-pin-0815-never-logged';

export interface TokenKey {
  label: string;
  /** CKA_ID, hex. */
  id: string;
  certPath: string;
  certPem: string;
  /** pkcs11: URIs, without a PIN. */
  keyUri: string;
  certUri: string;
}

export interface SoftToken {
  module: string;
  /** SOFTHSM2_CONF: every process touching the token needs it in its environment. */
  env: { SOFTHSM2_CONF: string };
  pki: TestPki;
  rsa: TokenKey;
  ec: TokenKey;
  /** pkcs11-tool on this token's module and configuration. */
  pkcs11Tool(args: string[]): Buffer;
  /** Another key pair made on the token (pkcs11-tool key type, e.g. EC:edwards25519), with a certificate when it can have one. */
  addKey(name: string, type: string, id: string, options?: { extra?: string[]; certificate?: boolean }): TokenKey;
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Buffer {
  return execFileSync(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** A certificate from `issuer` for a public key (DER SubjectPublicKeyInfo file) made elsewhere. */
export function issue(dir: string, name: string, publicKeyDer: string, issuer: IssuedCert): string {
  const certPath = join(dir, `${name}.pem`);
  writeFileSync(
    join(dir, `${name}.ext`),
    '[ext]\nbasicConstraints = critical,CA:FALSE\nkeyUsage = critical,digitalSignature\nauthorityKeyIdentifier = keyid\nsubjectKeyIdentifier = hash\n',
  );
  run(
    'openssl',
    [
      'x509',
      '-new',
      '-force_pubkey',
      publicKeyDer,
      '-keyform',
      'DER',
      '-subj',
      `/CN=hsm ${name} leaf/O=iamra`,
      '-CA',
      issuer.certPath,
      '-CAkey',
      issuer.keyPath,
      '-extfile',
      join(dir, `${name}.ext`),
      '-extensions',
      'ext',
      '-days',
      '30',
      '-sha256',
      '-out',
      certPath,
    ],
    { OPENSSL_CONF: '/dev/null' },
  );
  return certPath;
}

/** A fresh token with an RSA 2048 and a P-256 key and their certificates. */
export function makeSoftToken(options: { label?: string } = {}): SoftToken {
  const dir = testDir();
  const label = options.label ?? TOKEN_LABEL;
  const conf = join(dir, 'softhsm2.conf');
  const tokens = join(dir, 'tokens');
  mkdirSync(tokens);
  writeFileSync(conf, `directories.tokendir = ${tokens}\nobjectstore.backend = file\nlog.level = ERROR\n`);
  const env = { SOFTHSM2_CONF: conf };
  const module = peers.softhsmModule();
  run(peers.softhsmUtil(), ['--init-token', '--free', '--label', label, '--so-pin', SO_PIN, '--pin', USER_PIN], env);
  const tool = (args: string[]) => run(peers.pkcs11Tool(), ['--module', module, ...args], env);
  const pki = makePki({ subjectPrefix: 'hsm' });
  const key: SoftToken['addKey'] = (name, type, id, options = {}) => {
    const keygen = ['--keypairgen', '--key-type', type, '--label', `${name}-key`, '--id', id];
    tool(['--login', '--pin', USER_PIN, ...keygen, ...(options.extra ?? [])]);
    const publicKey = join(dir, `${name}.pub.der`);
    tool(['--read-object', '--type', 'pubkey', '--id', id, '-o', publicKey]);
    const keyUri = `pkcs11:token=${label};object=${name}-key;type=private`;
    if (options.certificate === false)
      return { label: `${name}-key`, id, certPath: '', certPem: '', keyUri, certUri: '' };
    const certPath = issue(dir, name, publicKey, pki.intermediate);
    const certDer = join(dir, `${name}.der`);
    run('openssl', ['x509', '-in', certPath, '-outform', 'DER', '-out', certDer], {});
    tool([
      '--login',
      '--pin',
      USER_PIN,
      '--write-object',
      certDer,
      '--type',
      'cert',
      '--id',
      id,
      '--label',
      `${name}-cert`,
    ]);
    return {
      label: `${name}-key`,
      id,
      certPath,
      certPem: readFileSync(certPath, 'utf8'),
      keyUri,
      certUri: `pkcs11:token=${label};object=${name}-cert;type=cert`,
    };
  };
  const rsa = key('rsa', 'rsa:2048', '01');
  const ec = key('ec', 'EC:prime256v1', '02');
  return { module, env, pki, rsa, ec, pkcs11Tool: tool, addKey: key };
}
