/**
 * STS AssumeRole with an injected transport and clock: the query-protocol form, SigV4 (checked
 * against the AWS SDK's own signer), strict XML, error codes and retries.
 */
import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import {
  assumeRole,
  type HttpRequest,
  type HttpResponse,
  type IamraError,
  parseAssumeRoleResponse,
  parseXml,
  resolveRoleHop,
  type SessionCredentials,
  signHmac,
} from '@iamra/core';
import { SignatureV4 } from '@smithy/signature-v4';

const NOW = new Date('2026-05-01T12:00:00.000Z');
const caller: SessionCredentials = {
  accessKeyId: 'ASIACALLERKEY0000000',
  secretAccessKey: 'callerSecret/with+chars',
  sessionToken: 'IQoJcallerToken+/=',
  expiration: new Date('2026-05-01T13:00:00Z'),
  assumedRoleArn: 'arn:aws:sts::123456789012:assumed-role/hub/7f3a9c',
  assumedRoleId: 'AROAHUB:7f3a9c',
  roleArn: 'arn:aws:iam::123456789012:role/hub',
  sourceIdentity: 'CN=builder',
  accountId: '123456789012',
  subjectArn: 'arn:aws:rolesanywhere:us-east-1:123456789012:subject/s',
};

const okBody = (extra = '') => `<?xml version="1.0"?>
<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleResult>
    <AssumedRoleUser><AssumedRoleId>AROADEPLOY:7f3a9c</AssumedRoleId><Arn>arn:aws:sts::111111111111:assumed-role/deploy/7f3a9c</Arn></AssumedRoleUser>
    <Credentials><AccessKeyId>ASIANEWKEY</AccessKeyId><SecretAccessKey>new&amp;secret</SecretAccessKey><SessionToken>newtoken</SessionToken><Expiration>2026-05-01T13:00:00Z</Expiration></Credentials>
    <PackedPolicySize>7</PackedPolicySize>${extra}
  </AssumeRoleResult>
  <ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata>
</AssumeRoleResponse>`;

const errorBody = (code: string, message: string) =>
  `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>req-9</RequestId></ErrorResponse>`;

function scripted(responses: HttpResponse[]) {
  const requests: HttpRequest[] = [];
  const sleeps: number[] = [];
  return {
    requests,
    sleeps,
    deps: {
      transport: async (request: HttpRequest) => {
        requests.push(request);
        const next = responses.shift();
        if (!next) throw new Error('no more responses');
        return next;
      },
      now: () => NOW,
      sleep: async (ms: number) => {
        sleeps.push(ms);
      },
      random: () => 0.5,
    },
  };
}

const ok = (body = okBody()): HttpResponse => ({ status: 200, headers: {}, body });
const fail = (status: number, code: string, message: string): HttpResponse => ({
  status,
  headers: { 'x-amzn-requestid': 'req-9' },
  body: errorBody(code, message),
});

async function failure(promise: Promise<unknown>): Promise<IamraError> {
  try {
    await promise;
  } catch (error) {
    return error as IamraError;
  }
  throw new Error('expected a failure');
}

function bytes(data: string | ArrayBuffer | ArrayBufferView): string | Buffer {
  if (typeof data === 'string') return data;
  return ArrayBuffer.isView(data) ? Buffer.from(data.buffer, data.byteOffset, data.byteLength) : Buffer.from(data);
}

/** @smithy/signature-v4 wants a hash class; node:crypto gives one in a few lines. */
class NodeSha256 {
  private readonly hash;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.hash = secret ? createHmac('sha256', bytes(secret)) : createHash('sha256');
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.hash.update(bytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return this.hash.digest();
  }
}

describe('STS AssumeRole client', () => {
  it('sends the query-protocol form, with every hop parameter, signed with the caller', async () => {
    const hop = resolveRoleHop(
      {
        roleArn: 'arn:aws:iam::111111111111:role/deploy',
        externalId: 'ext-42',
        durationSeconds: 1800,
        policy: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}',
        policyArns: ['arn:aws:iam::aws:policy/ReadOnlyAccess', 'arn:aws:iam::111111111111:policy/Deploy'],
        tags: [
          { key: 'team', value: 'plat form' },
          { key: 'cost:center', value: '42' },
        ],
        transitiveTagKeys: ['team'],
      },
      0,
    );
    const script = scripted([ok()]);
    const result = await assumeRole(
      { hop, index: 1, caller, endpoint: 'https://sts.us-east-1.amazonaws.com', region: 'us-east-1' },
      script.deps,
    );
    const [request] = script.requests;
    assert.equal(request?.url, 'https://sts.us-east-1.amazonaws.com/');
    const form = new URLSearchParams(request?.body);
    assert.deepEqual(Object.fromEntries(form), {
      Action: 'AssumeRole',
      Version: '2011-06-15',
      RoleArn: 'arn:aws:iam::111111111111:role/deploy',
      RoleSessionName: '7f3a9c',
      DurationSeconds: '1800',
      ExternalId: 'ext-42',
      Policy: hop.policy,
      'PolicyArns.member.1.arn': 'arn:aws:iam::aws:policy/ReadOnlyAccess',
      'PolicyArns.member.2.arn': 'arn:aws:iam::111111111111:policy/Deploy',
      'Tags.member.1.Key': 'team',
      'Tags.member.1.Value': 'plat form',
      'Tags.member.2.Key': 'cost:center',
      'Tags.member.2.Value': '42',
      'TransitiveTagKeys.member.1': 'team',
    });
    assert.ok(!request?.body.includes('+'), 'spaces are %20, never +');
    assert.equal(request?.headers['X-Amz-Security-Token'], caller.sessionToken);
    assert.match(
      request?.headers.Authorization ?? '',
      /^AWS4-HMAC-SHA256 Credential=ASIACALLERKEY0000000\/20260501\/us-east-1\/sts\/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-security-token, Signature=[0-9a-f]{64}$/,
    );
    assert.deepEqual(
      { ...result.credentials, expiration: result.credentials.expiration.toISOString() },
      {
        accessKeyId: 'ASIANEWKEY',
        secretAccessKey: 'new&secret',
        sessionToken: 'newtoken',
        // STS said 13:00; 1800 s were asked for at 12:00, so no later than 12:30 is believed.
        expiration: '2026-05-01T12:30:00.000Z',
        assumedRoleArn: 'arn:aws:sts::111111111111:assumed-role/deploy/7f3a9c',
        assumedRoleId: 'AROADEPLOY:7f3a9c',
        roleArn: 'arn:aws:iam::111111111111:role/deploy',
        sourceIdentity: 'CN=builder',
        accountId: '111111111111',
      },
    );
    assert.equal(result.packedPolicySize, 7);
  });

  it('signs exactly as the AWS SDK signer does (@smithy/signature-v4)', async () => {
    const request = {
      method: 'POST',
      url: 'http://127.0.0.1:4599/',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8' },
      body: 'Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A111111111111%3Arole%2Fdeploy&RoleSessionName=a%20b',
    };
    for (const region of ['us-east-1', 'cn-north-1']) {
      const ours = signHmac({ ...request, credentials: caller, region, service: 'sts', date: NOW });
      const sdk = new SignatureV4({
        credentials: {
          accessKeyId: caller.accessKeyId,
          secretAccessKey: caller.secretAccessKey,
          sessionToken: caller.sessionToken,
        },
        region,
        service: 'sts',
        sha256: NodeSha256,
        applyChecksum: false,
      });
      const signed = await sdk.sign(
        {
          method: 'POST',
          protocol: 'http:',
          hostname: '127.0.0.1',
          port: 4599,
          path: '/',
          headers: { 'content-type': request.headers['Content-Type'], host: '127.0.0.1:4599' },
          body: request.body,
        },
        { signingDate: NOW },
      );
      assert.equal(ours.headers.Authorization, signed.headers.authorization);
      assert.equal(ours.headers['X-Amz-Security-Token'], signed.headers['x-amz-security-token']);
      assert.ok(!ours.canonicalRequest.includes(caller.sessionToken), 'the debug canonical request hides the token');
    }
  });

  it('matches the published SigV4 example (AWS General Reference, IAM ListUsers)', () => {
    const signed = signHmac({
      method: 'GET',
      url: 'https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8' },
      body: '',
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' },
      region: 'us-east-1',
      service: 'iam',
      date: new Date('2015-08-30T12:36:00Z'),
    });
    assert.equal(
      signed.headers.Authorization,
      'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7',
    );
  });

  it('maps STS errors to clear codes with the request id', async () => {
    const hop = resolveRoleHop({ roleArn: 'arn:aws:iam::111111111111:role/deploy' }, 0);
    const run = (response: HttpResponse) =>
      failure(
        assumeRole(
          { hop, index: 2, caller, endpoint: 'http://sts', region: 'us-east-1', retry: { maxAttempts: 1 } },
          scripted([response]).deps,
        ),
      );
    const denied = await run(
      fail(
        403,
        'AccessDenied',
        'User: arn:aws:sts::123456789012:assumed-role/hub/x is not authorized to perform: sts:AssumeRole',
      ),
    );
    assert.equal(denied.code, 'ASSUME_ROLE_DENIED');
    assert.equal(denied.requestId, 'req-9');
    assert.match(
      denied.toLine(),
      /^ASSUME_ROLE_DENIED: AssumeRole of arn:aws:iam::111111111111:role\/deploy \(hop 2\) failed: AccessDenied: User: .* not authorized .*; check that the role's trust policy allows the previous role/,
    );
    assert.equal((await run(fail(400, 'ValidationError', 'too long'))).code, 'ASSUME_ROLE_INVALID');
    assert.equal((await run(fail(400, 'MalformedPolicyDocument', 'bad'))).code, 'ASSUME_ROLE_INVALID');
    assert.match((await run(fail(400, 'ExpiredToken', 'expired'))).message, /previous session expired/);
    assert.match(
      (await run(fail(403, 'InvalidClientTokenId', 'invalid'))).message,
      /check the STS endpoint and region/,
    );
    const weird = await run({ status: 403, headers: {}, body: errorBody('Evil\u001b[31m', 'line1\nline2\u202e') });
    assert.equal(weird.serviceCode, 'Evilu001b31m');
    for (const bad of ['\n', '\u001b', '\u202e'])
      assert.ok(!weird.message.includes(bad), 'service text is one clean line');
    assert.equal((await run({ status: 403, headers: {}, body: '<html>' })).serviceCode, 'HTTP403');
  });

  it('retries throttling and 5xx like CreateSession, and gives up with the last error', async () => {
    const hop = resolveRoleHop({ roleArn: 'arn:aws:iam::111111111111:role/deploy' }, 0);
    const script = scripted([fail(400, 'Throttling', 'Rate exceeded'), fail(503, 'ServiceUnavailable', 'x'), ok()]);
    const result = await assumeRole(
      { hop, index: 1, caller, endpoint: 'http://sts', region: 'us-east-1' },
      script.deps,
    );
    assert.equal(result.attempts, 3);
    assert.equal(script.sleeps.length, 2);
    const again = scripted([fail(400, 'Throttling', 'Rate exceeded'), fail(400, 'Throttling', 'Rate exceeded')]);
    const error = await failure(
      assumeRole(
        { hop, index: 1, caller, endpoint: 'http://sts', region: 'us-east-1', retry: { maxAttempts: 2 } },
        again.deps,
      ),
    );
    assert.equal(error.code, 'THROTTLED');
    assert.match(error.message, /gave up after 2 attempts/);
    const denied = scripted([fail(403, 'AccessDenied', 'no')]);
    await failure(assumeRole({ hop, index: 1, caller, endpoint: 'http://sts', region: 'us-east-1' }, denied.deps));
    assert.equal(denied.requests.length, 1, 'a denial is not retried');
  });
});

describe('STS XML', () => {
  it('refuses DOCTYPE and entity declarations, unknown entities, duplicates and trailing content', () => {
    const refused = (body: string) => {
      try {
        parseAssumeRoleResponse(body, 'arn:aws:iam::111111111111:role/deploy');
      } catch (error) {
        return (error as IamraError).code;
      }
      return 'parsed';
    };
    assert.equal(refused(`<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>${okBody()}`), 'RESPONSE_INVALID');
    assert.equal(refused(okBody().replace('newtoken', '&e;')), 'RESPONSE_INVALID');
    assert.equal(refused(okBody('<Credentials><AccessKeyId>B</AccessKeyId></Credentials>')), 'RESPONSE_INVALID');
    assert.equal(refused(`${okBody()}<extra/>`), 'RESPONSE_INVALID');
    assert.equal(refused(okBody().replace('<SessionToken>newtoken</SessionToken>', '')), 'RESPONSE_INVALID');
    assert.equal(refused(okBody().replace('2026-05-01T13:00:00Z', 'soon')), 'RESPONSE_INVALID');
    assert.equal(refused('<GetCallerIdentityResponse/>'), 'RESPONSE_INVALID');
    assert.equal(refused(`${'<a>'.repeat(40)}${'</a>'.repeat(40)}`), 'RESPONSE_INVALID');
    assert.equal(refused(okBody()), 'parsed');
  });

  it('reads text, character references, CDATA and namespaces', () => {
    const root = parseXml(
      '<?xml version="1.0"?><!-- c --><p:R xmlns:p="u"><A>&#65;&#x42;&lt;<![CDATA[&amp;<x>]]></A><B/></p:R>',
    );
    assert.equal(root.name, 'R');
    assert.equal(root.children[0]?.text, 'AB<&amp;<x>');
    assert.equal(root.children[1]?.name, 'B');
  });
});
