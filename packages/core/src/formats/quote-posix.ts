/**
 * One argument of a credential_process line for POSIX. The AWS CLI splits the line with Python's
 * shlex, the JS and Go SDKs run it through /bin/sh: single quotes mean the same to both (no
 * escapes inside), and a single quote is written as '"'"'. The JS and Go SDKs' INI readers cut a
 * line at whitespace followed by # or ; (an inline comment): such a # or ; is written outside the
 * quotes, backslash-escaped ('a '\#'b'), which sh and shlex read back as the same character.
 */

/** Characters that neither sh nor shlex treat specially. */
export const POSIX_SAFE_CHAR = /[\w@%+=:,./-]/;
const SAFE = /^[\w@%+=:,./-]+$/;

export function quotePosix(arg: string): string {
  if (arg !== '' && SAFE.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'"'"'`)}'`.replace(/(\s)([#;])/g, "$1'\\$2'");
}
