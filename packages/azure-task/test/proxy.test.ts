/** The agent's proxy settings (as task-lib's getHttpProxyConfiguration returns them) into a proxy URL. */
import assert from 'node:assert/strict';
import { IamraError } from '@iamra/core';
import { agentProxyUrl } from '../src/agent/proxy.js';

describe("agent's proxy", () => {
  it('adds the user and secret password, percent-encoded', () => {
    const proxy = new URL(
      agentProxyUrl({ proxyUrl: 'http://proxy.corp:3128', proxyUsername: 'CORP\\builder', proxyPassword: 'p@ss:w/rd' }),
    );
    assert.equal(proxy.host, 'proxy.corp:3128');
    assert.equal(decodeURIComponent(proxy.username), 'CORP\\builder');
    assert.equal(decodeURIComponent(proxy.password), 'p@ss:w/rd');
  });

  it('takes host:port as http:// and keeps an https:// proxy', () => {
    assert.equal(agentProxyUrl({ proxyUrl: 'proxy.corp:8080' }), 'http://proxy.corp:8080/');
    assert.equal(agentProxyUrl({ proxyUrl: 'https://proxy.corp:8443' }), 'https://proxy.corp:8443/');
  });

  it('refuses a proxy that is not a URL, without quoting it', () => {
    assert.throws(
      () => agentProxyUrl({ proxyUrl: 'http://[bad', proxyPassword: 'secret-pw' }),
      (error: unknown) =>
        error instanceof IamraError &&
        error.code === 'CONFIG_INVALID' &&
        /Agent\.ProxyUrl/.test(error.message) &&
        !error.message.includes('secret-pw'),
    );
  });
});
