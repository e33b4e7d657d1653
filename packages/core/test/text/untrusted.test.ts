/**
 * Untrusted text through the neutralisers, checked against what the readers of our output act
 * on: the Azure agent's `##vso[` anywhere, the GitHub runner's `##[` anywhere and `::` at a line
 * start (with .NET's culture-aware matching, which skips ignorable characters), line breaks,
 * ANSI escapes, bidi and zero-width characters, and Markdown.
 */
import assert from 'node:assert/strict';
import { HOSTILE_TEXT, injectedCommands } from '../../../../test/support/log-commands.js';
import { IamraError } from '../../src/errors.js';
import { neutralizeForLog, neutralizeForMarkdown } from '../../src/text/untrusted.js';

const commandsIn = (printed: string) => injectedCommands(printed);

describe('neutralizeForLog', () => {
  for (const text of HOSTILE_TEXT) {
    it(`leaves nothing to act on: ${neutralizeForLog(JSON.stringify(text))}`, () => {
      const safe = neutralizeForLog(text);
      assert.deepEqual(commandsIn(safe), []);
      assert.doesNotMatch(safe, /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}]/u);
      assert.equal(neutralizeForLog(safe), safe, 'neutralising twice changes nothing');
      assert.deepEqual(commandsIn(`prefix ${safe}`), []);
      assert.deepEqual(commandsIn(safe.trim()), []);
    });
  }

  it('keeps ordinary text readable and shows what it replaced', () => {
    assert.equal(neutralizeForLog('CN=ci-deploy,O=Example'), 'CN=ci-deploy,O=Example');
    assert.equal(
      neutralizeForLog('arn:aws:sts::123456789012:assumed-role/deploy/s'),
      'arn:aws:sts::123456789012:assumed-role/deploy/s',
    );
    assert.equal(neutralizeForLog('a\nb\u202ec'), 'a\\u000ab\\u202ec');
    assert.equal(neutralizeForLog('x ##vso[y]'), 'x **vso[y]');
    assert.equal(neutralizeForLog('::x::y'), '\\::x::y');
    assert.equal(neutralizeForLog('Zürich 東京 🚀'), 'Zürich 東京 🚀');
  });

  it('caps a long text and says how much was left out', () => {
    const safe = neutralizeForLog('x'.repeat(2000), 100);
    assert.equal(safe, `${'x'.repeat(100)}… (1900 more characters)`);
    assert.equal(neutralizeForLog(undefined), '');
  });

  it('a split surrogate pair is shown, not printed half', () => {
    assert.equal(neutralizeForLog('a\ud800b'), 'a\\ud800b');
  });
});

describe('neutralizeForMarkdown', () => {
  const cases: [string, RegExp][] = [
    ['[click](https://evil.example)', /\\\[click\\\]\\\(https\\:\\\/\\\/evil\\\.example\\\)/],
    ['![img](http://x/p.png)', /^\\!\\\[img\\\]/],
    ['<img src=x onerror=alert(1)>', /^\\<img src\\=x/],
    ['a | b', /^a \\\| b$/],
    ['&lt;script&gt;', /^\\&lt\\;script/],
    ['www.evil.example', /^www\\\.evil\\\.example$/],
    ['*bold* _em_ `code` ~~s~~', /^\\\*bold\\\* \\_em\\_ \\`code\\` \\~\\~s\\~\\~$/],
  ];
  for (const [text, expected] of cases) {
    it(`shows ${neutralizeForLog(JSON.stringify(text))} literally`, () => {
      const safe = neutralizeForMarkdown(text);
      assert.match(safe, expected);
      assert.doesNotMatch(safe, /(^|[^\\])[[\]()<>|!&*_`~]/, 'every Markdown character escaped');
    });
  }

  it('is one line with no command for the log either', () => {
    for (const text of HOSTILE_TEXT) {
      const safe = neutralizeForMarkdown(text);
      assert.deepEqual(commandsIn(safe), []);
      assert.doesNotMatch(safe, /[\r\n]/);
    }
  });
});

describe('IamraError lines', () => {
  it('a hostile service message or request id cannot make a command or a second line', () => {
    const error = new IamraError('CREATE_SESSION_DENIED', 'CreateSession failed: ##vso[task.setvariable variable=A]b', {
      requestId: 'id\n::error::x',
    });
    assert.deepEqual(commandsIn(`iamra: ${error.toLine()}`), []);
    assert.doesNotMatch(error.toLine(), /\n/);
  });
});
