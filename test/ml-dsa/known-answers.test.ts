/**
 * Known answers from AWS's own signer: CreateSession requests that aws_signing_helper v1.8.0
 * signed with ML-DSA-44/65/87 keys (see the vectors file's provenance). The emulator under Node 24
 * must accept each as recorded and refuse it with one changed signature digit. They are
 * verify-only: v1.8.0 signs deterministically, but Node exposes only OpenSSL's randomized ML-DSA
 * signing, so iamra's own signatures cannot be compared byte for byte.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startEmulator } from '@iamra/emulator';
import { isoOfAmzDate, replayUnderNode24, withTamperedSignature } from '../support/ml-dsa.js';
import { REPLAY_ROLE_ARN, type RecordedRequest, replayEmulatorOptions } from '../support/ml-dsa-replay.js';
import { repoRoot } from '../support/peers.js';

interface Vectors {
  caPems: string[];
  vectors: { parameterSet: string; anchorIndex: number; request: RecordedRequest }[];
}

const VECTORS = JSON.parse(
  readFileSync(join(repoRoot, 'test', 'ml-dsa', 'aws-signing-helper-1.8.0-vectors.json'), 'utf8'),
) as Vectors;
const SIGNATURE_BYTES: Record<string, number> = { 'ML-DSA-44': 2420, 'ML-DSA-65': 3309, 'ML-DSA-87': 4627 };
const recordedAt = isoOfAmzDate(VECTORS.vectors[0]?.request.headers['x-amz-date'] ?? '');

describe('aws_signing_helper v1.8.0 ML-DSA requests (known answers)', function () {
  this.timeout(120_000);

  it('are AWS4-X509-MLDSA with the hex of a raw FIPS 204 signature of each parameter set', () => {
    assert.deepEqual(
      VECTORS.vectors.map((vector) => vector.parameterSet),
      ['ML-DSA-44', 'ML-DSA-65', 'ML-DSA-87'],
    );
    for (const { parameterSet, request } of VECTORS.vectors) {
      const signature = /^AWS4-X509-MLDSA Credential=.*, Signature=([0-9a-f]+)$/.exec(
        request.headers.authorization ?? '',
      )?.[1];
      assert.equal(signature?.length, 2 * (SIGNATURE_BYTES[parameterSet] ?? 0), parameterSet);
    }
  });

  it('the emulator under Node 24 accepts each as signed and refuses each with a changed signature', () => {
    const requests = VECTORS.vectors.map((vector) => vector.request);
    const { answers } = replayUnderNode24({
      caPems: VECTORS.caPems,
      now: recordedAt,
      requests: [...requests, ...requests.map(withTamperedSignature)],
    });
    assert.deepEqual(
      answers.map((answer) => answer.status),
      [201, 201, 201, 403, 403, 403],
      answers.map((answer) => answer.body).join('\n'),
    );
    for (const answer of answers.slice(0, 3)) {
      const body = JSON.parse(answer.body) as { credentialSet: { roleArn: string }[] };
      assert.equal(body.credentialSet[0]?.roleArn, REPLAY_ROLE_ARN);
    }
  });

  it('an emulator on Node 20 says it cannot verify ML-DSA instead of calling the signature bad', async () => {
    const emulator = await startEmulator(replayEmulatorOptions(VECTORS.caPems, new Date(recordedAt)));
    try {
      const { path, rawQuery, headers, body } = VECTORS.vectors[0]?.request as RecordedRequest;
      const { host: _host, ...rest } = headers;
      const response = await fetch(`${emulator.endpoint}${path}?${rawQuery}`, { method: 'POST', headers: rest, body });
      assert.equal(response.status, 403);
      assert.match(
        ((await response.json()) as { message: string }).message,
        /^Invalid signature: this emulator runs on Node 20\.\d+\.\d+, which cannot verify ML-DSA; run the emulator on Node 24$/,
      );
    } finally {
      await emulator.stop();
    }
  });
});
