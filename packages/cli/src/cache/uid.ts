/** The uid cache files must belong to (undefined on Windows, where permission bits mean nothing). */
export function currentUid(): number | undefined {
  return typeof process.getuid === 'function' ? process.getuid() : undefined;
}
