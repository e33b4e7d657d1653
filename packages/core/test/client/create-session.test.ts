/** CreateSession retries, backoff, deadlines and error mapping, with an injected transport and clock. */
import assert from 'node:assert/strict';
import {
  createSession,
  DEFAULT_RETRY,
  endpointFor,
  type HttpRequest,
  type HttpResponse,
  IamraError,
  loadSigningMaterial,
  resolveSessionParameters,
  type SigningMaterial,
  validateEndpoint,
} from '@iamra/core';
import { makePki } from '../../../../test/support/pki.js';

const pki = makePki({ subjectPrefix: 'client' });
const params = resolveSessionParameters({
  trustAnchorArn: 'arn:aws:rolesanywhere:us-east-1:123456789012:trust-anchor/0c5a2b1e-7f4f-4c3b-9d6e-1a2b3c4d5e6f',
  profileArn: 'arn:aws:rolesanywhere:us-east-1:123456789012:profile/9f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0',
  roleArn: 'arn:aws:iam::123456789012:role/deploy',
});
let material: SigningMaterial;
before(async () => {
  material = (
    await loadSigningMaterial({ certificate: pki.ecLeaf.certPem, privateKey: pki.ecLeaf.keyPem }, { now: new Date() })
  ).material;
});

const OK_BODY = JSON.stringify({
  credentialSet: [
    {
      assumedRoleUser: { arn: 'arn:aws:sts::123456789012:assumed-role/deploy/abc', assumedRoleId: 'AROAX:abc' },
      credentials: {
        accessKeyId: 'ASIAXXXXXXXXXXXXXXXX',
        secretAccessKey: 's',
        sessionToken: 't',
        expiration: '2030-01-01T00:00:00Z',
      },
      packedPolicySize: 0,
      roleArn: 'arn:aws:iam::123456789012:role/deploy',
      sourceIdentity: 'CN=client ec leaf',
    },
  ],
  subjectArn: 'arn:aws:rolesanywhere:us-east-1:123456789012:subject/x',
});

function scripted(responses: (HttpResponse | Error)[]) {
  const requests: HttpRequest[] = [];
  const sleeps: number[] = [];
  let clock = Date.parse('2026-05-01T00:00:00.900Z');
  return {
    requests,
    sleeps,
    deps: {
      transport: async (request: HttpRequest) => {
        requests.push(request);
        const next = responses.shift();
        if (!next) throw new Error('no more responses');
        if (next instanceof Error) throw next;
        return next;
      },
      now: () => new Date(clock),
      sleep: async (ms: number) => {
        sleeps.push(ms);
        clock += ms;
      },
      random: () => 0.5,
    },
  };
}

const response = (status: number, body: string, headers: Record<string, string> = {}): HttpResponse => ({
  status,
  body,
  headers,
});
const transient = (code: string) =>
  new IamraError(code === 'TIMEOUT' ? 'TIMEOUT' : 'NETWORK_ERROR', `simulated ${code}`);

describe('createSession', () => {
  it('maps credentialSet[0] and signs each attempt anew', async () => {
    const { deps, requests } = scripted([response(500, '{}'), response(201, OK_BODY)]);
    const { credentials, attempts } = await createSession({ material, params, endpoint: 'http://127.0.0.1:1' }, deps);
    assert.equal(attempts, 2);
    assert.equal(credentials.accountId, '123456789012');
    // The body says 2030: the expiration is capped at the second request's time + 3600 s.
    assert.equal(credentials.expiration.toISOString(), '2026-05-01T01:00:01.150Z');
    assert.equal(credentials.subjectArn, 'arn:aws:rolesanywhere:us-east-1:123456789012:subject/x');
    assert.notEqual(requests[0]?.headers['X-Amz-Date'], requests[1]?.headers['X-Amz-Date']);
  });

  it('backs off exponentially with full jitter, capped', async () => {
    const failures = Array.from({ length: DEFAULT_RETRY.maxAttempts - 1 }, () => response(503, '{}'));
    const { deps, sleeps } = scripted([...failures, response(201, OK_BODY)]);
    await createSession({ material, params, endpoint: 'http://127.0.0.1:1' }, deps);
    const expected = failures.map((_, attempt) =>
      Math.floor(0.5 * Math.min(DEFAULT_RETRY.maxDelayMs, DEFAULT_RETRY.baseDelayMs * 2 ** attempt)),
    );
    assert.deepEqual(sleeps, expected);
  });

  for (const [status, type, code] of [
    [403, 'AccessDeniedException', 'CREATE_SESSION_DENIED'],
    [400, 'ValidationException', 'CREATE_SESSION_INVALID'],
    [404, 'ResourceNotFoundException', 'RESOURCE_NOT_FOUND'],
  ] as const) {
    it(`never retries a ${status} and maps it to ${code} with service code and request id`, async () => {
      const { deps, requests } = scripted([
        response(status, JSON.stringify({ message: 'Untrusted Signing Certificate' }), {
          'x-amzn-errortype': `${type}:http://internal.amazon.com/coral/`,
          'x-amzn-requestid': 'req-123',
        }),
      ]);
      await assert.rejects(
        createSession({ material, params, endpoint: 'http://127.0.0.1:1' }, deps),
        (error: unknown) => {
          assert.ok(error instanceof IamraError);
          assert.equal(error.code, code);
          assert.equal(error.serviceCode, type);
          assert.equal(error.requestId, 'req-123');
          assert.equal(error.statusCode, status);
          assert.match(
            error.toLine(),
            new RegExp(`^${code}: CreateSession failed: ${type}: .* \\(request id req-123\\)$`),
          );
          return true;
        },
      );
      assert.equal(requests.length, 1);
    });
  }

  it('reads the error type from the body when the header is absent', async () => {
    const { deps } = scripted([
      response(400, JSON.stringify({ __type: 'com.amazon#ValidationException', Message: 'bad duration' })),
    ]);
    await assert.rejects(
      createSession({ material, params, endpoint: 'http://127.0.0.1:1' }, deps),
      /ValidationException: bad duration/,
    );
  });

  it('retries throttling and network errors, then gives up with the last error', async () => {
    const { deps, requests } = scripted([
      response(429, '{}', { 'x-amzn-errortype': 'ThrottlingException' }),
      transient('ECONNRESET'),
      response(429, '{"message":"Rate exceeded"}', { 'x-amzn-errortype': 'ThrottlingException' }),
    ]);
    await assert.rejects(
      createSession({ material, params, endpoint: 'http://127.0.0.1:1', retry: { maxAttempts: 3 } }, deps),
      (error: unknown) =>
        error instanceof IamraError && error.code === 'THROTTLED' && /gave up after 3 attempts/.test(error.message),
    );
    assert.equal(requests.length, 3);
  });

  it('stops at the overall deadline', async () => {
    const { deps, requests } = scripted(Array.from({ length: 20 }, () => response(500, '{}')));
    await assert.rejects(
      createSession(
        {
          material,
          params,
          endpoint: 'http://127.0.0.1:1',
          deadlineMs: 1000,
          retry: { maxAttempts: 20, baseDelayMs: 400, maxDelayMs: 400 },
        },
        {
          ...deps,
          random: () => 0.99,
        },
      ),
      /SERVICE_UNAVAILABLE|gave up/,
    );
    assert.ok(requests.length < 20, `${requests.length} attempts`);
  });

  it('treats a malformed or empty success body as transient and reports RESPONSE_INVALID', async () => {
    for (const body of [
      '{"credentialSet": [',
      JSON.stringify({ credentialSet: [] }),
      JSON.stringify({ credentialSet: [{ credentials: {} }] }),
    ]) {
      const { deps } = scripted([response(201, body), response(201, body)]);
      await assert.rejects(
        createSession({ material, params, endpoint: 'http://127.0.0.1:1', retry: { maxAttempts: 2 } }, deps),
        (error: unknown) => error instanceof IamraError && error.code === 'RESPONSE_INVALID',
      );
    }
  });

  it('sends debug lines without secrets', async () => {
    const lines: string[] = [];
    const { deps } = scripted([response(201, OK_BODY)]);
    await createSession(
      { material, params, endpoint: 'http://127.0.0.1:1' },
      { ...deps, debug: (line) => lines.push(line) },
    );
    const text = lines.join('\n');
    assert.match(text, /canonical request:\nPOST\n\/sessions\n/);
    assert.match(text, /string to sign:\nAWS4-X509-ECDSA-SHA256\n/);
    assert.ok(!text.includes(pki.ecLeaf.keyPem.split('\n')[1] ?? 'x'));
  });
});

describe('endpoints', () => {
  it('per partition, region and FIPS', () => {
    assert.equal(endpointFor('aws', 'eu-west-1'), 'https://rolesanywhere.eu-west-1.amazonaws.com');
    assert.equal(endpointFor('aws-cn', 'cn-north-1'), 'https://rolesanywhere.cn-north-1.amazonaws.com.cn');
    assert.equal(
      endpointFor('aws-us-gov', 'us-gov-west-1', true),
      'https://rolesanywhere-fips.us-gov-west-1.amazonaws.com',
    );
  });
  it('validates custom endpoints', () => {
    assert.equal(validateEndpoint('http://127.0.0.1:4567/'), 'http://127.0.0.1:4567');
    for (const bad of ['ftp://x', 'not a url', 'https://user:pw@host', 'https://host/?q=1']) {
      assert.throws(
        () => validateEndpoint(bad),
        (error: unknown) => error instanceof IamraError && error.code === 'ENDPOINT_INVALID',
      );
    }
  });
});
