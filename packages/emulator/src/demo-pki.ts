/**
 * A demo PKI made with WebCrypto and @peculiar/x509 (no openssl needed, so it works on any
 * runner): root CA -> intermediate CA -> RSA-2048 and EC P-256 leaves, plus a config using it.
 */
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as x509 from '@peculiar/x509';
import type { RoleConfig } from './model-builder.js';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

export interface DemoPki {
  dir: string;
  rootCertificate: string;
  intermediateCertificate: string;
  caBundle: string;
  rsa: { certificate: string; privateKey: string; chain: string };
  ec: { certificate: string; privateKey: string; chain: string };
  config: string;
}

const EC = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const RSA = {
  name: 'RSASSA-PKCS1-v1_5',
  modulusLength: 2048,
  publicExponent: new Uint8Array([1, 0, 1]),
  hash: 'SHA-256',
} as const;
const DAY = 86_400_000;
const DEMO_HUB_ACCOUNT = '123456789012';
const DEMO_HUB_ROLE = `arn:aws:iam::${DEMO_HUB_ACCOUNT}:role/iamra-demo`;

/** dev and staging trust the hub role; prod also wants an external ID; all accept session tags. */
export function demoWorkloadRoles(): RoleConfig[] {
  const deploy = (account: string) => `arn:aws:iam::${account}:role/deploy`;
  return [
    { arn: deploy('111111111111'), trustedPrincipals: [DEMO_HUB_ROLE], allowTagSession: true },
    { arn: deploy('222222222222'), trustedPrincipals: [DEMO_HUB_ROLE], allowTagSession: true },
    {
      arn: deploy('333333333333'),
      trustedPrincipals: [DEMO_HUB_ROLE],
      externalId: 'iamra-demo-prod',
      allowTagSession: true,
    },
  ];
}

function serial(): string {
  const bytes = webcrypto.getRandomValues(new Uint8Array(16));
  bytes[0] = ((bytes[0] ?? 1) & 0x7f) | 0x10;
  return Buffer.from(bytes).toString('hex');
}

async function pkcs8Pem(key: webcrypto.CryptoKey): Promise<string> {
  const der = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', key));
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN PRIVATE KEY-----\n${lines.join('\n')}\n-----END PRIVATE KEY-----\n`;
}

async function issue(
  name: string,
  keys: webcrypto.CryptoKeyPair,
  issuer: { name: string; keys: webcrypto.CryptoKeyPair } | undefined,
  ca: boolean,
  now: Date,
): Promise<x509.X509Certificate> {
  const usages = ca
    ? x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature
    : x509.KeyUsageFlags.digitalSignature;
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(ca, undefined, true),
    new x509.KeyUsagesExtension(usages, true),
    await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
  ];
  if (issuer) extensions.push(await x509.AuthorityKeyIdentifierExtension.create(issuer.keys.publicKey));
  const signingKey = issuer?.keys.privateKey ?? keys.privateKey;
  return x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: name,
    issuer: issuer?.name ?? name,
    notBefore: new Date(now.getTime() - DAY),
    notAfter: new Date(now.getTime() + (ca ? 3650 : 365) * DAY),
    publicKey: keys.publicKey,
    signingKey,
    signingAlgorithm: signingKey.algorithm.name === 'ECDSA' ? EC : RSA,
    extensions,
  });
}

function writeSecret(path: string, text: string): void {
  writeFileSync(path, text, { mode: 0o600 });
}

export async function initDemoPki(dir: string, now = new Date()): Promise<DemoPki> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const rootKeys = (await webcrypto.subtle.generateKey(EC, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const intermediateKeys = (await webcrypto.subtle.generateKey(EC, true, [
    'sign',
    'verify',
  ])) as webcrypto.CryptoKeyPair;
  const rsaKeys = (await webcrypto.subtle.generateKey(RSA, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const ecKeys = (await webcrypto.subtle.generateKey(EC, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const rootName = 'CN=iamra demo root CA,O=iamra demo';
  const intermediateName = 'CN=iamra demo intermediate CA,O=iamra demo';
  const root = await issue(rootName, rootKeys, undefined, true, now);
  const intermediate = await issue(intermediateName, intermediateKeys, { name: rootName, keys: rootKeys }, true, now);
  const issuer = { name: intermediateName, keys: intermediateKeys };
  const rsaLeaf = await issue('CN=iamra-demo-rsa,O=iamra demo', rsaKeys, issuer, false, now);
  const ecLeaf = await issue('CN=iamra-demo-ec,O=iamra demo', ecKeys, issuer, false, now);

  const path = (name: string) => join(dir, name);
  writeFileSync(path('root-ca.pem'), root.toString('pem'));
  writeFileSync(path('intermediate-ca.pem'), intermediate.toString('pem'));
  writeFileSync(path('ca-bundle.pem'), root.toString('pem'));
  writeFileSync(path('rsa-leaf.pem'), rsaLeaf.toString('pem'));
  writeFileSync(path('ec-leaf.pem'), ecLeaf.toString('pem'));
  writeFileSync(path('chain.pem'), intermediate.toString('pem'));
  writeSecret(path('rsa-leaf.key'), await pkcs8Pem(rsaKeys.privateKey));
  writeSecret(path('ec-leaf.key'), await pkcs8Pem(ecKeys.privateKey));
  const config = {
    accountId: DEMO_HUB_ACCOUNT,
    region: 'us-east-1',
    trustAnchors: [{ name: 'iamra-demo', caBundle: 'ca-bundle.pem', enabled: true }],
    profiles: [{ name: 'iamra-demo', roleArns: [DEMO_HUB_ROLE], maxSessionDurationSeconds: 3600 }],
    // One certificate, three workload accounts: the hub role assumes a deploy role in each.
    roles: demoWorkloadRoles(),
  };
  writeFileSync(path('emulator.json'), `${JSON.stringify(config, null, 2)}\n`);
  return {
    dir,
    rootCertificate: path('root-ca.pem'),
    intermediateCertificate: path('intermediate-ca.pem'),
    caBundle: path('ca-bundle.pem'),
    rsa: { certificate: path('rsa-leaf.pem'), privateKey: path('rsa-leaf.key'), chain: path('chain.pem') },
    ec: { certificate: path('ec-leaf.pem'), privateKey: path('ec-leaf.key'), chain: path('chain.pem') },
    config: path('emulator.json'),
  };
}
