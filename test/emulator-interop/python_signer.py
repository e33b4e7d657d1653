"""Signs a CreateSession request with AWS Labs' reference signer (iam-rolesanywhere-session),
optionally tampers with it, sends it, and prints {"status", "body"} as JSON.
Input (stdin, JSON): url, certificate, private_key, chain (optional), body (dict), tamper
("body" | "signature" | "serial-hex" | null)."""
import json
import re
import sys

from botocore.awsrequest import AWSRequest
from botocore.httpsession import URLLib3Session
from iam_rolesanywhere_session import IAMRolesAnywhereSigner

spec = json.load(sys.stdin)
signer = IAMRolesAnywhereSigner(
    certificate=spec["certificate"].encode(),
    private_key=spec["private_key"].encode(),
    certificate_chain=spec.get("chain", "").encode() or None,
    region=spec.get("region", "us-east-1"),
)
request = AWSRequest(method="POST", url=spec["url"], data=json.dumps(spec["body"]))
request.headers["Content-Type"] = "application/json"
signer.add_auth(request)
tamper = spec.get("tamper")
if tamper == "body":
    request.data = json.dumps({**spec["body"], "durationSeconds": 901})
elif tamper == "signature":
    auth = request.headers["Authorization"]
    last = auth[-1]
    request.headers.replace_header("Authorization", auth[:-1] + ("0" if last != "0" else "1"))
elif tamper == "serial-hex":
    auth = request.headers["Authorization"]
    serial = re.search(r"Credential=(\d+)/", auth).group(1)
    request.headers.replace_header("Authorization", auth.replace(f"Credential={serial}/", f"Credential={int(serial):x}/"))
response = URLLib3Session().send(request.prepare())
print(json.dumps({"status": response.status_code, "body": response.text}))
