/**
 * The credential_process line under Windows rules, over hostile paths (spaces, backslashes,
 * & ^ ( ) | < >, # and ; after a space, quotes, %, !, non-ASCII, UNC, trailing backslashes).
 * Each line is written into a real config file and read back by botocore's own config loader
 * and splitter, compat_shell_split(line, platform="win32") (what the AWS CLI v2 does on Windows),
 * and by the SDK v3's INI loader; then checked against what cmd.exe (the JS and Go SDKs run the
 * line through it) and the Go SDK's INI reader would do with it. No Windows machine here: cmd.exe
 * and the Go reader are checked by their documented rules, not run.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildCommandLine, IamraError, upsertIniSection } from '@iamra/core';
import { botocoreReads, sdkV3ReadsLine } from '../support/config-readers.js';
import { testDir } from '../support/pki.js';

const NODE = 'C:\\Program Files\\nodejs\\node.exe';
const CLI = 'D:\\a\\_actions\\iamra\\iamra\\v1\\dist\\cli\\index.js';

/** Arguments every Windows reader must get back exactly. */
const HOSTILE: Record<string, string> = {
  plain: 'D:\\a\\_temp\\iamra\\profiles\\dev\\private-key',
  space: 'C:\\actions runner\\_work\\_temp\\iamra\\cache',
  'trailing backslash': 'C:\\Users\\runner admin\\Temp\\',
  'trailing backslashes, no space': 'D:\\x\\\\',
  'backslash runs': 'D:\\a b\\\\\\c\\\\',
  UNC: '\\\\server\\share\\dir with space\\key',
  ampersand: 'D:\\R&D\\_temp & more\\key',
  caret: 'D:\\caret^dir\\^x',
  'cmd operators': 'D:\\a|b<c>d\\(e)\\key',
  'hash after space': 'D:\\job #1\\key',
  'semicolon after space': 'D:\\job ;1\\key',
  'hash at start': '#start',
  'single quote': "D:\\it's\\key",
  'backslash t and n': 'D:\\tools\\new\\key',
  'non-ASCII': 'D:\\ünïcödé\\日本語\\ключ',
  empty: '',
  'role session name': 'a=b,c@d+e.f-g',
  ARN: 'arn:aws:rolesanywhere:eu-west-1:111122223333:trust-anchor/0c5a2b1e',
};

/** Arguments no Windows reader can be trusted with: refused, one line, nothing written. */
const REFUSED: Record<string, string> = {
  percent: 'D:\\100%\\key',
  'percent variable': '%USERPROFILE%\\key',
  'double quote': 'D:\\say "hi"\\key',
  bang: 'D:\\wow!\\key',
  'line break': 'D:\\a\nb',
  'carriage return': 'D:\\a\rb',
  tab: 'D:\\job\t#1\\key',
};

/** cmd.exe: its quote state flips at every ", and nothing but these may stand outside quotes. */
function outsideCmdQuotes(line: string): string {
  let quoted = false;
  let outside = '';
  for (const char of line) {
    if (char === '"') quoted = !quoted;
    else if (!quoted) outside += char;
  }
  assert.equal(quoted, false, 'cmd.exe quotes balanced');
  return outside;
}

function assertWindowsReadersAgree(line: string): void {
  assert.match(outsideCmdQuotes(line), /^[\w@+:./\\ #;-]*$/, `nothing cmd.exe acts on outside quotes: ${line}`);
  // The Go SDK v2's INI reader strips a value's outer quotes when both ends hold the same one.
  assert.ok(!/^(["']).*\1$/s.test(line), `the Go SDK would strip the outer quotes: ${line}`);
  // The JS and Go INI readers cut a line at whitespace followed by # or ;.
  assert.doesNotMatch(line, /\s[#;]/, 'no inline comment for the INI readers');
  assert.ok(line.length <= 8191, 'cmd.exe line limit');
}

/** Writes each line as [profile p<i>] in one config file; botocore and the SDK v3 read them back. */
async function readBack(lines: string[]): Promise<{ botocore: string[][]; sdkV3: (string | undefined)[] }> {
  const file = join(testDir(), 'config');
  let text = '';
  lines.forEach((line, index) => {
    text = upsertIniSection(text, `profile p${index}`, { region: 'eu-west-1', credential_process: line });
  });
  writeFileSync(file, text);
  const reads = botocoreReads(lines.map((_, index) => ({ file, section: `profile p${index}`, platform: 'win32' })));
  reads.forEach((read, index) => {
    assert.equal(read.value, lines[index], 'botocore reads the line as written');
  });
  const sdkV3 = await Promise.all(lines.map((_, index) => sdkV3ReadsLine(file, `p${index}`)));
  return { botocore: reads.map((read) => read.argv), sdkV3 };
}

describe('security: the credential_process line under Windows rules', function () {
  this.timeout(60_000);
  const cases = Object.entries(HOSTILE);

  it('botocore (win32 rules) and the SDK v3 read every hostile argument back exactly', async () => {
    const argvs = cases.map(([, arg]) => [
      NODE,
      CLI,
      'credential-process',
      '--certificate',
      arg,
      '--region',
      'eu-west-1',
    ]);
    const lines = argvs.map((argv) => buildCommandLine(argv, 'win32'));
    const { botocore, sdkV3 } = await readBack(lines);
    cases.forEach(([name], index) => {
      assert.deepEqual(botocore[index], argvs[index], `${name}: ${lines[index]}`);
      assert.equal(sdkV3[index], lines[index], `${name}: the SDK v3 reads the whole line`);
      assertWindowsReadersAgree(lines[index] ?? '');
    });
  });

  it('each hostile argument as the last one, and as the program, still splits back', async () => {
    const argvs = cases.flatMap(([, arg]) => [
      [NODE, CLI, 'credential-process', '--cache-dir', arg],
      [`C:\\x y\\${arg}`, CLI, arg || 'x'],
    ]);
    const lines = argvs.map((argv) => buildCommandLine(argv, 'win32'));
    const { botocore } = await readBack(lines);
    argvs.forEach((argv, index) => {
      assert.deepEqual(botocore[index], argv, lines[index]);
      assertWindowsReadersAgree(lines[index] ?? '');
    });
  });

  it('a quoted program and a quoted last argument: the last one ends outside its quotes (Go SDK)', async () => {
    const argv = [NODE, CLI, '--cache-dir', 'D:\\job & co\\cache'];
    const line = buildCommandLine(argv, 'win32');
    assert.equal(line, `"${NODE}" ${CLI} --cache-dir "D:\\job & "co\\cache`);
    assert.deepEqual((await readBack([line])).botocore[0], argv);
  });

  it('the line starts plainly when the last argument ends in a special character', async () => {
    const argv = ['C:\\node js\\node.exe', CLI, 'D:\\a (1)'];
    const line = buildCommandLine(argv, 'win32');
    assert.equal(line, `C:\\node" js\\node.exe" ${CLI} "D:\\a (1)"`);
    assert.deepEqual((await readBack([line])).botocore[0], argv);
  });

  for (const [name, arg] of Object.entries(REFUSED)) {
    it(`refuses ${name} with one line (COMMAND_LINE_UNSAFE)`, () => {
      assert.throws(
        () => buildCommandLine([NODE, CLI, '--certificate', arg], 'win32'),
        (error: unknown) =>
          error instanceof IamraError &&
          error.code === 'COMMAND_LINE_UNSAFE' &&
          !error.toLine().includes('\n') &&
          /Windows/.test(error.message),
      );
    });
  }

  it('refuses a line longer than cmd.exe runs', () => {
    const long = `D:\\${'x'.repeat(9000)}`;
    assert.throws(
      () => buildCommandLine([NODE, CLI, long], 'win32'),
      (error: unknown) => error instanceof IamraError && /8191/.test(error.message),
    );
  });

  it('POSIX lines keep their rules: the same hostile arguments through botocore (shlex)', async () => {
    const argvs = cases.map(([, arg]) => [
      '/opt/node js/bin/node',
      '/a/cli.js',
      '--cache-dir',
      arg.replace(/\\/g, '/'),
    ]);
    const file = join(testDir(), 'config');
    let text = '';
    const lines = argvs.map((argv) => buildCommandLine(argv, 'linux'));
    lines.forEach((line, index) => {
      text = upsertIniSection(text, `profile p${index}`, { credential_process: line });
    });
    writeFileSync(file, text);
    const reads = botocoreReads(lines.map((_, index) => ({ file, section: `profile p${index}`, platform: 'linux' })));
    reads.forEach((read, index) => {
      assert.deepEqual(read.argv, argvs[index], lines[index]);
      assert.ok(!/^(["']).*\1$/s.test(lines[index] ?? ''), `the Go SDK would strip the outer quotes: ${lines[index]}`);
    });
  });
});
