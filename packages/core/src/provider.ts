/**
 * An AWS SDK for JavaScript v3 credential provider:
 * `new S3Client({ credentials: fromRolesAnywhere({ ... }) })`. The SDK calls it before each
 * request; it answers from memory and refreshes ahead of expiry with one CreateSession even
 * when many requests ask at once. With `assumeRoles`, each refresh runs CreateSession and then
 * every AssumeRole of the chain again (a chained session cannot outlive its source).
 */
import { readFileSync } from 'node:fs';
import { expectedAccount, type RoleChain } from './chain/chain.js';
import { type RoleHopInput, resolveRoleChain } from './chain/hop.js';
import { configuredStsEndpoint } from './chain/sts-endpoint.js';
import { obtainChainedSession } from './client/chained-session.js';
import type { ClientDeps } from './client/create-session.js';
import type { SessionCredentials } from './client/credentials.js';
import { checkAllowedAccount, parseAllowedAccountIds } from './client/session-account.js';
import { createNodeTransport } from './client/transport.js';
import { loadSigningMaterial } from './material/load.js';
import { readFileOrFail } from './material/source.js';
import type { MaterialInput, SigningMaterial } from './material/types.js';
import { resolveSessionParameters, type SessionParametersInput } from './parameters.js';

export interface RolesAnywhereProviderOptions extends MaterialInput, SessionParametersInput {
  certificatePath?: string;
  privateKeyPath?: string;
  intermediatesPath?: string;
  pkcs12Path?: string;
  endpoint?: string;
  /** The FIPS endpoint rolesanywhere-fips.REGION (default: AWS_USE_FIPS_ENDPOINT=true). */
  useFipsEndpoint?: boolean;
  /** CA certificates (PEM file) trusted besides Node's for CreateSession (default: AWS_CA_BUNDLE). */
  caBundle?: string;
  /** Where the defaults above are read (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** Refresh this many seconds before expiry (default 300). */
  refreshBeforeExpirySeconds?: number;
  deps?: Partial<ClientDeps>;
  /** Roles to assume after CreateSession, in order; every refresh runs the whole chain. */
  assumeRoles?: RoleHopInput[];
  /** STS endpoint for the chain; else AWS_ENDPOINT_URL_STS / AWS_ENDPOINT_URL, else regional. */
  stsEndpoint?: string;
  /** The final account must be one of these. */
  allowedAccountIds?: string[];
}

/** The shape of @smithy/types' AwsCredentialIdentity, kept structural to add no dependency. */
export interface AwsCredentialIdentity {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: Date;
  accountId?: string;
}

export type AwsCredentialIdentityProvider = () => Promise<AwsCredentialIdentity>;

function materialFrom(options: RolesAnywhereProviderOptions): MaterialInput {
  const read = (path: string | undefined, what: string) =>
    path === undefined ? undefined : readFileOrFail(path, readFileSync, what);
  const certificate = options.certificate ?? read(options.certificatePath, 'certificate');
  const privateKey = options.privateKey ?? read(options.privateKeyPath, 'private key');
  const pkcs12 = options.pkcs12 ?? read(options.pkcs12Path, 'PKCS#12 file');
  const chainFile = read(options.intermediatesPath, 'intermediates');
  const intermediates = [...(options.intermediates ?? []), ...(chainFile ? [chainFile] : [])];
  return {
    ...(certificate !== undefined ? { certificate } : {}),
    ...(privateKey !== undefined ? { privateKey } : {}),
    ...(pkcs12 !== undefined ? { pkcs12 } : {}),
    ...(intermediates.length ? { intermediates } : {}),
    ...(options.privateKeyPassphrase !== undefined ? { privateKeyPassphrase: options.privateKeyPassphrase } : {}),
    ...(options.pkcs12Password !== undefined ? { pkcs12Password: options.pkcs12Password } : {}),
  };
}

/** A CA bundle file trusted besides Node's own CAs, read when a request is made. */
function trustedCas(caBundle: string | undefined): { tls?: { extraCa: string[] } } {
  if (!caBundle) return {};
  return { tls: { extraCa: [readFileOrFail(caBundle, readFileSync, 'CA bundle').toString('utf8')] } };
}

function identity(credentials: SessionCredentials): AwsCredentialIdentity {
  return {
    accessKeyId: credentials.accessKeyId,
    secretAccessKey: credentials.secretAccessKey,
    sessionToken: credentials.sessionToken,
    expiration: credentials.expiration,
    accountId: credentials.accountId,
  };
}

export function fromRolesAnywhere(options: RolesAnywhereProviderOptions): AwsCredentialIdentityProvider {
  const now = options.deps?.now ?? (() => new Date());
  const refreshMs = (options.refreshBeforeExpirySeconds ?? 300) * 1000;
  const params = resolveSessionParameters(options);
  const env = options.env ?? process.env;
  const fips = options.useFipsEndpoint ?? env.AWS_USE_FIPS_ENDPOINT?.toLowerCase() === 'true';
  const hops = resolveRoleChain(options.assumeRoles ?? [], params.partition);
  const configured = hops.length ? configuredStsEndpoint(options.stsEndpoint, env) : undefined;
  const chain: RoleChain = { hops, fips, ...(configured ? { stsEndpoint: configured } : {}) };
  const allowedAccountIds = parseAllowedAccountIds((options.allowedAccountIds ?? []).join(',')) ?? [];
  checkAllowedAccount(expectedAccount(params, chain), allowedAccountIds);
  let material: SigningMaterial | undefined;
  let current: SessionCredentials | undefined;
  let inFlight: Promise<SessionCredentials> | undefined;

  const caBundle = options.caBundle ?? (env.AWS_CA_BUNDLE || undefined);

  const refresh = async (): Promise<SessionCredentials> => {
    material ??= (await loadSigningMaterial(materialFrom(options), { now: now() })).material;
    const transport = options.deps?.transport ?? createNodeTransport({ env, ...trustedCas(caBundle) });
    const { credentials } = await obtainChainedSession(
      { material, params, fips, ...(options.endpoint ? { endpoint: options.endpoint } : {}), chain, allowedAccountIds },
      { ...options.deps, transport },
    );
    current = credentials;
    return credentials;
  };

  return async () => {
    if (current && current.expiration.getTime() - now().getTime() > refreshMs) return identity(current);
    inFlight ??= refresh().finally(() => {
      inFlight = undefined;
    });
    return identity(await inFlight);
  };
}
