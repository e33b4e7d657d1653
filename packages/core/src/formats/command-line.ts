/**
 * A credential_process value that every AWS client splits back to the same argv: each argument
 * quoted for its platform (quote-posix.ts, quote-windows.ts), plus one rule for the Go SDK v2's
 * INI reader, which strips a value's outer quotes when it starts and ends with the same quote
 * character: the line would then be split with its quotes inverted. So when the first and the
 * last argument are both quoted, the last one's safe tail (else the first one's safe head) is
 * written outside its quotes ("D:\a b"\cache, '/a b'/cache), which every splitter joins back.
 */
import { IamraError } from '../errors.js';
import { POSIX_SAFE_CHAR, quotePosix } from './quote-posix.js';
import { quoteWindows, WINDOWS_SAFE_CHAR } from './quote-windows.js';

interface Dialect {
  quote(arg: string): string;
  safeChar: RegExp;
}

const POSIX: Dialect = { quote: quotePosix, safeChar: POSIX_SAFE_CHAR };
const WINDOWS: Dialect = { quote: quoteWindows, safeChar: WINDOWS_SAFE_CHAR };
/** cmd.exe (which the JS and Go SDKs run the line through on Windows) refuses longer lines. */
const CMD_MAX_LINE = 8191;

function safeRun(chars: string[], safe: RegExp): number {
  let length = 0;
  while (length < chars.length && safe.test(chars[length] ?? '')) length += 1;
  return length;
}

function stripsOuterQuotes(line: string): boolean {
  return line.length >= 2 && (line[0] === '"' || line[0] === "'") && line[line.length - 1] === line[0];
}

/** Rewrites the last (else the first) word so the line no longer starts and ends with one quote. */
function keepOuterQuotes(words: string[], argv: string[], dialect: Dialect): void {
  const last = [...(argv[argv.length - 1] ?? '')];
  const tail = safeRun([...last].reverse(), dialect.safeChar);
  if (tail > 0 && tail < last.length) {
    const cut = last.length - tail;
    words[words.length - 1] = dialect.quote(last.slice(0, cut).join('')) + last.slice(cut).join('');
    return;
  }
  const first = [...(argv[0] ?? '')];
  const head = safeRun(first, dialect.safeChar);
  // On Windows a backslash right before the opening quote would escape it.
  if (head > 0 && head < first.length && first[head - 1] !== '\\') {
    words[0] = first.slice(0, head).join('') + dialect.quote(first.slice(head).join(''));
  }
}

export function buildCommandLine(argv: string[], platform: NodeJS.Platform = process.platform): string {
  const dialect = platform === 'win32' ? WINDOWS : POSIX;
  const words = argv.map((arg) => dialect.quote(arg));
  if (stripsOuterQuotes(words.join(' '))) keepOuterQuotes(words, argv, dialect);
  const line = words.join(' ');
  if (stripsOuterQuotes(line)) {
    throw new IamraError(
      'COMMAND_LINE_UNSAFE',
      'the credential_process line would start and end with a quote, which the Go SDK strips; use paths that do not start or end with a space or a special character',
    );
  }
  if (platform === 'win32' && line.length > CMD_MAX_LINE) {
    throw new IamraError(
      'COMMAND_LINE_UNSAFE',
      `the credential_process line has ${line.length} characters; cmd.exe runs at most ${CMD_MAX_LINE} (use shorter paths or fewer roles)`,
    );
  }
  return line;
}

/**
 * The credential_process value of a config file. On Windows only ASCII: the AWS CLI reads the
 * file in the system's code page (botocore's configparser without an encoding), the SDKs in
 * UTF-8, so no non-ASCII path reaches both intact.
 */
export function credentialProcessValue(argv: string[], platform: NodeJS.Platform = process.platform): string {
  const line = buildCommandLine(argv, platform);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: ASCII is the range checked
  const foreign = platform === 'win32' ? /[^\x00-\x7f]/.exec(line) : null;
  if (foreign) {
    throw new IamraError(
      'COMMAND_LINE_UNSAFE',
      `a path of the profile holds '${foreign[0]}'; on Windows the AWS CLI reads the config file in the system code page and the SDKs in UTF-8, so its paths must be ASCII (move the runner's work or temp directory, or use environment variables instead of a profile)`,
    );
  }
  return line;
}
