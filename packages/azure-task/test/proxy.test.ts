/** The agent's proxy settings into the transport's proxy setting, per request URL. */
import assert from 'node:assert/strict';
import { IamraError } from '@iamra/core';
import { Agent } from '../src/agent/agent.js';
import { agentProxy } from '../src/agent/proxy.js';

const agent = (env: NodeJS.ProcessEnv) => new Agent({ env, stdout: { write: () => true } });
const SERVICE = 'https://rolesanywhere.eu-west-1.amazonaws.com';

describe("agent's proxy", () => {
  it('without Agent.ProxyUrl, leaves HTTPS_PROXY/HTTP_PROXY/NO_PROXY to the transport', () => {
    assert.equal(agentProxy(agent({}), SERVICE), 'env');
  });

  it('uses Agent.ProxyUrl with its user and secret password, percent-encoded', () => {
    const env = {
      AGENT_PROXYURL: 'http://proxy.corp:3128',
      AGENT_PROXYUSERNAME: 'CORP\\builder',
      SECRET_AGENT_PROXYPASSWORD: 'p@ss:w/rd',
    };
    const proxy = new URL(agentProxy(agent(env), SERVICE));
    assert.equal(proxy.host, 'proxy.corp:3128');
    assert.equal(decodeURIComponent(proxy.username), 'CORP\\builder');
    assert.equal(decodeURIComponent(proxy.password), 'p@ss:w/rd');
    assert.equal(agentProxy(agent({ AGENT_PROXYURL: 'proxy.corp:8080' }), SERVICE), 'http://proxy.corp:8080/');
  });

  it('bypasses the proxy when a bypass-list pattern matches the URL (case-insensitive); bad entries are ignored', () => {
    const env = { AGENT_PROXYURL: 'http://proxy.corp:3128', AGENT_PROXYBYPASSLIST: '["(", 7, "AMAZONAWS\\\\.com"]' };
    assert.equal(agentProxy(agent(env), SERVICE), 'none');
    assert.equal(agentProxy(agent(env), 'https://dev.azure.com/org'), 'http://proxy.corp:3128/');
    for (const list of ['not json', '{"a":1}']) {
      const other = { AGENT_PROXYURL: 'http://proxy.corp:3128', AGENT_PROXYBYPASSLIST: list };
      assert.equal(agentProxy(agent(other), SERVICE), 'http://proxy.corp:3128/');
    }
  });

  it('refuses a proxy URL that is not a URL, with one line that says where to fix it', () => {
    assert.throws(
      () => agentProxy(agent({ AGENT_PROXYURL: 'http://[bad' }), SERVICE),
      (error: unknown) =>
        error instanceof IamraError && error.code === 'CONFIG_INVALID' && /Agent\.ProxyUrl/.test(error.message),
    );
  });

  it('masks the proxy password with the job token and tickets', () => {
    const secrets = agent({ SECRET_AGENT_PROXYPASSWORD: 'pw', SECUREFILE_TICKET_x: 't' }).agentSecrets();
    assert.deepEqual(secrets.sort(), ['pw', 't']);
  });
});
