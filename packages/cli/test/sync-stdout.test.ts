/** The bins' stdout: fd 1 written synchronously, the stream only once a write cannot complete. */
import assert from 'node:assert/strict';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { testDir } from '../../../test/support/pki.js';
import { createStdoutWriter } from '../src/sync-stdout.js';

describe('synchronous stdout', () => {
  it('writes text and bytes straight to the descriptor, in order, without touching the stream', () => {
    const path = join(testDir(), 'out');
    const fd = openSync(path, 'w');
    let streamed = false;
    const writer = createStdoutWriter(fd, () => {
      streamed = true;
      return new PassThrough();
    });
    writer.write('{"Version":1}\n');
    writer.write(Uint8Array.from([0xe2, 0x9c, 0x93, 0x0a]));
    closeSync(fd);
    assert.equal(readFileSync(path, 'utf8'), '{"Version":1}\n✓\n');
    assert.equal(streamed, false);
  });

  it('after a failed write, sends that write and every later one to the stream, keeping the order', () => {
    const path = join(testDir(), 'closed');
    const fd = openSync(path, 'w');
    closeSync(fd); // EBADF from now on, as a write to a closed or full pipe fails
    const stream = new PassThrough();
    const writer = createStdoutWriter(fd, () => stream);
    writer.write('first ');
    writer.write('second');
    assert.equal(stream.read()?.toString(), 'first second');
  });
});
