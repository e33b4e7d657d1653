// The least a Roles Anywhere step can do, written out as plainly as possible: load node:crypto
// and node:http, parse the certificate, chain and key from INPUT_*, hash and sign once, POST once,
// append the access key to GITHUB_ENV. No checks, no masking, no errors. The bench runs it
// against the stub service as the floor under the action step (CommonJS: the cheapest load).
const crypto = require('node:crypto');
const http = require('node:http');
const fs = require('node:fs');

const env = process.env;
const leaf = new crypto.X509Certificate(env.INPUT_CERTIFICATE);
const chain = new crypto.X509Certificate(env['INPUT_CERTIFICATE-CHAIN']);
const key = crypto.createPrivateKey(env['INPUT_PRIVATE-KEY']);
const body = JSON.stringify({
  trustAnchorArn: env['INPUT_TRUST-ANCHOR-ARN'],
  profileArn: env['INPUT_PROFILE-ARN'],
  roleArn: env['INPUT_ROLE-ARN'],
});
const digest = crypto.createHash('sha256').update(body).digest('hex');
const signature = crypto.sign('sha256', Buffer.from(`AWS4-X509-ECDSA-SHA256\n${digest}`), key).toString('hex');
const request = http.request(
  `${env['INPUT_ROLESANYWHERE-ENDPOINT']}/sessions`,
  {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-amz-x509': leaf.raw.toString('base64'),
      'x-amz-x509-chain': chain.raw.toString('base64'),
      authorization: signature,
    },
  },
  (response) => {
    let text = '';
    response.on('data', (chunk) => {
      text += chunk;
    });
    response.on('end', () => {
      const { accessKeyId } = JSON.parse(text).credentialSet[0].credentials;
      fs.appendFileSync(env.GITHUB_ENV, `AWS_ACCESS_KEY_ID=${accessKeyId}\n`);
    });
  },
);
request.end(body);
