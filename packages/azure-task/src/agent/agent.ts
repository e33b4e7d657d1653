/**
 * The Azure Pipelines agent's task contract through azure-pipelines-task-lib, the library the
 * agent's own tasks use: inputs, variables, endpoints, secure files, results, debug lines, and
 * the agent's proxy and certificate settings. Secrets are registered before task-lib can echo
 * them (./mask-first.js); here every value the task adds to the log is masked line by line.
 */
import { neutralizeForLog, secretLines } from '@iamra/core/light';
import * as tl from 'azure-pipelines-task-lib/task.js';

export type TaskResult = 'Succeeded' | 'SucceededWithIssues' | 'Failed';

/** What the agent calls its proxy and TLS settings (task-lib's ProxyConfiguration and CertConfiguration). */
export interface AgentProxy {
  proxyUrl: string;
  proxyUsername?: string;
  proxyPassword?: string;
}

export interface AgentCertificates {
  caFile?: string;
  certFile?: string;
  keyFile?: string;
  certArchiveFile?: string;
  passphrase?: string;
}

export class Agent {
  input(name: string): string | undefined {
    return tl.getInput(name)?.trim() || undefined;
  }

  variable(name: string): string | undefined {
    return tl.getVariable(name) || undefined;
  }

  endpointAuthParameter(endpoint: string, key: string): string | undefined {
    return tl.getEndpointAuthorizationParameter(endpoint, key, true) || undefined;
  }

  endpointAuthScheme(endpoint: string): string | undefined {
    return tl.getEndpointAuthorizationScheme(endpoint, true) || undefined;
  }

  endpointDataParameter(endpoint: string, key: string): string | undefined {
    return tl.getEndpointDataParameter(endpoint, key, true) || undefined;
  }

  /**
   * A service connection's parameter: an authorization parameter (the vault), else one in its
   * ENDPOINT_AUTH_<id> JSON under any case, else a data parameter.
   */
  connectionParameter(endpoint: string, name: string): string | undefined {
    const fromAuth = tl.getEndpointAuthorizationParameter(endpoint, name, true);
    if (fromAuth) return fromAuth;
    const parameters = this.endpointAuthorization(endpoint)?.parameters ?? {};
    const key = Object.keys(parameters).find((candidate) => candidate.toLowerCase() === name.toLowerCase());
    return (key ? parameters[key] : undefined) || tl.getEndpointDataParameter(endpoint, name, true) || undefined;
  }

  private endpointAuthorization(endpoint: string): tl.EndpointAuthorization | undefined {
    try {
      return tl.getEndpointAuthorization(endpoint, true);
    } catch {
      // task-lib's message would quote the (secret) JSON: the caller reports the missing field.
      return undefined;
    }
  }

  secureFileTicket(id: string): string | undefined {
    return tl.getSecureFileTicket(id) || undefined;
  }

  secureFileName(id: string): string | undefined {
    return tl.getSecureFileName(id) || undefined;
  }

  /** The agent's proxy for this URL; undefined when none is configured or the URL bypasses it. */
  proxy(requestUrl: string): AgentProxy | undefined {
    return tl.getHttpProxyConfiguration(requestUrl) ?? undefined;
  }

  certificates(): AgentCertificates | undefined {
    return tl.getHttpCertConfiguration() ?? undefined;
  }

  /** The agent masks single lines only: a multi-line secret is masked line by line. */
  setSecret(value: string | undefined): void {
    if (!value) return;
    for (const line of secretLines(value)) if (!/[\r\n]/.test(line)) tl.setSecret(line);
  }

  setVariable(name: string, value: string, options: { secret?: boolean; isOutput?: boolean } = {}): void {
    tl.setVariable(name, value, options.secret ?? false, options.isOutput ?? false);
  }

  /** A log line: whatever it quotes, the agent acts on none of it (see neutralizeForLog). */
  info(line: string): void {
    console.log(neutralizeForLog(line, Number.POSITIVE_INFINITY));
  }

  debug(line: string): void {
    tl.debug(neutralizeForLog(line, Number.POSITIVE_INFINITY));
  }

  warning(message: string): void {
    tl.warning(neutralizeForLog(message, Number.POSITIVE_INFINITY), tl.IssueSource.TaskInternal);
  }

  uploadSummary(path: string): void {
    tl.uploadSummary(path);
  }

  /** task-lib adds the error issue for a failure: one error, then the process exits 0. */
  complete(result: TaskResult, message: string): void {
    tl.setResult(tl.TaskResult[result], neutralizeForLog(message, Number.POSITIVE_INFINITY));
  }
}
