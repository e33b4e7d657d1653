"""A later script step with botocore (the AWS CLI v1, boto3, Ansible) and its default chain."""
import sys

import botocore.session

client = botocore.session.get_session().create_client("sts", endpoint_url=sys.argv[1])
print(client.get_caller_identity()["Arn"])
