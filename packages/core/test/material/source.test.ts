import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { testDir } from '../../../../test/support/pki.js';
import { IamraError } from '../../src/errors.js';
import { parseCertificates, secretLines, sourceFromInput } from '../../src/material/index.js';
import { leafFor, writeTemp } from './fixtures.js';

function noRead(path: string): Buffer {
  throw new Error(`must not read ${path}`);
}

describe('material: sourceFromInput', () => {
  it('keeps PEM text as text', () => {
    const pem = leafFor('p256').certPem;
    assert.equal(sourceFromInput(pem, noRead), pem);
  });

  it('decodes base64 of DER, with line breaks, to bytes', () => {
    const der = leafFor('p256').certDer;
    const base64 = der.toString('base64').replace(/.{60}/g, '$&\n');
    const source = sourceFromInput(`${base64}\n`, noRead);
    assert.ok(Buffer.isBuffer(source));
    assert.deepEqual(source, der);
  });

  it('reads anything else as a path, trimming surrounding whitespace', () => {
    const path = writeTemp('cert.der', leafFor('p384').certDer);
    const source = sourceFromInput(` ${path}\n`, (p) => readFileSync(p));
    assert.equal(parseCertificates(source)[0]?.commonName, 'p384 leaf');
  });

  it('treats short base64-looking text as a path (a file named like base64)', () => {
    const read: string[] = [];
    sourceFromInput('MIIBcertificate', (p) => {
      read.push(p);
      return Buffer.alloc(0);
    });
    assert.deepEqual(read, ['MIIBcertificate']);
  });

  it('treats long base64 that does not decode to DER as a path', () => {
    const read: string[] = [];
    const name = 'A'.repeat(80);
    sourceFromInput(name, (p) => {
      read.push(p);
      return Buffer.alloc(0);
    });
    assert.deepEqual(read, [name]);
  });

  it('FILE_UNREADABLE: a missing file names the path and the reason', () => {
    const path = join(testDir(), 'missing.pem');
    assert.throws(
      () => sourceFromInput(path, (p) => readFileSync(p)),
      (error: unknown) => {
        assert.ok(error instanceof IamraError);
        assert.equal(error.code, 'FILE_UNREADABLE');
        assert.equal(error.message, `cannot read file ${path}: no such file; check the path and its permissions`);
        return true;
      },
    );
  });

  it('FILE_UNREADABLE: a directory, and an unknown OS error keeps its code', () => {
    const dir = testDir();
    assert.throws(
      () => sourceFromInput(dir, (p) => readFileSync(p), 'certificate'),
      /^IamraError: cannot read certificate .*: it is a directory; check the path/,
    );
    assert.throws(
      () =>
        sourceFromInput('/x', () => {
          throw Object.assign(new Error('io'), { code: 'EIO' });
        }),
      /cannot read file \/x: EIO;/,
    );
    assert.throws(
      () =>
        sourceFromInput('/y', () => {
          throw new Error('no code');
        }),
      /cannot read file \/y: read failed;/,
    );
  });
});

describe('material: secretLines', () => {
  it('gives the whole value and every trimmed non-empty line of a multi-line secret', () => {
    const value = '-----BEGIN PRIVATE KEY-----\r\n  abc \n\n def\n-----END PRIVATE KEY-----\n';
    assert.deepEqual(secretLines(value), [
      value.trim(),
      '-----BEGIN PRIVATE KEY-----',
      'abc',
      'def',
      '-----END PRIVATE KEY-----',
    ]);
  });

  it('gives a one-line secret once, trimmed, and nothing for blank input', () => {
    assert.deepEqual(secretLines(' hunter2 \n'), ['hunter2']);
    assert.deepEqual(secretLines(' \n \n'), []);
  });

  it('lists a repeated line once', () => {
    assert.deepEqual(secretLines('a\nb\na'), ['a\nb\na', 'a', 'b']);
  });
});
