/**
 * The agent's own proxy: a self-hosted agent configured with `--proxyurl` (or a `.proxy` file)
 * hands it to tasks as Agent.ProxyUrl, Agent.ProxyUsername, Agent.ProxyPassword (secret) and
 * Agent.ProxyBypassList; task-lib's getHttpProxyConfiguration applies the bypass list. Without
 * it, the transport's default applies: HTTPS_PROXY, HTTP_PROXY and NO_PROXY.
 */
import { IamraError, parseProxyUrl } from '@iamra/core';
import type { Agent, AgentProxy } from './agent.js';

/** The proxy URL with its user and password percent-encoded (task-lib's proxyFormattedUrl is not). */
export function agentProxyUrl(configuration: AgentProxy): string {
  let proxy: URL;
  try {
    proxy = parseProxyUrl(configuration.proxyUrl);
  } catch {
    throw new IamraError(
      'CONFIG_INVALID',
      "the agent's proxy (Agent.ProxyUrl) is not a URL; fix the agent's proxy configuration",
    );
  }
  if (configuration.proxyUsername) proxy.username = encodeURIComponent(configuration.proxyUsername);
  if (configuration.proxyPassword) proxy.password = encodeURIComponent(configuration.proxyPassword);
  return proxy.href;
}

/** The proxy setting for one request URL: the agent's proxy URL, 'none' when bypassed, or 'env'. */
export function agentProxy(agent: Agent, requestUrl: string): string {
  if (!agent.variable('Agent.ProxyUrl')) return 'env';
  let configuration: ReturnType<Agent['proxy']>;
  try {
    configuration = agent.proxy(requestUrl);
  } catch {
    throw new IamraError(
      'CONFIG_INVALID',
      "the agent's proxy bypass list (Agent.ProxyBypassList) is not a JSON list of regular expressions; fix the agent's .proxybypass file",
    );
  }
  return configuration ? agentProxyUrl(configuration) : 'none';
}
