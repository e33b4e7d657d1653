/** Where CreateSession goes (the signing region) and what later AWS calls get (the AWS region). */
import assert from 'node:assert/strict';
import { IamraError, resolveAwsRegion, resolveSessionParameters } from '@iamra/core';

const arns = (region: string, partition = 'aws') => ({
  trustAnchorArn: `arn:${partition}:rolesanywhere:${region}:123456789012:trust-anchor/0c5a2b1e-7f4f-4c3b-9d6e-1a2b3c4d5e6f`,
  profileArn: `arn:${partition}:rolesanywhere:${region}:123456789012:profile/9f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0`,
  roleArn: `arn:${partition}:iam::123456789012:role/deploy`,
});

const refusedWith = (code: string, message: RegExp) => (error: unknown) =>
  error instanceof IamraError && error.code === code && message.test(error.message);

describe('session regions', () => {
  it("signs for the trust anchor's region unless told otherwise (the Go helper's --region)", () => {
    assert.equal(resolveSessionParameters(arns('us-east-1')).region, 'us-east-1');
    assert.equal(resolveSessionParameters({ ...arns('us-east-1'), region: ' eu-west-1 ' }).region, 'eu-west-1');
    assert.throws(
      () => resolveSessionParameters({ ...arns('us-east-1'), region: 'cn-north-1' }),
      refusedWith('REGION_INVALID', /region 'cn-north-1' is not a valid region of partition 'aws'/),
    );
  });

  it('exports the signing region by default, and any region of the partition when given', () => {
    const params = resolveSessionParameters(arns('us-east-1'));
    assert.equal(resolveAwsRegion(undefined, params), 'us-east-1');
    assert.equal(resolveAwsRegion('', params), 'us-east-1');
    assert.equal(resolveAwsRegion(' eu-west-1 ', params), 'eu-west-1');
    assert.equal(params.region, 'us-east-1', 'the AWS region never moves CreateSession');
    const china = resolveSessionParameters(arns('cn-north-1', 'aws-cn'));
    assert.equal(resolveAwsRegion('cn-northwest-1', china), 'cn-northwest-1');
  });

  it('refuses an AWS region that does not exist or is in another partition, naming the default', () => {
    const params = resolveSessionParameters(arns('us-east-1'));
    assert.throws(
      () => resolveAwsRegion('moon-base-1', params),
      refusedWith('REGION_INVALID', /AWS region 'moon-base-1' is not a valid region of partition 'aws'.*us-east-1/),
    );
    assert.throws(
      () => resolveAwsRegion('us-gov-west-1', params),
      refusedWith('REGION_INVALID', /AWS region 'us-gov-west-1' is not a valid region of partition 'aws'/),
    );
  });
});
