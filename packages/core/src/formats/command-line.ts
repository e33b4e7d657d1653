/**
 * A credential_process value that parses back to the same argv. The AWS CLI splits it with
 * Python's shlex (POSIX) or Windows rules; the JS SDK runs it through /bin/sh or cmd.exe.
 * On POSIX, single quotes mean the same to shlex and sh (no escapes inside), and a single quote
 * is written as '"'"'; on Windows, double quotes with the CommandLineToArgv backslash rules.
 * The line then sits in an INI file, and the JS SDK's INI reader cuts a line at whitespace
 * followed by # or ; (an inline comment): on POSIX such a # or ; is written outside the quotes,
 * backslash-escaped ('a '\#'b'), which sh and shlex read back as the same character.
 */

const SAFE = /^[\w@%+=:,./-]+$/;

function quotePosix(arg: string): string {
  if (arg !== '' && SAFE.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'"'"'`)}'`.replace(/(\s)([#;])/g, "$1'\\$2'");
}

function quoteWindows(arg: string): string {
  if (arg !== '' && SAFE.test(arg.replace(/\\/g, '/'))) return arg;
  // Backslashes before a quote are doubled; a trailing run too, since the closing quote follows.
  const escaped = arg.replace(/(\\*)"/g, '$1$1\\"').replace(/(\\+)$/, '$1$1');
  return `"${escaped}"`;
}

export function buildCommandLine(argv: string[], platform: NodeJS.Platform = process.platform): string {
  const quote = platform === 'win32' ? quoteWindows : quotePosix;
  return argv.map(quote).join(' ');
}
