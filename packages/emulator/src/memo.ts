/**
 * A bounded cache for pure functions of certificate bytes (facts, issuer signatures): the same
 * certificates arrive on every CreateSession of a pipeline, and re-deriving them dominated the
 * emulator's time per request. Cleared when full, so memory stays bounded whatever arrives.
 */
export function boundedMemo<V>(limit: number): (key: string, compute: () => V) => V {
  const entries = new Map<string, V>();
  return (key, compute) => {
    if (entries.has(key)) return entries.get(key) as V;
    const value = compute();
    if (entries.size >= limit) entries.clear();
    entries.set(key, value);
    return value;
  };
}
