/**
 * A credential_process value that parses back to the same argv. The AWS CLI splits it with
 * shlex (POSIX) or Windows rules; the JS SDK runs it through /bin/sh or cmd.exe. Arguments
 * that need no quoting stay bare; the rest are double-quoted with \ escapes, which all of
 * these read the same way for the paths and flags we write.
 */

const SAFE = /^[\w@%+=:,./-]+$/;

function quotePosix(arg: string): string {
  if (arg !== '' && SAFE.test(arg)) return arg;
  return `"${arg.replace(/(["\\$`])/g, '\\$1')}"`;
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
