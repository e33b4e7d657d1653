// A later script step with the AWS SDK for JavaScript v3 and its default credential chain.
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';

const client = new STSClient({ endpoint: process.argv[2] });
const identity = await client.send(new GetCallerIdentityCommand({}));
console.log(identity.Arn);
