#!/usr/bin/env python3
"""Test helper for RDBKit's S3 tests (Python standard library + boto3/botocore from moto[server]).

Subcommands:
  make-certificates DIR NAME… a throwaway CA and server certificate for NAMEs in DIR
  serve-moto PORT [--tls | --certificates DIR]
                              run moto's server on 127.0.0.1:PORT in this process, with the signal
                              mask cleared (children of Foundation.Process start with SIGTERM
                              blocked), so SIGTERM to this pid stops it
  setup ENDPOINT [options]    create buckets, objects, IAM users and check-bucket scenarios in a
                              running moto, optionally turn signature checks on; print JSON
  reset-auth ENDPOINT N       let the next N actions through unchecked (N=0: check everything)
  put --endpoint … --bucket … --key … --file … --access-key … --secret-key …
                              upload (replace) one object with the given keys
  state --endpoint … --bucket … --access-key … --secret-key … [--get KEY=PATH]
                              the bucket's objects (key: size) and pending multipart uploads
                              (keys) as JSON, through boto3; --get downloads KEY to PATH first
  remove-grant --endpoint … --bucket … --id … --permission … --access-key … --secret-key …
                              drop one grant from a bucket's ACL, keeping the others
  describe-bucket --endpoint … --bucket … --region … --access-key … --secret-key …
                              a bucket's ownership, ACL grants and policy as JSON
  sign                        botocore's S3 SigV4 signature at a fixed time, as JSON (the oracle)
"""

import argparse
import datetime
import json
import os
import sys
import urllib.request

sys.dont_write_bytecode = True  # no __pycache__ in the test target's folder
from serving import live_with_parent  # noqa: E402

EC_CANONICAL_ID = "540804c33a284a299d2547575ce1010f2312ef3da9b3a053c8bc45bf233e4353"
OTHER_CANONICAL_ID = "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"
EC_ACTIONS = ["s3:PutObject", "s3:GetObject", "s3:ListBucket", "s3:GetBucketAcl",
              "s3:ListMultipartUploadParts", "s3:ListBucketMultipartUploads"]


def make_certificates(directory, names):
    """A throwaway CA (ca.pem) and a server certificate for `names` (server.pem, server.key)."""
    import ipaddress
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    now = datetime.datetime.now(datetime.timezone.utc)

    def certificate(subject, issuer, public_key, signing_key, ca, sans=None):
        builder = (x509.CertificateBuilder()
                   .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)]))
                   .issuer_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, issuer)]))
                   .public_key(public_key).serial_number(x509.random_serial_number())
                   .not_valid_before(now - datetime.timedelta(minutes=5))
                   .not_valid_after(now + datetime.timedelta(days=1))
                   .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True))
        if sans:
            builder = builder.add_extension(x509.SubjectAlternativeName(sans), critical=False)
        return builder.sign(signing_key, hashes.SHA256())

    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = certificate("rdbkit test CA", "rdbkit test CA", ca_key.public_key(), ca_key, True)
    server_key = ec.generate_private_key(ec.SECP256R1())
    sans = [x509.IPAddress(ipaddress.ip_address(n)) if n[0].isdigit() else x509.DNSName(n)
            for n in names]
    server = certificate(names[0], "rdbkit test CA", server_key.public_key(), ca_key, False, sans)
    pem = serialization.Encoding.PEM
    with open(os.path.join(directory, "ca.pem"), "wb") as f:
        f.write(ca.public_bytes(pem))
    with open(os.path.join(directory, "server.pem"), "wb") as f:
        f.write(server.public_bytes(pem))
    with open(os.path.join(directory, "server.key"), "wb") as f:
        f.write(server_key.private_bytes(pem, serialization.PrivateFormat.PKCS8,
                                         serialization.NoEncryption()))


def serve_moto(port, tls, certificate_directory):
    live_with_parent()
    import runpy
    sys.argv = ["moto_server", "-H", "127.0.0.1", "-p", str(port)] + (["-s"] if tls else [])
    if certificate_directory:
        sys.argv += ["-c", os.path.join(certificate_directory, "server.pem"),
                     "-k", os.path.join(certificate_directory, "server.key")]
    runpy.run_module("moto.server", run_name="__main__")


def reset_auth(endpoint, count, ca_bundle=None):
    import ssl
    request = urllib.request.Request(endpoint + "/moto-api/reset-auth", data=str(count).encode(),
                                     headers={"Content-Type": "text/plain"}, method="POST")
    context = ssl.create_default_context(cafile=ca_bundle) if ca_bundle else None
    urllib.request.urlopen(request, context=context).read()


def clean_environment():
    for name in list(os.environ):
        if name.startswith("AWS_"):
            del os.environ[name]
    os.environ.update(AWS_CONFIG_FILE=os.devnull, AWS_SHARED_CREDENTIALS_FILE=os.devnull,
                      AWS_EC2_METADATA_DISABLED="true")


def statement(actions, resources, principal=None, effect="Allow"):
    doc = {"Effect": effect, "Action": actions, "Resource": resources}
    if principal is not None:
        doc["Principal"] = principal
    return doc


def setup(args):
    import boto3
    clean_environment()

    def client(service, region="us-east-1", key="test", secret="test"):
        return boto3.client(service, endpoint_url=args.endpoint, region_name=region,
                            aws_access_key_id=key, aws_secret_access_key=secret,
                            verify=args.ca_bundle)

    s3 = client("s3")
    iam = client("iam")
    out = {"endpoint": args.endpoint, "bucket": args.bucket, "objects": {}, "users": {},
           "scenarios": []}

    def make_bucket(name, region):
        if region == "us-east-1":
            client("s3", region).create_bucket(Bucket=name)
        else:
            client("s3", region).create_bucket(
                Bucket=name, CreateBucketConfiguration={"LocationConstraint": region})

    make_bucket(args.bucket, args.region)
    for item in args.put:
        key, path = item.split("=", 1)
        with open(path, "rb") as f:
            s3.put_object(Bucket=args.bucket, Key=key, Body=f.read())
        head = s3.head_object(Bucket=args.bucket, Key=key)
        out["objects"][key] = {"size": head["ContentLength"], "etag": head["ETag"]}

    bucket_arn = f"arn:aws:s3:::{args.bucket}"
    users = {
        "admin": [statement("*", "*")],
        "reader": [statement("s3:GetObject", bucket_arn + "/*"),
                   statement(["s3:ListBucket", "s3:GetBucketLocation"], bucket_arn)],
        "no-get": [statement(["s3:ListBucket", "s3:GetBucketLocation"], bucket_arn)],
    }
    for name, statements in users.items():
        iam.create_user(UserName=name)
        iam.put_user_policy(UserName=name, PolicyName=name + "-policy", PolicyDocument=json.dumps(
            {"Version": "2012-10-17", "Statement": statements}))
        key = iam.create_access_key(UserName=name)["AccessKey"]
        out["users"][name] = {"access_key_id": key["AccessKeyId"],
                              "secret_access_key": key["SecretAccessKey"]}
    trust = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"Federated": "arn:aws:iam::123456789012:oidc-provider/test"},
         "Action": "sts:AssumeRoleWithWebIdentity"},
        {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:user/admin"},
         "Action": "sts:AssumeRole"}]}
    role = iam.create_role(RoleName="rdb-reader-role", AssumeRolePolicyDocument=json.dumps(trust))
    iam.put_role_policy(RoleName="rdb-reader-role", PolicyName="reader", PolicyDocument=json.dumps(
        {"Version": "2012-10-17", "Statement": users["reader"]}))
    out["role_arn"] = role["Role"]["Arn"]
    if args.role_chain:
        make_role_chain(iam, users["reader"], out)
    if args.temp_credentials:
        admin = out["users"]["admin"]
        sts = client("sts", key=admin["access_key_id"], secret=admin["secret_access_key"])
        creds = sts.assume_role(RoleArn=out["role_arn"], RoleSessionName="rdb-test")["Credentials"]
        out["session"] = {"access_key_id": creds["AccessKeyId"],
                          "secret_access_key": creds["SecretAccessKey"],
                          "session_token": creds["SessionToken"]}
    if args.scenarios:
        make_scenarios(client, make_bucket, out)
    if args.seed_scenarios:
        make_seed_scenarios(client, make_bucket, args.seed_scenarios, out)
    if args.ownership_scenarios:
        make_ownership_scenarios(client, make_bucket, out)
    if args.enable_auth:
        reset_auth(args.endpoint, 0, args.ca_bundle)
    json.dump(out, sys.stdout)


def make_role_chain(iam, reader_statements, out):
    """Roles for assume-role tests; moto checks each trust policy (principal, sts:ExternalId).
    rdb-hop-role: trusts admin, may call sts:AssumeRole. rdb-chained-role: reads the bucket,
    trusts only the hop role's session named rdb-hop (moto compares session ARNs exactly).
    rdb-external-role: reads the bucket, trusts admin only with ExternalId ext-4711."""
    account = "arn:aws:iam::123456789012"

    def role(name, principal, statements, condition=None):
        trust = {"Effect": "Allow", "Principal": {"AWS": principal}, "Action": "sts:AssumeRole"}
        if condition:
            trust["Condition"] = condition
        arn = iam.create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(
            {"Version": "2012-10-17", "Statement": [trust]}))["Role"]["Arn"]
        iam.put_role_policy(RoleName=name, PolicyName=name + "-policy", PolicyDocument=json.dumps(
            {"Version": "2012-10-17", "Statement": statements}))
        return arn

    out["chain_roles"] = {
        "hop": role("rdb-hop-role", account + ":user/admin",
                    [statement("sts:AssumeRole", "*")]),
        "chained": role("rdb-chained-role",
                        "arn:aws:sts::123456789012:assumed-role/rdb-hop-role/rdb-hop",
                        reader_statements),
        "external": role("rdb-external-role", account + ":user/admin", reader_statements,
                         {"StringEquals": {"sts:ExternalId": "ext-4711"}}),
    }


def make_scenarios(client, make_bucket, out):
    def acl(name, grants, region="us-east-1"):
        make_bucket(name, region)
        s3 = client("s3", region)
        owner = s3.get_bucket_acl(Bucket=name)["Owner"]
        full = [{"Grantee": {"Type": "CanonicalUser", "ID": owner["ID"]}, "Permission": "FULL_CONTROL"}]
        s3.put_bucket_acl(Bucket=name, AccessControlPolicy={"Owner": owner, "Grants": full + grants})

    def ec(permission):
        return {"Grantee": {"Type": "CanonicalUser", "ID": EC_CANONICAL_ID}, "Permission": permission}

    def group(uri, permission="READ"):
        return {"Grantee": {"Type": "Group", "URI": uri}, "Permission": permission}

    def policy(name, region, principal_region=None, actions=EC_ACTIONS, extra=()):
        make_bucket(name, region)
        service = f"{principal_region or region}.elasticache-snapshot.amazonaws.com"
        statements = [statement(actions, [f"arn:aws:s3:::{name}", f"arn:aws:s3:::{name}/*"],
                                {"Service": service})] + list(extra)
        client("s3", region).put_bucket_policy(Bucket=name, Policy=json.dumps(
            {"Version": "2012-10-17", "Statement": statements}))

    ok = [ec("READ"), ec("WRITE"), ec("READ_ACP")]
    acl("ec-acl-ok", ok)
    acl("ec-acl-no-write", [ec("READ"), ec("READ_ACP")])
    acl("ec-acl-missing", [])
    acl("ec-acl-public", ok + [group("http://acs.amazonaws.com/groups/global/AllUsers")])
    acl("ec-acl-authenticated",
        ok + [group("http://acs.amazonaws.com/groups/global/AuthenticatedUsers")])
    policy("ec-optin-ok", "ap-east-1")
    policy("ec-optin-missing-action", "ap-east-1",
           actions=[a for a in EC_ACTIONS if a != "s3:ListMultipartUploadParts"])
    policy("ec-optin-wrong-region", "ap-east-1", principal_region="me-south-1")
    make_bucket("ec-optin-no-policy", "ap-east-1")
    policy("ec-optin-star", "ap-east-1",
           extra=[statement("s3:GetObject", "arn:aws:s3:::ec-optin-star/*", "*")])
    out["scenarios"] = ["ec-acl-ok", "ec-acl-no-write", "ec-acl-missing", "ec-acl-public",
                        "ec-acl-authenticated", "ec-optin-ok", "ec-optin-missing-action",
                        "ec-optin-wrong-region", "ec-optin-no-policy", "ec-optin-star"]


def make_ownership_scenarios(client, make_bucket, out):
    """Buckets for check-bucket's Object Ownership and Block Public Access rules: the complete
    ElastiCache grant under each ownership setting, and Block Public Access combinations."""
    s3 = client("s3")
    ec = [{"Grantee": {"Type": "CanonicalUser", "ID": EC_CANONICAL_ID}, "Permission": p}
          for p in ("READ", "WRITE", "READ_ACP")]
    public = [{"Grantee": {"Type": "Group", "URI": "http://acs.amazonaws.com/groups/global/AllUsers"},
               "Permission": "READ"}]
    all_on = {"BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True,
              "RestrictPublicBuckets": True}

    def bucket(name, ownership=None, grants=ec, block=None, region="us-east-1"):
        make_bucket(name, region)
        s3 = client("s3", region)
        if region == "us-east-1":
            owner = s3.get_bucket_acl(Bucket=name)["Owner"]
            full = [{"Grantee": {"Type": "CanonicalUser", "ID": owner["ID"]},
                     "Permission": "FULL_CONTROL"}]
            s3.put_bucket_acl(Bucket=name, AccessControlPolicy={"Owner": owner,
                                                                "Grants": full + grants})
        # Ownership last: real S3 refuses ACL changes once ACLs are disabled.
        if ownership:
            s3.put_bucket_ownership_controls(Bucket=name, OwnershipControls={
                "Rules": [{"ObjectOwnership": ownership}]})
        if block is not None:
            s3.put_public_access_block(Bucket=name, PublicAccessBlockConfiguration=block)

    bucket("own-enforced", "BucketOwnerEnforced")
    bucket("own-enforced-bare", "BucketOwnerEnforced", grants=[])
    bucket("own-preferred", "BucketOwnerPreferred")
    bucket("own-writer", "ObjectWriter")
    bucket("pab-all-on", "BucketOwnerPreferred", block=all_on)
    bucket("pab-off", block={k: False for k in all_on})
    bucket("pab-public-grant", grants=ec + public, block=all_on)
    bucket("pab-optin-star", region="ap-east-1")
    service = {"Service": "ap-east-1.elasticache-snapshot.amazonaws.com"}
    client("s3", "ap-east-1").put_bucket_policy(Bucket="pab-optin-star", Policy=json.dumps(
        {"Version": "2012-10-17", "Statement": [
            statement(EC_ACTIONS, ["arn:aws:s3:::pab-optin-star", "arn:aws:s3:::pab-optin-star/*"],
                      service),
            statement("s3:GetObject", "arn:aws:s3:::pab-optin-star/*", "*")]}))
    client("s3", "ap-east-1").put_public_access_block(Bucket="pab-optin-star",
                                                      PublicAccessBlockConfiguration=all_on)
    other = {"Grantee": {"Type": "CanonicalUser", "ID": OTHER_CANONICAL_ID}, "Permission": "WRITE_ACP"}
    authenticated = {"Grantee": {"Type": "Group",
                                 "URI": "http://acs.amazonaws.com/groups/global/AuthenticatedUsers"},
                     "Permission": "READ"}
    bucket("acl-other-grants", grants=[other, authenticated, ec[0]])
    make_bucket("optin-other-statement", "ap-east-1")
    client("s3", "ap-east-1").put_bucket_policy(Bucket="optin-other-statement", Policy=json.dumps(
        {"Version": "2012-10-17", "Statement": [
            dict(statement("s3:GetObject", "arn:aws:s3:::optin-other-statement/reports/*",
                           {"AWS": "arn:aws:iam::123456789012:user/admin"}), Sid="Reports"),
            dict(statement(["s3:PutObject"], "arn:aws:s3:::optin-other-statement/*",
                           {"Service": "ap-east-1.elasticache-snapshot.amazonaws.com"}),
                 Sid="ElastiCacheSnapshotExport")]}))
    out["scenarios"] += ["own-enforced-bare", "acl-other-grants", "optin-other-statement"]
    out["scenarios"] += ["own-enforced", "own-preferred", "own-writer", "pab-all-on", "pab-off",
                         "pab-public-grant", "pab-optin-star"]


def make_seed_scenarios(client, make_bucket, rdb_path, out):
    """Buckets for seed-check's s3 rule: one passing, one failing per sub-check."""
    with open(rdb_path, "rb") as f:
        rdb = f.read()
    ec_user = {"Type": "CanonicalUser", "ID": EC_CANONICAL_ID}

    def grants(s3, owner, permissions):
        full = [{"Grantee": {"Type": "CanonicalUser", "ID": owner["ID"]},
                 "Permission": "FULL_CONTROL"}]
        return {"Owner": owner,
                "Grants": full + [{"Grantee": ec_user, "Permission": p} for p in permissions]}

    def bucket(name, bucket_grants=("READ", "READ_ACP"), objects=(), region="us-east-1"):
        make_bucket(name, region)
        s3 = client("s3", region)
        owner = s3.get_bucket_acl(Bucket=name)["Owner"]
        if region == "us-east-1":
            s3.put_bucket_acl(Bucket=name, AccessControlPolicy=grants(s3, owner, bucket_grants))
        for key, body, object_grants in objects:
            s3.put_object(Bucket=name, Key=key, Body=body)
            # moto ignores an AccessControlPolicy body on PutObjectAcl; it honours the
            # x-amz-grant-* headers (which `aws s3api put-object-acl --grant-…` sends).
            headers = {"GrantFullControl": "id=" + owner["ID"]}
            if "READ" in object_grants:
                headers["GrantRead"] = "id=" + EC_CANONICAL_ID
            s3.put_object_acl(Bucket=name, Key=key, **headers)
        return s3

    readable = ("READ",)
    bucket("seed-ok", objects=[("seed-0001.rdb", rdb, readable), ("seed-0002.rdb", rdb, readable),
                               ("dump.rdb", rdb, readable)])
    bucket("seed-no-bucket-grant", bucket_grants=(), objects=[("dump.rdb", rdb, readable)])
    bucket("seed-no-object-grant", objects=[("dump.rdb", rdb, ())])
    bucket("seed-empty", objects=[("dump.rdb", rdb, readable), ("empty.rdb", b"", readable)])
    bucket("seed-gap", objects=[("exp-0001.rdb", rdb, readable), ("exp-0003.rdb", rdb, readable)])

    def policy(name, object_keys):
        s3 = bucket(name, objects=[(key, rdb, ()) for key in ["dump.rdb", "other.rdb"]],
                    region="ap-east-1")
        service = {"Service": "ap-east-1.elasticache-snapshot.amazonaws.com"}
        statements = [
            statement(["s3:ListBucket", "s3:GetBucketAcl"], f"arn:aws:s3:::{name}", service),
            statement("s3:GetObject", [f"arn:aws:s3:::{name}/{key}" for key in object_keys],
                      service)]
        s3.put_bucket_policy(Bucket=name, Policy=json.dumps(
            {"Version": "2012-10-17", "Statement": statements}))

    policy("seed-optin-ok", ["dump.rdb", "other.rdb"])
    policy("seed-optin-one-object", ["other.rdb"])
    out["scenarios"] += ["seed-ok", "seed-no-bucket-grant", "seed-no-object-grant", "seed-empty",
                         "seed-gap", "seed-optin-ok", "seed-optin-one-object"]


def describe_bucket(args):
    """Prints a bucket's ownership, ACL grants and policy as JSON, read with the given keys."""
    import boto3
    from botocore.exceptions import ClientError
    clean_environment()
    s3 = boto3.client("s3", endpoint_url=args.endpoint, region_name=args.region,
                      aws_access_key_id=args.access_key, aws_secret_access_key=args.secret_key)
    out = {"grants": [], "policy": None, "ownership": None}
    try:
        rules = s3.get_bucket_ownership_controls(Bucket=args.bucket)["OwnershipControls"]["Rules"]
        out["ownership"] = rules[0]["ObjectOwnership"]
    except ClientError:
        pass
    for grant in s3.get_bucket_acl(Bucket=args.bucket)["Grants"]:
        grantee = grant["Grantee"]
        out["grants"].append(f'{grantee.get("ID") or grantee.get("URI")} {grant["Permission"]}')
    try:
        out["policy"] = json.loads(s3.get_bucket_policy(Bucket=args.bucket)["Policy"])
    except ClientError:
        pass
    json.dump(out, sys.stdout)


def remove_grant(args):
    """Removes one grant from a bucket's ACL (keeping the others), as a user might by hand."""
    import boto3
    clean_environment()
    s3 = boto3.client("s3", endpoint_url=args.endpoint, region_name="us-east-1",
                      aws_access_key_id=args.access_key, aws_secret_access_key=args.secret_key)
    acl = s3.get_bucket_acl(Bucket=args.bucket)
    grants = [g for g in acl["Grants"]
              if not (g["Grantee"].get("ID") == args.id and g["Permission"] == args.permission)]
    if len(grants) == len(acl["Grants"]):
        sys.exit(f"no {args.permission} grant for {args.id}")
    s3.put_bucket_acl(Bucket=args.bucket, AccessControlPolicy={"Owner": acl["Owner"],
                                                               "Grants": grants})


def put(args):
    import boto3
    clean_environment()
    s3 = boto3.client("s3", endpoint_url=args.endpoint, region_name="us-east-1",
                      aws_access_key_id=args.access_key, aws_secret_access_key=args.secret_key)
    with open(args.file, "rb") as f:
        s3.put_object(Bucket=args.bucket, Key=args.key, Body=f.read())


def state(args):
    import boto3
    clean_environment()
    s3 = boto3.client("s3", endpoint_url=args.endpoint, region_name="us-east-1",
                      aws_access_key_id=args.access_key, aws_secret_access_key=args.secret_key)
    for item in args.get:
        key, path = item.split("=", 1)
        with open(path, "wb") as f:
            f.write(s3.get_object(Bucket=args.bucket, Key=key)["Body"].read())
    objects = {}
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=args.bucket):
        objects.update({o["Key"]: o["Size"] for o in page.get("Contents", [])})
    uploads = s3.list_multipart_uploads(Bucket=args.bucket).get("Uploads", [])
    json.dump({"objects": objects, "uploads": [u["Key"] for u in uploads]}, sys.stdout)


def sign(args):
    from unittest import mock
    from botocore.auth import S3SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials
    headers = dict(h.split(": ", 1) for h in args.header)
    request = AWSRequest(method=args.method, url=args.url, headers=headers)
    signer = S3SigV4Auth(Credentials(args.access_key, args.secret_key, args.session_token),
                         "s3", args.region)
    when = datetime.datetime.strptime(args.timestamp, "%Y%m%dT%H%M%SZ")
    with mock.patch("botocore.auth.get_current_datetime", return_value=when):
        request.context["timestamp"] = args.timestamp
        signer._modify_request_before_signing(request)
        if args.payload_sha256:
            del request.headers["X-Amz-Content-SHA256"]
            request.headers["X-Amz-Content-SHA256"] = args.payload_sha256
        canonical = signer.canonical_request(request)
        string_to_sign = signer.string_to_sign(request, canonical)
        signature = signer.signature(string_to_sign, request)
        signer._inject_signature_to_request(request, signature)
    json.dump({"canonical_request": canonical, "string_to_sign": string_to_sign,
               "authorization": request.headers["Authorization"]}, sys.stdout)


def main():
    parser = argparse.ArgumentParser()
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve-moto")
    serve.add_argument("port", type=int)
    serve.add_argument("--tls", action="store_true", help="HTTPS with a self-signed certificate")
    serve.add_argument("--certificates", help="HTTPS with DIR/server.pem and DIR/server.key")
    certs = commands.add_parser("make-certificates")
    certs.add_argument("directory")
    certs.add_argument("names", nargs="+")
    set_up = commands.add_parser("setup")
    set_up.add_argument("endpoint")
    set_up.add_argument("--bucket", default="rdb-exports")
    set_up.add_argument("--region", default="us-east-1")
    set_up.add_argument("--put", action="append", default=[])
    set_up.add_argument("--scenarios", action="store_true")
    set_up.add_argument("--seed-scenarios", metavar="RDB",
                        help="make seed-check's buckets, uploading RDB as each .rdb object")
    set_up.add_argument("--ownership-scenarios", action="store_true",
                        help="make buckets for the Object Ownership and Block Public Access rules")
    set_up.add_argument("--temp-credentials", action="store_true")
    set_up.add_argument("--role-chain", action="store_true",
                        help="also make the roles of make_role_chain")
    set_up.add_argument("--enable-auth", action="store_true")
    set_up.add_argument("--ca-bundle", help="trust this CA for an https endpoint")
    auth = commands.add_parser("reset-auth")
    auth.add_argument("endpoint")
    auth.add_argument("count")
    uploading = commands.add_parser("put")
    for name in ["endpoint", "bucket", "key", "file", "access-key", "secret-key"]:
        uploading.add_argument("--" + name, required=True)
    listing = commands.add_parser("state")
    for name in ["endpoint", "bucket", "access-key", "secret-key"]:
        listing.add_argument("--" + name, required=True)
    listing.add_argument("--get", action="append", default=[], metavar="KEY=PATH")
    removing = commands.add_parser("remove-grant")
    for name in ["endpoint", "bucket", "id", "permission", "access-key", "secret-key"]:
        removing.add_argument("--" + name, required=True)
    describing = commands.add_parser("describe-bucket")
    for name in ["endpoint", "bucket", "region", "access-key", "secret-key"]:
        describing.add_argument("--" + name, required=True)
    signing = commands.add_parser("sign")
    for name in ["method", "url", "access-key", "secret-key", "region", "timestamp"]:
        signing.add_argument("--" + name, required=True)
    signing.add_argument("--session-token")
    signing.add_argument("--payload-sha256")
    signing.add_argument("--header", action="append", default=[])
    args = parser.parse_args()
    if args.command == "serve-moto":
        serve_moto(args.port, args.tls, args.certificates)
    elif args.command == "make-certificates":
        make_certificates(args.directory, args.names)
    elif args.command == "setup":
        setup(args)
    elif args.command == "put":
        put(args)
    elif args.command == "state":
        state(args)
    elif args.command == "remove-grant":
        remove_grant(args)
    elif args.command == "describe-bucket":
        describe_bucket(args)
    elif args.command == "reset-auth":
        reset_auth(args.endpoint, args.count)
    else:
        sign(args)


if __name__ == "__main__":
    main()
