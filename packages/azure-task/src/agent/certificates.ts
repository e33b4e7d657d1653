/**
 * The agent's certificate settings (`config.sh --sslcacert --sslclientcert --sslclientcertkey
 * --sslclientcertarchive --sslclientcertpassword --sslskipcertvalidation`), which the agent
 * hands tasks as Agent.CAInfo, Agent.ClientCert* and Agent.SkipCertValidation: applied to the
 * secure-file download, CreateSession and the profile's later refreshes.
 */
import type { TlsFiles } from '@iamra/core';
import type { Agent, AgentCertificates } from './agent.js';

/** How to fix an untrusted certificate on an agent. */
export const AGENT_TRUST_HINT =
  "add its CA to the agent's certificate settings (config.sh --sslcacert, which tasks get as Agent.CAInfo)";

/** How to fix a client certificate the server refused, on an agent. */
export const AGENT_CLIENT_CERT_HINT =
  "check the agent's client certificate settings (config.sh --sslclientcert with --sslclientcertkey or --sslclientcertarchive, and --sslclientcertpassword)";

export function agentTlsFiles(agent: Agent): TlsFiles {
  return tlsFilesFrom(agent.certificates(), agent.variable('Agent.SkipCertValidation'));
}

/** A PEM client certificate with its key wins over an archive; the password goes with either. */
export function tlsFilesFrom(certificates: AgentCertificates | undefined, skipCertValidation?: string): TlsFiles {
  const skip = skipCertValidation?.toLowerCase() === 'true';
  const files: TlsFiles = {};
  if (certificates?.caFile) files.caFile = certificates.caFile;
  if (certificates?.certFile && certificates.keyFile) {
    files.certFile = certificates.certFile;
    files.keyFile = certificates.keyFile;
  } else if (certificates?.certArchiveFile) {
    files.pfxFile = certificates.certArchiveFile;
  }
  if ((files.keyFile || files.pfxFile) && certificates?.passphrase) files.passphrase = certificates.passphrase;
  if (skip) files.rejectUnauthorized = false;
  return files;
}
