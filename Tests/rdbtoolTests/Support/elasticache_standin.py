#!/usr/bin/env python3
"""A STAND-IN for Amazon ElastiCache's Query API, written for rdbtool's tests. It is not
ElastiCache and does not export anything ElastiCache made; it exists because ElastiCache
cannot run here and moto does not implement CopySnapshot.

What it checks, like the real endpoint:
- POST / with a form body (application/x-www-form-urlencoded), Version=2015-02-02 and
  Action=CopySnapshot or DescribeSnapshots; anything else is InvalidAction / a 400.
- The SigV4 signature: the Authorization header's credential scope must be
  <date>/<this region>/elasticache/aws4_request (another region gets the real 403
  SignatureDoesNotMatch "Credential should be scoped to a valid region"), the access key must be
  the one given with --access-key, X-Amz-Date within 15 minutes, and the signature must equal the
  one botocore's SigV4Auth computes from the signed headers and the body.
- CopySnapshot: SourceSnapshotName must be a snapshot given with --snapshot (else 404
  SnapshotNotFoundFault), TargetSnapshotName 1-1,000 characters, TargetBucket an existing bucket
  in moto in this region ("The S3 bucket %s is outside of the region."). Then the bucket must
  grant what ElastiCache needs, read from moto with the admin keys: in regions enabled by
  default the canonical-user grants READ, WRITE and READ_ACP (ignored when Object Ownership is
  BucketOwnerEnforced, as S3 ignores ACLs then), in opt-in regions a policy statement for
  <region>.elasticache-snapshot.amazonaws.com (s3:ListBucket for READ, s3:PutObject for WRITE,
  s3:GetBucketAcl for READ_ACP). The first missing one is answered with ElastiCache's documented
  message "ElastiCache has not been granted <P> permissions %s on the S3 Bucket." (code
  InvalidParameterValue, 400; %s is filled with the canonical user id or service principal).
  When everything is granted it answers with the Snapshot and, after --delay seconds, writes one
  real fixture RDB file per shard (--fixture, in order) into moto as <target>-0001.rdb, …, a
  shard every --stagger seconds, so that a client that waits has to wait.
- DescribeSnapshots with SnapshotName: the Snapshot with NumNodeGroups and one NodeSnapshot per
  shard; unknown → SnapshotNotFoundFault.
- A snapshot named with --throttled always gets 400 Throttling "Rate exceeded".
Responses are the documented XML shapes (namespace http://elasticache.amazonaws.com/doc/2015-02-02/,
ErrorResponse/Error/Type,Code,Message + RequestId). Every request is logged as a JSON line.
"""

import argparse
import datetime
import json
import os
import sys
import threading
import time
import urllib.parse
import uuid
from http.server import BaseHTTPRequestHandler
from xml.sax.saxutils import escape

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                                "RDBKitTests", "S3", "Support"))
from serving import serve  # noqa: E402

NAMESPACE = "http://elasticache.amazonaws.com/doc/2015-02-02/"
EC_CANONICAL_ID = "540804c33a284a299d2547575ce1010f2312ef3da9b3a053c8bc45bf233e4353"
GOV_CANONICAL_ID = "40fa568277ad703bd160f66ae4f83fc9dfdfd06c2f1b5060ca22442ac3ef8be6"
OPT_IN = {"af-south-1", "ap-east-1", "ap-east-2", "ap-south-2", "ap-southeast-3", "ap-southeast-4",
          "ap-southeast-5", "ap-southeast-6", "ap-southeast-7", "ca-west-1", "eu-central-2",
          "eu-south-1", "eu-south-2", "il-central-1", "me-central-1", "me-south-1", "mx-central-1"}


class Fault(Exception):
    def __init__(self, status, code, message, kind="Sender"):
        super().__init__(message)
        self.status, self.code, self.message, self.kind = status, code, message, kind


def s3_client(config):
    import boto3
    return boto3.client("s3", endpoint_url=config.moto, region_name=config.region,
                        aws_access_key_id=config.moto_key, aws_secret_access_key=config.moto_secret)


def check_signature(config, handler, body):
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials
    authorization = handler.headers.get("Authorization", "")
    if not authorization.startswith("AWS4-HMAC-SHA256 "):
        raise Fault(403, "MissingAuthenticationToken", "Request is missing Authentication Token")
    fields = dict(part.strip().split("=", 1) for part in authorization[17:].split(","))
    akid, day, region, service, terminal = fields["Credential"].split("/")
    if akid != config.access_key:
        raise Fault(403, "InvalidClientTokenId",
                    "The security token included in the request is invalid.")
    if service != "elasticache" or terminal != "aws4_request":
        raise Fault(403, "SignatureDoesNotMatch",
                    f"Credential should be scoped to correct service: 'elasticache'.")
    if region != config.region:
        raise Fault(403, "SignatureDoesNotMatch",
                    f"Credential should be scoped to a valid region, not '{region}'. ")
    amz_date = handler.headers.get("X-Amz-Date", "")
    when = datetime.datetime.strptime(amz_date, "%Y%m%dT%H%M%SZ").replace(
        tzinfo=datetime.timezone.utc)
    if abs((datetime.datetime.now(datetime.timezone.utc) - when).total_seconds()) > 900:
        raise Fault(403, "SignatureDoesNotMatch", "Signature expired")
    signed = fields["SignedHeaders"].split(";")
    headers = {name: handler.headers.get(name, "") for name in signed}
    url = f"http://{handler.headers.get('Host')}{handler.path}"
    request = AWSRequest(method=handler.command, url=url, headers=headers, data=body)
    request.context["timestamp"] = amz_date
    auth = SigV4Auth(Credentials(akid, config.secret_key), "elasticache", region)
    canonical = auth.canonical_request(request)
    expected = auth.signature(auth.string_to_sign(request, canonical), request)
    if expected != fields["Signature"]:
        raise Fault(403, "SignatureDoesNotMatch",
                    "The request signature we calculated does not match the signature you "
                    "provided. Check your AWS Secret Access Key and signing method.")


def missing_permission(config, bucket):
    """The first of READ, WRITE, READ_ACP that the bucket does not grant ElastiCache, or None."""
    from botocore.exceptions import ClientError
    s3 = s3_client(config)
    try:
        location = s3.get_bucket_location(Bucket=bucket)["LocationConstraint"] or "us-east-1"
    except ClientError:
        raise Fault(400, "InvalidParameterValue", f"The S3 bucket {bucket} does not exist.")
    if location != config.region:
        raise Fault(400, "InvalidParameterValue", f"The S3 bucket {bucket} is outside of the region.")
    if config.region in OPT_IN:
        principal = f"{config.region}.elasticache-snapshot.amazonaws.com"
        try:
            policy = json.loads(s3.get_bucket_policy(Bucket=bucket)["Policy"])
        except ClientError:
            policy = {"Statement": []}
        statements = policy.get("Statement", [])
        statements = [statements] if isinstance(statements, dict) else statements
        allowed = set()
        for statement in statements:
            services = (statement.get("Principal") or {}).get("Service", [])
            services = [services] if isinstance(services, str) else services
            if statement.get("Effect") == "Allow" and principal in services:
                actions = statement.get("Action", [])
                allowed |= set([actions] if isinstance(actions, str) else actions)
        for permission, action in [("READ", "s3:ListBucket"), ("WRITE", "s3:PutObject"),
                                   ("READ_ACP", "s3:GetBucketAcl")]:
            if action not in allowed and "s3:*" not in allowed:
                return permission, principal
        return None
    canonical = GOV_CANONICAL_ID if config.region.startswith("us-gov-") else EC_CANONICAL_ID
    try:
        rules = s3.get_bucket_ownership_controls(Bucket=bucket)["OwnershipControls"]["Rules"]
        enforced = rules[0]["ObjectOwnership"] == "BucketOwnerEnforced"
    except ClientError:
        enforced = False
    granted = set()
    if not enforced:  # S3 ignores every ACL grant while ACLs are disabled
        for grant in s3.get_bucket_acl(Bucket=bucket)["Grants"]:
            if grant["Grantee"].get("ID") == canonical:
                granted.add(grant["Permission"])
    for permission in ["READ", "WRITE", "READ_ACP"]:
        if permission not in granted and "FULL_CONTROL" not in granted:
            return permission, canonical
    return None


def write_shards(config, bucket, target, delay):
    time.sleep(delay)
    s3 = s3_client(config)
    for number, path in enumerate(config.fixture, start=1):
        with open(path, "rb") as f:
            s3.put_object(Bucket=bucket, Key=f"{target}-{number:04d}.rdb", Body=f.read())
        time.sleep(config.stagger)


def snapshot_xml(config, name, status):
    shards = len(config.fixture)
    nodes = "".join(
        f"<NodeSnapshot><NodeGroupId>{n:04d}</NodeGroupId><CacheNodeId>0001</CacheNodeId>"
        f"<CacheSize>1 MB</CacheSize></NodeSnapshot>" for n in range(1, shards + 1))
    return (f"<Snapshot><SnapshotName>{escape(name)}</SnapshotName>"
            f"<SnapshotStatus>{status}</SnapshotStatus><SnapshotSource>manual</SnapshotSource>"
            f"<Engine>redis</Engine><NumNodeGroups>{shards}</NumNodeGroups>"
            f"<NodeSnapshots>{nodes}</NodeSnapshots></Snapshot>")


def handle(config, params):
    if params.get("Version") != "2015-02-02":
        raise Fault(400, "InvalidParameterValue", "Version must be 2015-02-02")
    action = params.get("Action")
    if action == "DescribeSnapshots":
        name = params.get("SnapshotName", "")
        if name in config.throttled:
            raise Fault(400, "Throttling", "Rate exceeded")
        if name not in config.snapshot:
            raise Fault(404, "SnapshotNotFoundFault", f"Snapshot {name} not found.")
        return (f"<DescribeSnapshotsResponse xmlns=\"{NAMESPACE}\"><DescribeSnapshotsResult>"
                f"<Snapshots>{snapshot_xml(config, name, 'available')}</Snapshots>"
                f"</DescribeSnapshotsResult><ResponseMetadata><RequestId>{uuid.uuid4()}</RequestId>"
                f"</ResponseMetadata></DescribeSnapshotsResponse>")
    if action != "CopySnapshot":
        raise Fault(400, "InvalidAction", f"Could not find operation {action} for version 2015-02-02")
    source = params.get("SourceSnapshotName", "")
    target = params.get("TargetSnapshotName", "")
    bucket = params.get("TargetBucket", "")
    if source in config.throttled:
        raise Fault(400, "Throttling", "Rate exceeded")
    if source not in config.snapshot:
        raise Fault(404, "SnapshotNotFoundFault", f"Snapshot {source} not found.")
    if not 1 <= len(target) <= 1000:
        raise Fault(400, "InvalidParameterValue",
                    "TargetSnapshotName must be between 1 and 1000 characters.")
    missing = missing_permission(config, bucket)
    if missing:
        permission, who = missing
        raise Fault(400, "InvalidParameterValue",
                    f"ElastiCache has not been granted {permission} permissions {who} on the S3 Bucket.")
    delay = config.slow_delay if source in config.slow else config.delay
    threading.Thread(target=write_shards, args=(config, bucket, target, delay), daemon=True).start()
    return (f"<CopySnapshotResponse xmlns=\"{NAMESPACE}\"><CopySnapshotResult>"
            f"{snapshot_xml(config, target, 'creating')}</CopySnapshotResult><ResponseMetadata>"
            f"<RequestId>{uuid.uuid4()}</RequestId></ResponseMetadata></CopySnapshotResponse>")


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_POST(self):
        config = self.server.config
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        params = dict(urllib.parse.parse_qsl(body.decode("utf-8"), keep_blank_values=True))
        entry = {"path": self.path, "params": params,
                 "content_type": self.headers.get("Content-Type")}
        try:
            if self.path != "/":
                raise Fault(404, "UnknownOperationException", "Unknown path")
            if not (self.headers.get("Content-Type") or "").startswith(
                    "application/x-www-form-urlencoded"):
                raise Fault(400, "InvalidParameterValue", "Expected a form body")
            check_signature(config, self, body)
            status, text = 200, handle(config, params)
        except Fault as fault:
            status = fault.status
            text = (f"<ErrorResponse xmlns=\"{NAMESPACE}\"><Error><Type>{fault.kind}</Type>"
                    f"<Code>{fault.code}</Code><Message>{escape(fault.message)}</Message></Error>"
                    f"<RequestId>{uuid.uuid4()}</RequestId></ErrorResponse>")
        entry["status"] = status
        with self.server.log_lock, open(config.log, "a") as log:
            log.write(json.dumps(entry) + "\n")
        data = text.encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/xml")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--region", required=True)
    parser.add_argument("--access-key", required=True, help="the caller's key id")
    parser.add_argument("--secret-key", required=True, help="its secret, to check signatures")
    parser.add_argument("--moto", required=True, help="moto's endpoint")
    parser.add_argument("--moto-key", required=True, help="admin keys for reading buckets")
    parser.add_argument("--moto-secret", required=True)
    parser.add_argument("--snapshot", action="append", default=[], help="a source snapshot name")
    parser.add_argument("--slow", action="append", default=[],
                        help="a source snapshot whose shards come after --slow-delay")
    parser.add_argument("--throttled", action="append", default=[],
                        help="a source snapshot name always answered with Throttling")
    parser.add_argument("--fixture", action="append", required=True, help="one RDB file per shard")
    parser.add_argument("--delay", type=float, default=1.5)
    parser.add_argument("--slow-delay", type=float, default=120)
    parser.add_argument("--stagger", type=float, default=0.3)
    parser.add_argument("--log", required=True)
    config = parser.parse_args()
    config.snapshot += config.slow
    serve(Handler, config=config, log_lock=threading.Lock())


if __name__ == "__main__":
    main()
