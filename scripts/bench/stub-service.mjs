// A stand-in for CreateSession that answers at once with a well-formed credential set for the
// role asked for, and checks nothing: timing a step against it leaves out the service's own
// time (the emulator verifies the chain and the signature, a real service adds a round trip).
import http from 'node:http';

/** The role a request asks for: CreateSession's roleArn query parameter, or a JSON body's. */
function askedRole(url, body) {
  const fromQuery = new URL(url, 'http://stub').searchParams.get('roleArn');
  if (fromQuery) return fromQuery;
  try {
    return JSON.parse(body).roleArn;
  } catch {
    return undefined;
  }
}

/** The well-formed answer for the role a request asks for (clients check the account and role they get). */
export function stubAnswer(url, requestBody, expiration) {
  const roleArn = askedRole(url, requestBody) ?? 'arn:aws:iam::111122223333:role/bench';
  const [, , , , account = '111122223333', resource = 'role/bench'] = roleArn.split(':');
  const role = resource.split('/').pop();
  return JSON.stringify({
    credentialSet: [
      {
        assumedRoleUser: {
          arn: `arn:aws:sts::${account}:assumed-role/${role}/stub`,
          assumedRoleId: 'AROABENCHSTUB:stub',
        },
        credentials: {
          accessKeyId: 'ASIABENCHSTUB0000000',
          secretAccessKey: 'benchStubSecretAccessKey0000000000000000',
          sessionToken: 'benchStubSessionToken',
          expiration,
        },
        packedPolicySize: 0,
        roleArn,
        sourceIdentity: 'CN=bench',
      },
    ],
    subjectArn: `arn:aws:rolesanywhere:us-east-1:${account}:subject/bench`,
  });
}

export async function startStubService() {
  const expiration = new Date(Date.now() + 3600_000).toISOString();
  let requests = 0;
  const server = http.createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8').on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => {
      requests += 1;
      response
        .writeHead(201, { 'Content-Type': 'application/json', 'x-amzn-RequestId': 'stub' })
        .end(stubAnswer(request.url ?? '/', body, expiration));
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests: () => requests,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
