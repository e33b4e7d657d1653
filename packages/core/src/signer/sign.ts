/** Signs a CreateSession request with the certificate's key, wherever the key lives. */
import type { SigningMaterial } from '../material/types.js';
import type { SessionParameters } from '../parameters.js';
import { amzDate, canonicalRequest, sha256Hex } from './canonical.js';

export interface SignInput {
  material: Pick<SigningMaterial, 'signer' | 'algorithm' | 'leaf' | 'chain'>;
  params: SessionParameters;
  /** Base URL: https://rolesanywhere.REGION.amazonaws.com or a custom one such as http://127.0.0.1:4567. */
  endpoint: string;
  /** Where the ARNs travel: the query string (default, like the Go helper) or the JSON body. */
  arnsIn?: 'query' | 'body';
  date: Date;
}

export interface SignedRequest {
  method: 'POST';
  url: string;
  headers: Record<string, string>;
  body: string;
  /** For --debug: neither contains a secret. */
  canonicalRequest: string;
  stringToSign: string;
}

const SERVICE = 'rolesanywhere';

function requestBody(params: SessionParameters, arnsIn: 'query' | 'body'): string {
  const body: Record<string, string | number> = { durationSeconds: params.durationSeconds };
  if (arnsIn === 'body') {
    body.profileArn = params.profileArn;
    body.roleArn = params.roleArn;
    body.trustAnchorArn = params.trustAnchorArn;
  }
  if (params.roleSessionName !== undefined) body.roleSessionName = params.roleSessionName;
  return JSON.stringify(body);
}

export async function signCreateSession(input: SignInput): Promise<SignedRequest> {
  const arnsIn = input.arnsIn ?? 'query';
  const base = new URL(input.endpoint);
  const path = `${base.pathname.replace(/\/+$/, '')}/sessions`;
  const query: Record<string, string> =
    arnsIn === 'query'
      ? {
          profileArn: input.params.profileArn,
          roleArn: input.params.roleArn,
          trustAnchorArn: input.params.trustAnchorArn,
        }
      : {};
  const body = requestBody(input.params, arnsIn);
  const date = amzDate(input.date);
  const { leaf, chain } = input.material;
  const headers: Record<string, string> = {
    'Content-Type': 'application/json',
    Host: base.host,
    'X-Amz-Date': date,
    'X-Amz-X509': leaf.der.toString('base64'),
  };
  if (chain.length > 0) headers['X-Amz-X509-Chain'] = chain.map((c) => c.der.toString('base64')).join(',');

  const canonical = canonicalRequest({ method: 'POST', path, query, headers, body });
  const scope = `${date.slice(0, 8)}/${input.params.region}/${SERVICE}/aws4_request`;
  const stringToSign = [input.material.algorithm, date, scope, sha256Hex(canonical.text)].join('\n');
  const signature = (await input.material.signer.sign(Buffer.from(stringToSign), 'SHA256')).toString('hex');
  headers.Authorization =
    `${input.material.algorithm} Credential=${leaf.serialDecimal}/${scope}, ` +
    `SignedHeaders=${canonical.signedHeaders}, Signature=${signature}`;

  const search = Object.keys(query).length
    ? `?${Object.entries(query)
        .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
        .join('&')}`
    : '';
  return {
    method: 'POST',
    url: `${base.origin}${path}${search}`,
    headers,
    body,
    canonicalRequest: canonical.text,
    stringToSign,
  };
}
