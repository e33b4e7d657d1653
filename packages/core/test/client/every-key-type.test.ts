/**
 * Real certificates of every supported type, signed by our signer and verified end to end by an
 * HTTP server inside the test (the emulator, whose canonicalization is independent of ours).
 */
import assert from 'node:assert/strict';
import { createSession, loadSigningMaterial, resolveSessionParameters } from '@iamra/core';
import { type RunningEmulator, startEmulator } from '@iamra/emulator';
import { type KeySpec, makeCertificate, makePki } from '../../../../test/support/pki.js';

describe('every key type end to end', function () {
  this.timeout(60_000);
  const pki = makePki({ subjectPrefix: 'types' });
  let emulator: RunningEmulator;
  before(async () => {
    emulator = await startEmulator({ cas: [pki.root.certPem], lifetimeMs: 55_000 });
  });
  after(() => emulator.stop());

  const specs: KeySpec[] = ['rsa2048', 'rsa3072', 'rsa4096', 'p256', 'p384', 'p521'];
  for (const spec of specs) {
    for (const withChain of [true, false]) {
      it(`${spec}, ${withChain ? 'leaf under an intermediate, chain sent' : 'leaf under the root, no chain'}`, async () => {
        const leaf = makeCertificate({
          key: spec,
          issuer: withChain ? pki.intermediate : pki.root,
          subject: `/CN=${spec} leaf`,
        });
        const { material } = await loadSigningMaterial(
          {
            certificate: leaf.certPem,
            privateKey: leaf.keyPem,
            ...(withChain ? { intermediates: [pki.intermediate.certPem] } : {}),
          },
          { now: new Date() },
        );
        const params = resolveSessionParameters({
          trustAnchorArn: emulator.trustAnchorArns[0] ?? '',
          profileArn: emulator.profileArn,
          roleArn: emulator.roleArns[0] ?? '',
        });
        const { credentials } = await createSession({
          material,
          params,
          endpoint: emulator.endpoint,
          retry: { maxAttempts: 1 },
        });
        assert.equal(credentials.sourceIdentity, `CN=${spec} leaf`);
      });
    }
  }
});
