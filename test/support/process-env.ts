/**
 * Runs `body` with some variables set in the real process.env and restores them after. The
 * object itself is never replaced: a plain object in its place stops reaching the C library's
 * environment, and a native module loaded later (SoftHSM2 reads SOFTHSM2_CONF) sees none of it.
 */
export async function withProcessEnv<T>(vars: Record<string, string | undefined>, body: () => Promise<T>): Promise<T> {
  const previous = Object.fromEntries(Object.keys(vars).map((name) => [name, process.env[name]]));
  const apply = (values: Record<string, string | undefined>) => {
    for (const [name, value] of Object.entries(values)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
  apply(vars);
  try {
    return await body();
  } finally {
    apply(previous);
  }
}
