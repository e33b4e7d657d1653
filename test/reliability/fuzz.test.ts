/**
 * Random mutations of valid inputs through every parser: nothing may escape but IamraError.
 * Bounded (a fixed number of cases per parser) and reproducible (a printed seed; set
 * IAMRA_FUZZ_SEED to replay, IAMRA_FUZZ_CASES to run longer).
 */
import assert from 'node:assert/strict';
import {
  IamraError,
  loadSigningMaterial,
  parseArn,
  parseCertificates,
  parsePkcs12,
  parsePrivateKey,
} from '@iamra/core';
import { parseCredentialSet } from '../../packages/core/src/client/credentials.js';
import { serviceError } from '../../packages/core/src/client/service-error.js';
import { checkSessionAccount } from '../../packages/core/src/client/session-account.js';
import { HOSTILE_TEXT, injectedCommands } from '../support/log-commands.js';
import { convertKey, makePkcs12, makePki } from '../support/pki.js';

function xorshift(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 0x1_0000_0000;
  };
}

type Mutation = (input: Buffer, random: () => number) => Buffer;

const MUTATIONS: Mutation[] = [
  (b, r) => {
    const copy = Buffer.from(b);
    for (let i = 0; i < 1 + Math.floor(r() * 8); i += 1) copy[Math.floor(r() * copy.length)] = Math.floor(r() * 256);
    return copy;
  },
  (b, r) => b.subarray(0, Math.floor(r() * b.length)),
  (b, r) => {
    const at = Math.floor(r() * b.length);
    return Buffer.concat([b.subarray(0, at), b.subarray(at + 1 + Math.floor(r() * 32))]);
  },
  (b, r) => {
    const at = Math.floor(r() * b.length);
    const junk = Buffer.alloc(1 + Math.floor(r() * 64), Math.floor(r() * 256));
    return Buffer.concat([b.subarray(0, at), junk, b.subarray(at)]);
  },
  (b, r) => {
    // Hostile text (runner and agent commands, controls, bidi, zero-width) spliced in.
    const at = Math.floor(r() * b.length);
    const text = HOSTILE_TEXT[Math.floor(r() * HOSTILE_TEXT.length)] ?? '';
    return Buffer.concat([b.subarray(0, at), Buffer.from(text), b.subarray(at)]);
  },
  (b, r) => {
    // Flip a DER length byte region: the classic parser killer.
    const copy = Buffer.from(b);
    const at = Math.floor(r() * Math.min(16, copy.length));
    copy[at] = 0x80 | Math.floor(r() * 8);
    return copy;
  },
];

const seed = Number(process.env.IAMRA_FUZZ_SEED ?? Date.now() % 1_000_000);
const casesPerTarget = Number(process.env.IAMRA_FUZZ_CASES ?? 300);

async function onlyTypedErrors(name: string, valid: Buffer, parse: (input: Buffer) => unknown): Promise<number> {
  const random = xorshift(seed + name.length * 7919);
  let rejected = 0;
  for (let i = 0; i < casesPerTarget; i += 1) {
    const mutation = MUTATIONS[Math.floor(random() * MUTATIONS.length)] ?? MUTATIONS[0];
    const input = mutation ? mutation(valid, random) : valid;
    try {
      await parse(input);
    } catch (error) {
      if (!(error instanceof IamraError)) {
        assert.fail(
          `${name}: case ${i} (seed ${seed}) threw ${String(error)} for input ${input.toString('base64').slice(0, 120)}…`,
        );
      }
      assert.doesNotMatch(error.message, /\n/);
      assert.deepEqual(injectedCommands(`iamra: ${error.toLine()}`), [], `${name}: case ${i} (seed ${seed})`);
      rejected += 1;
    }
  }
  return rejected;
}

describe(`reliability: fuzzing the parsers (seed ${seed}, ${casesPerTarget} cases each)`, function () {
  this.timeout(180_000);
  const pki = makePki({ subjectPrefix: 'fuzz' });
  const leaf = pki.rsaLeaf;

  it('certificates, PEM', () =>
    onlyTypedErrors('cert-pem', Buffer.from(leaf.certPem), (b) => parseCertificates(b.toString('latin1'))));
  it('certificates, DER', () => onlyTypedErrors('cert-der', leaf.certDer, (b) => parseCertificates(b)));
  it('private keys, PEM', () =>
    onlyTypedErrors('key-pem', Buffer.from(leaf.keyPem), (b) => parsePrivateKey(b.toString('latin1'))));
  it('private keys, DER', () =>
    onlyTypedErrors('key-der', convertKey(leaf.key, ['-outform', 'DER']), (b) => parsePrivateKey(b)));
  it('private keys, encrypted', () =>
    onlyTypedErrors('key-enc', convertKey(pki.ecLeaf.key, ['-aes256'], 'pw'), (b) =>
      parsePrivateKey(b.toString('latin1'), 'pw'),
    ));
  it('PKCS#12', () =>
    onlyTypedErrors('pkcs12', makePkcs12(leaf, { password: 'pw', extraCerts: [pki.intermediate] }), (b) =>
      parsePkcs12(b, 'pw'),
    ));
  it('whole material loads', () =>
    onlyTypedErrors('material', Buffer.from(leaf.certPem + pki.intermediate.certPem), (b) =>
      loadSigningMaterial({ certificate: b.toString('latin1'), privateKey: leaf.keyPem }, { now: new Date() }),
    ));
  it('service error answers (a hostile or spoofed endpoint)', () =>
    onlyTypedErrors(
      'service-error',
      Buffer.from(
        JSON.stringify({ __type: 'com.amazon#AccessDeniedException', message: 'Untrusted Signing Certificate' }),
      ),
      (b) => {
        throw serviceError({ status: 403, headers: { 'x-amzn-requestid': 'r-1' }, body: b.toString('utf8') });
      },
    ));
  it('CreateSession answers, checked for the account asked for', () => {
    const params = {
      trustAnchorArn: 'arn:aws:rolesanywhere:us-east-1:123456789012:trust-anchor/0c5a2b1e-7f4f-4c3b-9d6e-1a2b3c4d5e6f',
      profileArn: 'arn:aws:rolesanywhere:us-east-1:123456789012:profile/9f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0',
      roleArn: 'arn:aws:iam::123456789012:role/deploy',
      partition: 'aws' as const,
      region: 'us-east-1',
      accountId: '123456789012',
      durationSeconds: 3600,
      roleSessionName: undefined,
    };
    const valid = JSON.stringify({
      credentialSet: [
        {
          assumedRoleUser: { arn: 'arn:aws:sts::123456789012:assumed-role/deploy/s', assumedRoleId: 'AROA:s' },
          credentials: {
            accessKeyId: 'ASIA1',
            secretAccessKey: 'S',
            sessionToken: 'T',
            expiration: '2030-01-01T00:00:00Z',
          },
          roleArn: params.roleArn,
          sourceIdentity: 'CN=x',
        },
      ],
    });
    return onlyTypedErrors('create-session-answer', Buffer.from(valid), (b) =>
      checkSessionAccount(parseCredentialSet(b.toString('utf8')), params),
    );
  });
  it('ARNs', () =>
    onlyTypedErrors(
      'arn',
      Buffer.from('arn:aws:rolesanywhere:us-east-1:123456789012:trust-anchor/0c5a2b1e-7f4f-4c3b-9d6e-1a2b3c4d5e6f'),
      (b) => parseArn('trust-anchor', b.toString('latin1')),
    ));
});
