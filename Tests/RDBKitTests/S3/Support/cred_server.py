#!/usr/bin/env python3
"""Loopback stand-in for the container credentials endpoint and EC2 IMDSv2 (standard library).

Serves the documented shapes so the Swift providers can be tested without 169.254.x.x:
  GET /v1/... or /v2/...                      container endpoint; 401 unless the Authorization
                                              header equals --auth-token (when given)
  PUT /latest/api/token                       IMDSv2 token; TTL header must be 1..21600 (else
                                              400); X-Forwarded-For refused (403); with
                                              --imds-v1-only always 403
  GET /latest/meta-data/iam/security-credentials/[ROLE]
                                              role name / role document; 401 without a valid
                                              token unless --imds-v1-only
Prints {"port": N} first; logs {"method","path","headers"} per request to --log.
"""

import argparse
import datetime
import json
import secrets
import sys
import threading
from http.server import BaseHTTPRequestHandler

sys.dont_write_bytecode = True  # no __pycache__ in the test target's folder
from serving import serve  # noqa: E402

ROLE = "rdb-instance-role"
CREDENTIALS_PATH = "/latest/meta-data/iam/security-credentials/"


def iso(moment):
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def reply(self, status, body, content_type="application/json"):
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def record(self):
        state = self.server.state
        with state.lock:
            if state.log:
                state.log.write(json.dumps({"method": self.command, "path": self.path,
                                            "headers": dict(self.headers.items())}) + "\n")

    def document(self, imds):
        state = self.server.state
        now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
        doc = {"AccessKeyId": state.args.access_key, "SecretAccessKey": state.args.secret_key,
               "Token": state.args.session_token,
               "Expiration": iso(now + datetime.timedelta(hours=6))}
        if imds:
            doc = {"Code": "Success", "LastUpdated": iso(now), "Type": "AWS-HMAC", **doc}
        else:
            doc["RoleArn"] = "arn:aws:iam::123456789012:role/" + ROLE
        return json.dumps(doc)

    def do_PUT(self):
        self.record()
        state = self.server.state
        if self.path != "/latest/api/token":
            return self.reply(404, "")
        if state.args.imds_v1_only or self.headers.get("X-Forwarded-For"):
            return self.reply(403, "", "text/plain")
        try:
            ttl = int(self.headers.get("X-aws-ec2-metadata-token-ttl-seconds", ""))
        except ValueError:
            ttl = 0
        if not 1 <= ttl <= 21600:
            return self.reply(400, "", "text/plain")
        token = secrets.token_urlsafe(24)
        with state.lock:
            state.tokens.add(token)
        self.reply(200, token, "text/plain")

    def do_GET(self):
        self.record()
        state = self.server.state
        if self.path.startswith("/v1/") or self.path.startswith("/v2/"):
            if state.args.auth_token and self.headers.get("Authorization") != state.args.auth_token:
                return self.reply(401, json.dumps({"message": "unauthorized"}))
            return self.reply(200, self.document(imds=False))
        if self.path.startswith(CREDENTIALS_PATH):
            if not state.args.imds_v1_only:
                with state.lock:
                    valid = self.headers.get("X-aws-ec2-metadata-token") in state.tokens
                if not valid:
                    return self.reply(401, "", "text/plain")
            role = self.path[len(CREDENTIALS_PATH):]
            if role == "":
                return self.reply(200, ROLE, "text/plain")
            if role == ROLE:
                return self.reply(200, self.document(imds=True))
        self.reply(404, "")


class State:
    def __init__(self, args):
        self.args = args
        self.tokens = set()
        self.lock = threading.Lock()
        self.log = open(args.log, "a", buffering=1) if args.log else None


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--access-key", required=True)
    parser.add_argument("--secret-key", required=True)
    parser.add_argument("--session-token", required=True)
    parser.add_argument("--auth-token")
    parser.add_argument("--imds-v1-only", action="store_true")
    parser.add_argument("--log")
    args = parser.parse_args()
    serve(Handler, state=State(args))


if __name__ == "__main__":
    main()
