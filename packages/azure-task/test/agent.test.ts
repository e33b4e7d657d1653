/** The agent contract spoken directly: what the task reads from the environment and writes to stdout. */
import assert from 'node:assert/strict';
import { commandFromString } from 'azure-pipelines-task-lib/taskcommand.js';
import { Agent, variableKey } from '../src/agent/agent.js';

function agentWith(env: NodeJS.ProcessEnv): { agent: Agent; lines: () => string[]; env: NodeJS.ProcessEnv } {
  let out = '';
  const agent = new Agent({ env, stdout: { write: (text: string) => (out += text) } });
  return { agent, env, lines: () => out.split('\n').filter(Boolean) };
}

/** Parsed by task-lib's own parser, the one its tests and tools use for the agent's format. */
function parsed(line: string): { command: string; properties: Record<string, string>; message: string } {
  const command = commandFromString(line) as { command: string; properties: Record<string, string>; message: string };
  return { command: command.command, properties: { ...command.properties }, message: command.message };
}

describe('Agent contract', () => {
  it('names variables as the agent does: dots and spaces to underscores, upper case', () => {
    assert.equal(variableKey('Agent.TempDirectory'), 'AGENT_TEMPDIRECTORY');
    assert.equal(variableKey('my var.name'), 'MY_VAR_NAME');
  });

  it('reads inputs, variables, endpoint auth and secure-file data, then removes secrets from the environment', () => {
    const { agent, env } = agentWith({
      INPUT_TRUSTANCHORARN: 'arn:ta',
      INPUT_EMPTY: '',
      AGENT_TEMPDIRECTORY: '/agent/_temp',
      SECRET_MY_SECRET: 's3cret',
      ENDPOINT_AUTH_PARAMETER_SYSTEMVSSCONNECTION_ACCESSTOKEN: 'token-123',
      ENDPOINT_AUTH_SCHEME_SYSTEMVSSCONNECTION: 'OAuth',
      SECUREFILE_TICKET_abc: 'ticket-abc',
      SECUREFILE_NAME_abc: 'leaf.pem',
      COMMAND_CORRELATION_ID: 'corr-1',
      PATH: '/bin',
    });
    assert.equal(agent.input('trustAnchorArn'), 'arn:ta');
    assert.equal(agent.input('empty'), undefined);
    assert.equal(agent.input('missing'), undefined);
    assert.equal(agent.variable('Agent.TempDirectory'), '/agent/_temp');
    assert.equal(agent.variable('my.secret'), 's3cret');
    assert.equal(agent.endpointAuthParameter('SYSTEMVSSCONNECTION', 'AccessToken'), 'token-123');
    assert.equal(agent.secureFileTicket('abc'), 'ticket-abc');
    assert.equal(agent.secureFileName('abc'), 'leaf.pem');
    assert.deepEqual(agent.agentSecrets().sort(), ['ticket-abc', 'token-123']);
    assert.deepEqual(Object.keys(env).sort(), ['AGENT_TEMPDIRECTORY', 'PATH', 'SECUREFILE_NAME_abc']);
  });

  it('writes commands task-lib parses back to the same values, escaping %, CR, LF, ; and ]', () => {
    const { agent, lines } = agentWith({});
    const tricky = 'a%b;c]d\r\ne%AZP25';
    agent.setVariable('X', tricky, { isOutput: true });
    agent.setSecret('p%s;w]d');
    const [variable, secret] = lines().map(parsed);
    assert.deepEqual(variable, {
      command: 'task.setvariable',
      properties: { variable: 'X', isOutput: 'true', issecret: 'false' },
      message: tricky,
    });
    assert.deepEqual(secret, { command: 'task.setsecret', properties: {}, message: 'p%s;w]d' });
    const { agent: other, lines: otherLines } = agentWith({});
    other.setVariable('a;b]c', 'v');
    assert.equal(parsed(otherLines()[0] ?? '').properties.variable, 'a;b]c');
  });

  it('keeps a non-secret variable for the rest of the step, never a secret one', () => {
    const { agent, env } = agentWith({});
    agent.setVariable('AWS_REGION', 'eu-west-1');
    agent.setVariable('AWS_SECRET_ACCESS_KEY', 'k', { secret: true });
    assert.equal(env.AWS_REGION, 'eu-west-1');
    assert.equal(env.AWS_SECRET_ACCESS_KEY, undefined);
  });

  it('refuses to register a multi-line secret (the agent masks single lines only)', () => {
    const { agent, lines } = agentWith({});
    agent.setSecret('line1\nline2');
    agent.setSecret('');
    assert.deepEqual(lines(), []);
  });

  it('reports issues with the correlation id, and a failure as an error issue then task.complete', () => {
    const { agent, lines } = agentWith({ COMMAND_CORRELATION_ID: 'corr-7' });
    agent.warning('careful');
    agent.complete('Failed', 'CERT_EXPIRED: the certificate expired');
    const [warning, error, complete] = lines().map(parsed);
    assert.deepEqual(warning, {
      command: 'task.issue',
      properties: { type: 'warning', source: 'TaskInternal', correlationId: 'corr-7' },
      message: 'careful',
    });
    assert.equal(error?.properties.type, 'error');
    assert.equal(error?.message, 'CERT_EXPIRED: the certificate expired');
    assert.deepEqual(complete, {
      command: 'task.complete',
      properties: { result: 'Failed' },
      message: 'CERT_EXPIRED: the certificate expired',
    });
  });

  it('leaves out an empty correlation id, uploads summaries and prints plain lines', () => {
    const { agent, lines } = agentWith({});
    agent.error('boom');
    agent.uploadSummary('/tmp/summary.md');
    agent.info('plain');
    agent.complete('Succeeded', 'ok');
    assert.deepEqual(lines(), [
      '##vso[task.issue type=error;source=TaskInternal;]boom',
      '##vso[task.uploadsummary]/tmp/summary.md',
      'plain',
      '##vso[task.complete result=Succeeded;]ok',
    ]);
  });
});
