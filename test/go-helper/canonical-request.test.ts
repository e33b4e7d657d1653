/**
 * For the same inputs, iamra's CreateSession request is the Go aws_signing_helper's: both are
 * captured raw on a loopback server; iamra's clock is pinned to the Go helper's X-Amz-Date.
 * RSA (deterministic): the Authorization header is byte-identical. ECDSA (randomized): the
 * canonical request and the string to sign are identical, and both signatures verify.
 */
import assert from 'node:assert/strict';
import { createHash, createPublicKey, verify } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '@iamra/cli';
import { loadSigningMaterial, resolveSessionParameters, signCreateSession } from '@iamra/core';
import { rebuildCanonicalRequest } from '../../packages/emulator/src/x509-sigv4.js';
import { runCli } from '../support/cli-run.js';
import { type IssuedCert, testDir } from '../support/pki.js';
import {
  type CapturedRequest,
  conformancePki,
  fromAmzDate,
  LEAF_KINDS,
  leafArgs,
  runGoHelper,
  startCapture,
} from './support.js';

const ARNS = {
  trustAnchorArn: 'arn:aws:rolesanywhere:eu-west-1:111122223333:trust-anchor/0c5a2b1e-7f4f-4c3b-9d6e-1a2b3c4d5e6f',
  profileArn: 'arn:aws:rolesanywhere:eu-west-1:111122223333:profile/9f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0',
  roleArn: 'arn:aws:iam::111122223333:role/deploy',
};

/** The signed parts of a captured request, as the service rebuilds them. */
function signedView(request: CapturedRequest) {
  const authorization = String(request.headers.authorization ?? '');
  const match = /^(\S+) Credential=([^,]+), SignedHeaders=([^,]+), Signature=([0-9a-f]+)$/.exec(authorization);
  assert.ok(match, `Authorization: ${authorization}`);
  const [, algorithm = '', credential = '', signed = '', signature = ''] = match;
  const date = String(request.headers['x-amz-date'] ?? '');
  const canonical = rebuildCanonicalRequest(request, signed.split(';'));
  const scope = credential.split('/').slice(1).join('/');
  const stringToSign = [algorithm, date, scope, createHash('sha256').update(canonical).digest('hex')].join('\n');
  return { authorization, algorithm, credential, signed, signature, date, canonical, stringToSign };
}

/** iamra's --debug block that follows `label:` (its lines are not prefixed). */
function debugBlock(stderr: string, label: string): string {
  const start = stderr.indexOf(`iamra debug: ${label}:\n`);
  assert.ok(start >= 0, `no ${label} in --debug output`);
  const rest = stderr.slice(start + `iamra debug: ${label}:\n`.length);
  return rest.slice(0, rest.indexOf('\niamra debug: '));
}

describe('aws_signing_helper and iamra sign the same CreateSession', function () {
  this.timeout(180_000);
  const pki = conformancePki('go canon');
  const dir = testDir();
  const intermediateOnly = join(dir, 'intermediate.pem');
  writeFileSync(intermediateOnly, pki.intermediate.certPem);
  const mixed = join(dir, 'mixed.pem');
  writeFileSync(mixed, pki.stranger.certPem + pki.intermediate.certPem + pki.root.certPem);
  let capture: Awaited<ReturnType<typeof startCapture>>;

  before(async () => {
    capture = await startCapture();
  });
  after(() => capture.stop());

  /** Optional session flags, given to both helpers and, as parameters, to iamra's library. */
  interface SessionFlags {
    durationSeconds?: number;
    roleSessionName?: string;
    region?: string;
  }

  async function compare(leaf: IssuedCert, intermediatesPath: string | undefined, session: SessionFlags = {}) {
    const args = [
      ...leafArgs(leaf, ARNS, capture.endpoint, intermediatesPath),
      ...(session.durationSeconds ? ['--session-duration', String(session.durationSeconds)] : []),
      ...(session.roleSessionName ? ['--role-session-name', session.roleSessionName] : []),
      ...(session.region ? ['--region', session.region] : []),
    ];
    const go = await runGoHelper(['credential-process', ...args]);
    assert.equal(go.code, 0, go.stderr);
    const goRequest = capture.requests.at(-1);
    assert.ok(goRequest);
    const theirs = signedView(goRequest);

    // iamra's library, same files, clock pinned to the Go helper's X-Amz-Date.
    const { material } = await loadSigningMaterial(
      {
        certificate: readFileSync(leaf.certPath),
        privateKey: readFileSync(leaf.keyPath),
        ...(intermediatesPath ? { intermediates: [readFileSync(intermediatesPath)] } : {}),
      },
      { now: new Date() },
    );
    const ours = await signCreateSession({
      material,
      params: resolveSessionParameters({ ...ARNS, ...session }),
      endpoint: capture.endpoint,
      date: fromAmzDate(theirs.date),
    });
    assert.equal(ours.canonicalRequest, theirs.canonical);
    assert.equal(ours.stringToSign, theirs.stringToSign);
    assert.equal(ours.headers['X-Amz-X509'], goRequest.headers['x-amz-x509']);
    assert.equal(ours.headers['X-Amz-X509-Chain'], goRequest.headers['x-amz-x509-chain']);
    assert.equal(ours.body, goRequest.body.toString('utf8'));
    const publicKey = createPublicKey(leaf.certPem);
    if (leaf.key.spec.startsWith('rsa')) {
      assert.equal(ours.headers.Authorization, theirs.authorization);
    } else {
      const oursParsed = /Signature=([0-9a-f]+)$/.exec(ours.headers.Authorization ?? '')?.[1] ?? '';
      assert.equal(
        ours.headers.Authorization?.replace(oursParsed, ''),
        theirs.authorization.replace(theirs.signature, ''),
      );
      for (const signature of [theirs.signature, oursParsed]) {
        assert.ok(verify('sha256', Buffer.from(theirs.stringToSign), publicKey, Buffer.from(signature, 'hex')));
      }
    }

    // iamra's CLI, same flags: the same request on the wire but for its own clock.
    const cli = await runCli(main, ['credential-process', ...args, '--no-cache', '--debug']);
    assert.equal(cli.exitCode, 0, cli.stderr);
    const cliRequest = capture.requests.at(-1);
    assert.ok(cliRequest && cliRequest !== goRequest);
    const cliView = signedView(cliRequest);
    const pinned = (text: string) => text.replaceAll(cliView.date, theirs.date);
    assert.equal(pinned(debugBlock(cli.stderr, 'canonical request')), theirs.canonical);
    assert.equal(pinned(cliView.canonical), theirs.canonical);
    assert.equal(cliView.signed, theirs.signed);
    assert.equal(cliView.credential.split('/')[0], theirs.credential.split('/')[0], 'serial in decimal');
    assert.ok(verify('sha256', Buffer.from(cliView.stringToSign), publicKey, Buffer.from(cliView.signature, 'hex')));
  }

  for (const kind of LEAF_KINDS) {
    it(`${kind}, with the intermediate`, () => compare(pki.viaIntermediate[kind], intermediateOnly));
    it(`${kind}, without intermediates`, () => compare(pki.direct[kind], undefined));
  }
  it('an --intermediates bundle with an unrelated CA and the root: sent as given, in its order', () =>
    compare(pki.viaIntermediate.rsa2048, mixed));
  it('with --session-duration, --role-session-name and --region', () =>
    compare(pki.direct.rsa4096, undefined, {
      durationSeconds: 900,
      roleSessionName: 'ci-run.42@build',
      region: 'eu-central-1',
    }));
});
