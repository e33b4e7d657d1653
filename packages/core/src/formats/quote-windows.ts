/**
 * One argument of a credential_process line for Windows. Three readers split that line:
 * - botocore (the AWS CLI v2): compat_shell_split(line, platform="win32"), the C runtime's rules:
 *   only " quotes, and backslashes are literal unless a run of them comes before a ";
 * - the JS SDK v3: child_process.exec, so cmd.exe /d /s /c "line", then node.exe's C runtime;
 * - the Go SDK v2: cmd.exe /C with the whole line as one argument, then the C runtime.
 * cmd.exe toggles its quote state at every " (a backslash does not escape it), expands %NAME%
 * even inside quotes (and !NAME! where delayed expansion is on), and treats & | < > ( ) ^
 * specially outside quotes. So an argument holding " % ! or a control character is refused;
 * any other that is not plainly safe goes in double quotes, where cmd.exe and the C runtime
 * agree, with the backslashes before a closing quote doubled.
 * The line sits in an INI file whose JS and Go readers cut it at whitespace followed by # or ;
 * (an inline comment): the quotes are closed around such a # or ; ("a "#"b"), and every
 * splitter joins the pieces back into one argument.
 */
import { IamraError } from '../errors.js';

/** Characters that neither cmd.exe nor the C runtime treat specially outside quotes. */
export const WINDOWS_SAFE_CHAR = /[\w@+:./\\-]/;
const SAFE = /^[\w@+:./\\-]+$/;
const REFUSED: ReadonlyArray<[RegExp, string]> = [
  [/"/, 'a double quote, which cmd.exe and the C runtime split differently'],
  [/%/, 'a %, which cmd.exe expands (%NAME%) even inside quotes'],
  [/!/, 'a !, which cmd.exe expands (!NAME!) where delayed expansion is on'],
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
  [/[\x00-\x1f\x7f]/, 'a control character, which no config file line can hold'],
];

function quoted(text: string): string {
  return `"${text.replace(/(\\+)$/, '$1$1')}"`;
}

/** Throws COMMAND_LINE_UNSAFE for an argument no Windows reader gets back intact. */
export function checkWindowsArgument(arg: string): void {
  for (const [pattern, why] of REFUSED) {
    if (pattern.test(arg)) {
      throw new IamraError(
        'COMMAND_LINE_UNSAFE',
        `'${arg.slice(0, 200)}' holds ${why}; the credential_process line cannot carry it on Windows (use a path without it)`,
      );
    }
  }
}

export function quoteWindows(arg: string): string {
  checkWindowsArgument(arg);
  if (arg !== '' && SAFE.test(arg)) return arg;
  // Split before each # or ; that follows whitespace; that character stays outside the quotes.
  const [head = '', ...rest] = arg.split(/(?<=\s)(?=[#;])/);
  return [quoted(head), ...rest.map((part) => part[0] + (part.length > 1 ? quoted(part.slice(1)) : ''))].join('');
}
