/**
 * What every CI adapter does between reading its inputs and writing its outputs: load and
 * check the material, resolve the parameters, call CreateSession.
 */
import { type ClientDeps, createSession } from '../client/create-session.js';
import type { SessionCredentials } from '../client/credentials.js';
import { checkAllowedAccount } from '../client/session-account.js';
import type { TlsSettings } from '../client/tls-settings.js';
import { createNodeTransport } from '../client/transport.js';
import { loadSigningMaterial } from '../material/load.js';
import type { MaterialInput, SigningMaterial, Warning } from '../material/types.js';
import {
  resolveAwsRegion,
  resolveSessionParameters,
  type SessionParameters,
  type SessionParametersInput,
} from '../parameters.js';

export interface AdapterSessionInput {
  material: MaterialInput;
  session: SessionParametersInput;
  /** The region exported for later AWS calls (default: the signing region); see resolveAwsRegion. */
  awsRegion?: string;
  endpoint?: string;
  retryMaxAttempts?: number;
  /** A proxy URL, or 'env' (default) for HTTPS_PROXY/HTTP_PROXY/NO_PROXY. */
  proxy?: string;
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
  /** Accounts the pipeline may get credentials for; refused before any request when the role's is not one. */
  allowedAccountIds?: readonly string[];
}

export const ADAPTER_ATTEMPT_TIMEOUT_MS = 10_000;
export const ADAPTER_DEADLINE_MS = 60_000;

export interface AdapterSession {
  credentials: SessionCredentials;
  material: SigningMaterial;
  params: SessionParameters;
  /** The region to export for later AWS calls. */
  awsRegion: string;
  warnings: Warning[];
  attempts: number;
}

export async function obtainSession(
  input: AdapterSessionInput,
  deps: Partial<ClientDeps> & { now: () => Date; env: NodeJS.ProcessEnv },
): Promise<AdapterSession> {
  const params = resolveSessionParameters(input.session);
  checkAllowedAccount(params.accountId, input.allowedAccountIds);
  const awsRegion = resolveAwsRegion(input.awsRegion, params);
  const { material, warnings } = await loadSigningMaterial(input.material, {
    now: deps.now(),
    ...(input.expiryWarningDays !== undefined ? { expiryWarningDays: input.expiryWarningDays } : {}),
  });
  const { credentials, attempts } = await createSession(
    {
      material,
      params,
      ...(input.endpoint ? { endpoint: input.endpoint } : {}),
      ...(input.retryMaxAttempts ? { retry: { maxAttempts: input.retryMaxAttempts } } : {}),
      // A CI step is always bounded: a server that drips its answer cannot hold the job.
      timeoutMs: input.timeoutMs ?? ADAPTER_ATTEMPT_TIMEOUT_MS,
      deadlineMs: input.deadlineMs ?? ADAPTER_DEADLINE_MS,
    },
    {
      transport: createNodeTransport({
        proxy: input.proxy || 'env',
        env: deps.env,
        ...(input.tls ? { tls: input.tls } : {}),
        ...(input.rejectUnauthorized === false ? { rejectUnauthorized: false } : {}),
        ...(input.trustHint ? { trustHint: input.trustHint } : {}),
        ...(input.clientCertificateHint ? { clientCertificateHint: input.clientCertificateHint } : {}),
      }),
      ...deps,
    },
  );
  return { credentials, material, params, awsRegion, warnings, attempts };
}
