/** Which proxy, if any, a URL goes through: curl's conventions for the *_PROXY variables. */

function variable(env: NodeJS.ProcessEnv, name: string): string | undefined {
  return env[name.toLowerCase()] || env[name.toUpperCase()] || undefined;
}

/** NO_PROXY entries: `*`, hosts, domain suffixes (with or without a leading dot), host:port. */
export function bypassesProxy(url: URL, noProxy: string | undefined): boolean {
  if (!noProxy) return false;
  const host = url.hostname.toLowerCase().replace(/^\[|\]$/g, '');
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  return noProxy
    .split(/[\s,]+/)
    .filter(Boolean)
    .some((entry) => {
      if (entry === '*') return true;
      const [entryHost = '', entryPort] = entry.toLowerCase().split(/:(?=\d+$)/);
      if (entryPort && entryPort !== port) return false;
      const suffix = entryHost.replace(/^\*?\./, '');
      return host === suffix || host.endsWith(`.${suffix}`);
    });
}

/** A proxy as users write it: a URL, or host:port meaning http://host:port. Throws if not a URL. */
export function parseProxyUrl(value: string): URL {
  return new URL(value.includes('://') ? value : `http://${value}`);
}

/** The Proxy-Authorization header for a proxy URL that carries user:password, if it does. */
export function proxyAuthorization(proxy: URL): string | undefined {
  if (!proxy.username) return undefined;
  const credentials = `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`;
  return `Basic ${Buffer.from(credentials).toString('base64')}`;
}

/** `noProxy`, when given, takes the place of NO_PROXY (an Action's no-proxy input, the CLI's --no-proxy-hosts). */
export function proxyFor(
  url: URL,
  setting: 'env' | 'none' | string,
  env: NodeJS.ProcessEnv,
  noProxy?: string,
): URL | undefined {
  if (setting === 'none') return undefined;
  if (bypassesProxy(url, noProxy ?? variable(env, 'no_proxy'))) return undefined;
  if (setting !== 'env') return new URL(setting);
  const value =
    url.protocol === 'https:'
      ? (variable(env, 'https_proxy') ?? variable(env, 'http_proxy'))
      : variable(env, 'http_proxy');
  if (!value) return undefined;
  return parseProxyUrl(value);
}
