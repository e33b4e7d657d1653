/**
 * The credential_process line builder's own rules, on both platforms (test/security's
 * windows-command-line suite checks the same lines with botocore's and the SDKs' splitters).
 */
import assert from 'node:assert/strict';
import { IamraError } from '@iamra/core';
import { buildCommandLine, credentialProcessValue } from '../../src/formats/command-line.js';

const unsafe = (message: RegExp) => (error: unknown) => {
  assert.ok(error instanceof IamraError, String(error));
  assert.equal(error.code, 'COMMAND_LINE_UNSAFE');
  assert.match(error.message, message);
  return true;
};

describe('credential_process line: the Go SDK strips outer quotes', () => {
  it('moves the last argument’s plain tail outside its quotes (POSIX)', () => {
    assert.equal(
      buildCommandLine(['/a b/node', '/x/cli.js', '/c d/cache'], 'linux'),
      "'/a b/node' /x/cli.js '/c 'd/cache",
    );
  });

  it('else moves the first argument’s plain head outside its quotes', () => {
    assert.equal(buildCommandLine(['/a b/node', '/x/cli.js', 'x '], 'linux'), "/a' b/node' /x/cli.js 'x '");
    assert.equal(buildCommandLine(['C:\\a b\\node.exe', 'x '], 'win32'), 'C:\\a" b\\node.exe" "x "');
  });

  it('does the same under Windows rules', () => {
    assert.equal(
      buildCommandLine(['C:\\a b\\node.exe', 'D:\\c d\\cache'], 'win32'),
      '"C:\\a b\\node.exe" "D:\\c "d\\cache',
    );
  });

  it('refuses a line that would still start and end with a quote', () => {
    assert.throws(() => buildCommandLine([' x', 'y '], 'linux'), unsafe(/start and end with a quote/));
  });
});

describe('credential_process line: Windows limits', () => {
  it("refuses a line longer than cmd.exe's 8191 characters", () => {
    assert.throws(
      () => buildCommandLine(['node', 'a'.repeat(9000)], 'win32'),
      unsafe(/9005 characters; cmd\.exe runs at most 8191/),
    );
    assert.equal(buildCommandLine(['node', 'a'.repeat(9000)], 'linux').length, 9005);
  });

  it('refuses non-ASCII paths on Windows only, naming the character', () => {
    assert.throws(
      () => credentialProcessValue(['node', 'C:\\Zoë\\cli.js'], 'win32'),
      unsafe(/holds 'ë'.*must be ASCII/),
    );
    assert.equal(credentialProcessValue(['node', '/Zoë/cli.js'], 'linux'), "node '/Zoë/cli.js'");
  });
});
