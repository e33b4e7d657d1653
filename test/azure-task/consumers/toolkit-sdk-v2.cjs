// A later AWS Toolkit task with no awsCredentials input, as the Toolkit resolves credentials: the
// AWS.AccessKeyID/AWS.SecretAccessKey/AWS.SessionToken task variables (read with task-lib, which
// gets secret variables from the agent as SECRET_*), else the AWS SDK for JavaScript v2's default
// provider chain (environment, shared config with AWS_SDK_LOAD_CONFIG, credential_process, ...).
// Prints the caller ARN from STS at the endpoint given as the first argument.
const tl = require('azure-pipelines-task-lib/task');
const AWS = require('aws-sdk');

async function main() {
  const accessKeyId = tl.getVariable('AWS.AccessKeyID');
  const fromVariables = accessKeyId
    ? new AWS.Credentials({
        accessKeyId,
        secretAccessKey: tl.getVariable('AWS.SecretAccessKey'),
        sessionToken: tl.getVariable('AWS.SessionToken'),
      })
    : undefined;
  const sts = new AWS.STS({
    endpoint: process.argv[2],
    region: tl.getVariable('AWS.Region') || process.env.AWS_REGION,
    ...(fromVariables ? { credentials: fromVariables } : {}),
  });
  const identity = await sts.getCallerIdentity().promise();
  console.log(`source=${fromVariables ? 'task variables' : 'default chain'}`);
  console.log(identity.Arn);
}

main().catch((error) => {
  console.error(`${error.code ?? 'Error'}: ${error.message}`);
  process.exit(1);
});
