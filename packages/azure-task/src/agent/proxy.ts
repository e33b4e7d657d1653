/**
 * The agent's own proxy: a self-hosted agent configured with `--proxyurl` (or a `.proxy` file)
 * hands it to tasks as Agent.ProxyUrl, Agent.ProxyUsername, Agent.ProxyPassword (secret) and
 * Agent.ProxyBypassList (a JSON array of regular expressions matched against the request URL).
 * Without it, the transport's default applies: HTTPS_PROXY, HTTP_PROXY and NO_PROXY.
 */
import { IamraError, parseProxyUrl } from '@iamra/core';
import type { Agent } from './agent.js';

function bypassPatterns(list: string | undefined): RegExp[] {
  let entries: unknown;
  try {
    entries = JSON.parse(list || '[]');
  } catch {
    return [];
  }
  if (!Array.isArray(entries)) return [];
  return entries.flatMap((entry) => {
    try {
      return typeof entry === 'string' ? [new RegExp(entry, 'i')] : [];
    } catch {
      return [];
    }
  });
}

/** The proxy setting for one request URL: the agent's proxy URL, 'none' when bypassed, or 'env'. */
export function agentProxy(agent: Agent, requestUrl: string): string {
  const configured = agent.variable('Agent.ProxyUrl');
  if (!configured) return 'env';
  if (bypassPatterns(agent.variable('Agent.ProxyBypassList')).some((pattern) => pattern.test(requestUrl))) {
    return 'none';
  }
  let proxy: URL;
  try {
    proxy = parseProxyUrl(configured);
  } catch {
    throw new IamraError(
      'CONFIG_INVALID',
      "the agent's proxy (Agent.ProxyUrl) is not a URL; fix the agent's proxy configuration",
    );
  }
  const username = agent.variable('Agent.ProxyUsername');
  const password = agent.variable('Agent.ProxyPassword');
  if (username) proxy.username = encodeURIComponent(username);
  if (password) proxy.password = encodeURIComponent(password);
  return proxy.href;
}
