// A stand-in for CreateSession that answers at once with a fixed, well-formed credential set and
// checks nothing: timing a step against it leaves out the service's own time (the emulator
// verifies the chain and the signature, a real service adds a network round trip).
import http from 'node:http';

export async function startStubService() {
  const expiration = new Date(Date.now() + 3600_000).toISOString();
  const body = JSON.stringify({
    credentialSet: [
      {
        assumedRoleUser: {
          arn: 'arn:aws:sts::111122223333:assumed-role/bench/stub',
          assumedRoleId: 'AROABENCHSTUB:stub',
        },
        credentials: {
          accessKeyId: 'ASIABENCHSTUB0000000',
          secretAccessKey: 'benchStubSecretAccessKey0000000000000000',
          sessionToken: 'benchStubSessionToken',
          expiration,
        },
        packedPolicySize: 0,
        roleArn: 'arn:aws:iam::111122223333:role/bench',
        sourceIdentity: 'CN=bench',
      },
    ],
    subjectArn: 'arn:aws:rolesanywhere:us-east-1:111122223333:subject/bench',
  });
  let requests = 0;
  const server = http.createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      requests += 1;
      response.writeHead(201, { 'Content-Type': 'application/json', 'x-amzn-RequestId': 'stub' }).end(body);
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
