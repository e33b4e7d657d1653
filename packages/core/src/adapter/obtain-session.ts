/**
 * What every CI adapter does between reading its inputs and writing its outputs: load and
 * check the material, resolve the parameters, call CreateSession, assume the chain's roles,
 * and check the final account against the allowed list before anything leaves this function.
 */
import { expectedAccount, type RoleChain } from '../chain/chain.js';
import { type RoleHopInput, resolveRoleChain } from '../chain/hop.js';
import { configuredStsEndpoint } from '../chain/sts-endpoint.js';
import { type HopOutcome, obtainChainedSession } from '../client/chained-session.js';
import type { ClientDeps } from '../client/create-session.js';
import type { SessionCredentials } from '../client/credentials.js';
import { checkAllowedAccount } from '../client/session-account.js';
import type { TlsFiles, TlsSettings } from '../client/tls-settings.js';
import { createNodeTransport } from '../client/transport.js';
import { loadSigningMaterial } from '../material/load.js';
import type { MaterialInput, SigningMaterial, Warning } from '../material/types.js';
import {
  resolveAwsRegion,
  resolveSessionParameters,
  type SessionParameters,
  type SessionParametersInput,
} from '../parameters.js';
import { readPrimedStart } from './primed-start.js';
import { type ProfileToken, startSessionPath } from './profile-files.js';
import { openTokenMaterial } from './token-material.js';

export interface AdapterSessionInput {
  material: MaterialInput;
  /** A key (and maybe the certificate) on a PKCS#11 token, opened for this call and closed after it. */
  token?: ProfileToken;
  session: SessionParametersInput;
  /** The region exported for later AWS calls (default: the signing region); see resolveAwsRegion. */
  awsRegion?: string;
  endpoint?: string;
  retryMaxAttempts?: number;
  /** A proxy URL, or 'env' (default) for HTTPS_PROXY/HTTP_PROXY/NO_PROXY. */
  proxy?: string;
  /** Hosts that bypass the proxy (in place of NO_PROXY). */
  noProxy?: string;
  /** Extra CAs and a client certificate (a CI agent's certificate settings). */
  tls?: TlsSettings;
  /** false: do not verify the service's certificate (an agent's SkipCertValidation). */
  rejectUnauthorized?: boolean;
  /** How to fix an untrusted service certificate, or a refused client certificate, where the user is. */
  trustHint?: string;
  clientCertificateHint?: string;
  expiryWarningDays?: number;
  /** Wall-clock bounds: one attempt (default 10 s) and the whole call with retries (default 60 s). */
  timeoutMs?: number;
  deadlineMs?: number;
  /** Roles to assume after CreateSession, in order. */
  assumeRoles?: RoleHopInput[];
  /** An explicit STS endpoint; else AWS_ENDPOINT_URL_STS and co. from deps.env, else regional. */
  stsEndpoint?: string;
  /**
   * Accounts the pipeline may get credentials for. The final account (the last role's, or the
   * profile's) is checked before any request, and the credentials' own account after the chain.
   */
  allowedAccountIds?: readonly string[];
  /**
   * The job's temp dir (RUNNER_TEMP, Agent.TempDirectory): a chain starts from the Roles
   * Anywhere session an earlier step of the job primed there, while it is fresh, so one profile
   * per account costs one CreateSession per job. tlsFiles as given to writeProfileFiles.
   */
  jobSession?: { tempDir: string; tlsFiles?: TlsFiles };
}

export const ADAPTER_ATTEMPT_TIMEOUT_MS = 10_000;
export const ADAPTER_DEADLINE_MS = 60_000;

export interface AdapterSession {
  /** The final credentials: the last hop's, or CreateSession's when there is no chain. */
  credentials: SessionCredentials;
  /** CreateSession's credentials, which start the chain (the same as credentials without one). */
  startCredentials: SessionCredentials;
  material: SigningMaterial;
  params: SessionParameters;
  /** The region to export for later AWS calls. */
  awsRegion: string;
  warnings: Warning[];
  /** CreateSession's attempts: 0 when the chain started from the job's primed session. */
  attempts: number;
  /** The resolved chain (for profile files and cache keys); undefined without hops. */
  chain: RoleChain | undefined;
  hops: HopOutcome[];
  allowedAccountIds: string[];
}

/** Everything about the chain is checked before the certificate is even loaded. */
export function resolveAdapterChain(
  input: Pick<AdapterSessionInput, 'assumeRoles' | 'stsEndpoint'>,
  params: SessionParameters,
  env: NodeJS.ProcessEnv,
): RoleChain | undefined {
  const hops = resolveRoleChain(input.assumeRoles ?? [], params.partition);
  if (hops.length === 0) return undefined;
  const endpoint = configuredStsEndpoint(input.stsEndpoint, env);
  return { hops, ...(endpoint ? { stsEndpoint: endpoint } : {}) };
}

function jobStartSession(
  input: AdapterSessionInput,
  params: SessionParameters,
  deps: { now: () => Date; env: NodeJS.ProcessEnv },
): SessionCredentials | undefined {
  const { tempDir, tlsFiles } = input.jobSession ?? { tempDir: '' };
  if (!tempDir) return undefined;
  const path = startSessionPath(tempDir, {
    material: input.material,
    params,
    ...(input.endpoint ? { endpoint: input.endpoint } : {}),
    env: deps.env,
    ...(tlsFiles ? { tlsFiles } : {}),
  });
  return readPrimedStart(path, deps.now(), params.durationSeconds);
}

export async function obtainSession(
  input: AdapterSessionInput,
  deps: Partial<ClientDeps> & { now: () => Date; env: NodeJS.ProcessEnv },
): Promise<AdapterSession> {
  const params = resolveSessionParameters(input.session);
  const chain = resolveAdapterChain(input, params, deps.env);
  const allowedAccountIds = [...(input.allowedAccountIds ?? [])];
  checkAllowedAccount(expectedAccount(params, chain), allowedAccountIds);
  const awsRegion = resolveAwsRegion(input.awsRegion, params);
  const opened = await openTokenMaterial(input.material, input.token, deps.env);
  try {
    return await signedSession(input, deps, opened.material, { params, chain, allowedAccountIds, awsRegion });
  } finally {
    await opened.close();
  }
}

async function signedSession(
  input: AdapterSessionInput,
  deps: Partial<ClientDeps> & { now: () => Date; env: NodeJS.ProcessEnv },
  materialInput: MaterialInput,
  resolved: Pick<AdapterSession, 'params' | 'chain' | 'allowedAccountIds' | 'awsRegion'>,
): Promise<AdapterSession> {
  const { params, chain, allowedAccountIds, awsRegion } = resolved;
  const { material, warnings } = await loadSigningMaterial(materialInput, {
    now: deps.now(),
    ...(input.expiryWarningDays !== undefined ? { expiryWarningDays: input.expiryWarningDays } : {}),
  });
  const reused = chain && input.jobSession ? jobStartSession(input, params, deps) : undefined;
  const { credentials, start, attempts, hops } = await obtainChainedSession(
    {
      material,
      params,
      ...(input.endpoint ? { endpoint: input.endpoint } : {}),
      ...(input.retryMaxAttempts ? { retry: { maxAttempts: input.retryMaxAttempts } } : {}),
      // A CI step is always bounded: a server that drips its answer cannot hold the job.
      timeoutMs: input.timeoutMs ?? ADAPTER_ATTEMPT_TIMEOUT_MS,
      deadlineMs: input.deadlineMs ?? ADAPTER_DEADLINE_MS,
      ...(chain ? { chain } : {}),
      allowedAccountIds,
      ...(reused ? { start: reused } : {}),
    },
    {
      transport: createNodeTransport({
        proxy: input.proxy || 'env',
        ...(input.noProxy !== undefined ? { noProxy: input.noProxy } : {}),
        env: deps.env,
        ...(input.tls ? { tls: input.tls } : {}),
        ...(input.rejectUnauthorized === false ? { rejectUnauthorized: false } : {}),
        ...(input.trustHint ? { trustHint: input.trustHint } : {}),
        ...(input.clientCertificateHint ? { clientCertificateHint: input.clientCertificateHint } : {}),
      }),
      ...deps,
    },
  );
  return {
    credentials,
    startCredentials: start,
    material,
    params,
    awsRegion,
    warnings,
    attempts,
    chain,
    hops,
    allowedAccountIds,
  };
}
