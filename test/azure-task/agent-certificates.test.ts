/**
 * The agent's certificate settings, as on an Azure DevOps Server behind a private CA that
 * demands client certificates: the secure files and CreateSession (and the profile's later
 * refreshes) are trusted only through Agent.CAInfo and authenticate with Agent.ClientCert*;
 * a trust failure is one clear error, not retried; a 200 error page is not taken for a key.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { readIniSection } from '@iamra/core';
import { type RunningEmulator, startEmulator } from '@iamra/emulator';
import {
  type AgentJob,
  newAgentJob,
  runTaskStep,
  type SecureFile,
  secureFileEnv,
  startSecureFileServer,
  type TaskRun,
} from '../support/azure-agent.js';
import { peers } from '../support/peers.js';
import { convertKey, makeCertificate, makePki } from '../support/pki.js';
import { azureMask, scanLog } from '../support/secret-scan.js';

describe("Azure task: the agent's certificate settings", function () {
  this.timeout(120_000);
  const pki = makePki({ subjectPrefix: 'agent-tls' });
  // The organisation's private CA: it signs the servers' certificates and the agent's client certificate.
  const privateCa = makeCertificate({ key: 'p256', ca: true, subject: '/CN=corp private CA' });
  const server = makeCertificate({
    key: 'p256',
    issuer: privateCa,
    subject: '/CN=devops.corp',
    keyUsage: 'critical,digitalSignature',
    extraExtensions: ['extendedKeyUsage = serverAuth', 'subjectAltName = IP:127.0.0.1,DNS:localhost'],
  });
  const client = makeCertificate({
    key: 'p256',
    issuer: privateCa,
    subject: '/CN=build agent',
    keyUsage: 'critical,digitalSignature',
    extraExtensions: ['extendedKeyUsage = clientAuth'],
  });
  const clientKeyPassword = 'agent client key password';
  const clientKey = convertKey(client.key, ['-aes256'], clientKeyPassword);
  const token = 'system-vss-connection-token-tls';
  const files: SecureFile[] = [
    {
      id: 'aaaa0000-0000-4000-8000-000000000001',
      name: 'cert.pem',
      ticket: 'tls-ticket-1',
      content: Buffer.from(pki.rsaLeaf.certPem),
    },
    {
      id: 'aaaa0000-0000-4000-8000-000000000002',
      name: 'key.pem',
      ticket: 'tls-ticket-2',
      content: Buffer.from(pki.rsaLeaf.keyPem),
    },
    {
      id: 'aaaa0000-0000-4000-8000-000000000003',
      name: 'chain.pem',
      ticket: 'tls-ticket-3',
      content: Buffer.from(pki.intermediate.certPem),
    },
    {
      id: 'aaaa0000-0000-4000-8000-000000000004',
      name: 'expired-ticket.pem',
      ticket: 'tls-ticket-4',
      content: Buffer.from(
        '{"$id":"1","message":"The download ticket has expired.","typeKey":"SecureFileTicketExpired"}',
      ),
    },
  ];
  let emulator: RunningEmulator;
  let secureFiles: Awaited<ReturnType<typeof startSecureFileServer>>;
  const logs: { log: string; secrets: string[] }[] = [];

  before(async () => {
    const tls = { cert: server.certPem, key: server.keyPem };
    emulator = await startEmulator({ cas: [pki.root.certPem], lifetimeMs: 175_000, tls });
    secureFiles = await startSecureFileServer(token, files, { tls: { ...tls, clientCa: privateCa.certPem } });
  });
  after(async () => {
    await emulator.stop();
    await secureFiles.stop();
  });

  const inputs = (keyFile = files[1]?.id ?? '') => ({
    trustAnchorArn: emulator.trustAnchorArns[0] ?? '',
    profileArn: emulator.profileArn,
    roleArn: emulator.roleArns[0] ?? '',
    endpoint: emulator.endpoint,
    certificateSecureFile: files[0]?.id ?? '',
    privateKeySecureFile: keyFile,
    certificateChainSecureFile: files[2]?.id ?? '',
    profileName: 'tls',
  });

  const agentCertificates = {
    AGENT_CAINFO: privateCa.certPath,
    AGENT_CLIENTCERT: client.certPath,
    AGENT_CLIENTCERTKEY: '',
    SECRET_AGENT_CLIENTCERTPASSWORD: clientKeyPassword,
    SYSTEM_DEBUG: 'true',
  };

  async function step(job: AgentJob, env: Record<string, string>, keyFile?: string): Promise<TaskRun> {
    const run = await runTaskStep(peers.node20(), 'main', job, inputs(keyFile), {
      ...secureFileEnv(secureFiles.collectionUri, token, files),
      ...env,
    });
    const credentials = ['AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN']
      .map((name) => run.variables[name]?.value ?? '')
      .filter(Boolean);
    logs.push({ log: run.stdout, secrets: [clientKeyPassword, token, pki.rsaLeaf.keyPem, ...credentials] });
    return run;
  }

  function errors(run: TaskRun): string[] {
    return run.commands.filter((c) => c.command === 'task.issue' && c.properties.type === 'error').map((c) => c.data);
  }

  it('without Agent.CAInfo: one TLS error naming the agent setting, not retried, exit code 0', async () => {
    const before = secureFiles.connections;
    const run = await step(newAgentJob(), { SYSTEM_DEBUG: 'true' });
    assert.equal(run.result?.status, 'Failed', run.stdout);
    assert.equal(run.exitCode, 0);
    assert.equal(errors(run).length, 1, run.stdout);
    assert.match(
      errors(run)[0] ?? '',
      /^TLS_UNTRUSTED: the TLS certificate of 127\.0\.0\.1:\d+ is not trusted \([A-Z_]+\); .*Agent\.CAInfo/,
    );
    assert.equal(secureFiles.connections - before, 1, 'a trust failure is not retried');
    assert.ok(
      run.commands.some((c) => c.command === 'task.debug'),
      'debug lines with system.debug',
    );
  });

  it('with Agent.CAInfo but no client certificate: one error naming the agent setting, not retried', async () => {
    const before = secureFiles.connections;
    const run = await step(newAgentJob(), { AGENT_CAINFO: privateCa.certPath });
    assert.equal(run.result?.status, 'Failed', run.stdout);
    assert.equal(run.exitCode, 0);
    assert.equal(errors(run).length, 1, run.stdout);
    assert.match(
      errors(run)[0] ?? '',
      /^TLS_CLIENT_CERT_REFUSED: 127\.0\.0\.1:\d+ refused the TLS client certificate \(ERR_SSL_[A-Z0-9_]+\); check the agent's client certificate settings \(config\.sh --sslclientcert/,
    );
    assert.equal(secureFiles.connections - before, 1, 'a refused client certificate is not retried');
  });

  it('with Agent.CAInfo and the client certificate: secure files, CreateSession and a later refresh', async () => {
    // The client key and its password, as `config.sh --sslclientcertkey --sslclientcertpassword` gives them.
    const job = newAgentJob();
    const keyPath = join(job.home, 'agent-client-key.pem');
    writeFileSync(keyPath, clientKey, { mode: 0o600 });
    const run = await step(job, { ...agentCertificates, AGENT_CLIENTCERTKEY: keyPath });
    assert.equal(run.result?.status, 'Succeeded', run.stdout);
    assert.equal(run.exitCode, 0);

    const configFile = run.variables.AWS_CONFIG_FILE?.value ?? '';
    const config = readFileSync(configFile, 'utf8');
    assert.ok(!config.includes(clientKeyPassword), 'no password in the AWS config');
    const command = readIniSection(config, 'profile tls')?.credential_process ?? '';
    assert.match(command, /--tls-file /);
    const tlsFile = /--tls-file ("[^"]+"|\S+)/.exec(command)?.[1]?.replace(/"/g, '') ?? '';
    assert.equal(statSync(tlsFile).mode & 0o777, 0o600);
    // The profile's own refresh (its cache emptied) trusts the emulator only through the same settings.
    const cacheDir = join(dirname(configFile), 'cache');
    for (const entry of readdirSync(cacheDir)) rmSync(join(cacheDir, entry));
    const sessions = emulator.stats().createSession;
    const refreshed = await promisify(execFile)('sh', ['-c', command], { env: { PATH: process.env.PATH ?? '' } });
    assert.match(refreshed.stdout, /"AccessKeyId"/);
    assert.equal(emulator.stats().createSession - sessions, 1);
  });

  it('with Agent.SkipCertValidation and the client certificate archive, and no CA', async () => {
    const job = newAgentJob();
    const pfx = join(job.home, 'agent-client.pfx');
    await promisify(execFile)('openssl', [
      'pkcs12',
      '-export',
      '-in',
      client.certPath,
      '-inkey',
      client.keyPath,
      '-out',
      pfx,
      '-passout',
      `pass:${clientKeyPassword}`,
    ]);
    const run = await step(job, {
      AGENT_CLIENTCERT: client.certPath,
      AGENT_CLIENTCERTARCHIVE: pfx,
      SECRET_AGENT_CLIENTCERTPASSWORD: clientKeyPassword,
      AGENT_SKIPCERTVALIDATION: 'true',
    });
    assert.equal(run.result?.status, 'Succeeded', run.stdout);
  });

  it('refuses an HTTP 200 whose body is an error page, with one error', async () => {
    const job = newAgentJob();
    const keyPath = join(job.home, 'agent-client-key.pem');
    writeFileSync(keyPath, clientKey, { mode: 0o600 });
    const run = await step(job, { ...agentCertificates, AGENT_CLIENTCERTKEY: keyPath }, files[3]?.id);
    assert.equal(run.result?.status, 'Failed', run.stdout);
    assert.equal(run.exitCode, 0);
    assert.deepEqual(errors(run).length, 1);
    assert.match(
      errors(run)[0] ?? '',
      /^FILE_UNREADABLE: input privateKeySecureFile: the service answered the download of secure file expired-ticket\.pem with a page that is not a certificate or key/,
    );
    assert.deepEqual(
      readdirSync(job.tempDir, { recursive: true }).filter((name) => String(name).includes('expired-ticket')),
      [],
      'the page was not written as the key',
    );
  });

  it('logs: every secret masked before it appears, also with system.debug', () => {
    assert.equal(logs.length, 5);
    for (const { log, secrets } of logs) {
      assert.deepEqual(
        scanLog(log, secrets, { maskedValue: azureMask, allowAfterMask: true, requireMasked: false }),
        [],
      );
      assert.ok(log.includes(`##vso[task.setsecret]${clientKeyPassword}`) || !log.includes(clientKeyPassword));
    }
  });
});
