/** The pure SHA-256 against the NIST examples and against node:crypto over many lengths. */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { sha256, sha256Hex } from '../../src/digest/sha256.js';

const nodeSha256 = (data: string | Uint8Array) => createHash('sha256').update(data).digest('hex');

describe('sha256 (pure TypeScript)', () => {
  it('matches the FIPS 180-4 examples', () => {
    const vectors: [string, string][] = [
      ['abc', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
      ['', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
      [
        'abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq',
        '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
      ],
      [
        'abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu',
        'cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1',
      ],
    ];
    for (const [message, digest] of vectors) assert.equal(sha256Hex(message), digest, JSON.stringify(message));
  });

  it('matches node:crypto for every length 0..300 and around the block boundaries', () => {
    const lengths = [...Array.from({ length: 301 }, (_, i) => i), 55, 56, 63, 64, 119, 120, 1000, 4096];
    for (const length of lengths) {
      const data = randomBytes(length);
      assert.equal(sha256Hex(data), nodeSha256(data), `length ${length}`);
    }
  });

  it('hashes a Uint8Array view at an offset, and strings as UTF-8', () => {
    const backing = randomBytes(200);
    const view = new Uint8Array(backing.buffer, backing.byteOffset + 7, 120);
    assert.equal(sha256Hex(view), nodeSha256(view));
    assert.equal(Buffer.from(sha256(view)).toString('hex'), nodeSha256(view));
    const text = 'ünïcödé ✓ 𝄞 role/ci';
    assert.equal(sha256Hex(text), nodeSha256(text));
  });
});
