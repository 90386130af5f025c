#!/usr/bin/env python3
"""STAND-IN for the IAM Identity Center (SSO) portal, for the role-credentials call only
(standard library). It is not AWS: it answers the one request rdbtool's SSO provider sends,
in the documented shape, so that the client can be tested on loopback.

  GET /federation/credentials?account_id=A&role_name=R
      header x-amz-sso_bearer_token must equal --token, else 401 UnauthorizedException;
      account_id must equal --account and role_name --role, else 403 ForbiddenException;
      a missing parameter is 400 InvalidRequestException.
      200: {"roleCredentials": {"accessKeyId", "secretAccessKey", "sessionToken",
      "expiration" (epoch milliseconds, now + --lifetime seconds)}}
      Errors carry x-amzn-ErrorType and {"message": …}, as the portal's REST-JSON errors do.
  anything else: 404.

The credentials it hands out are the ones given on the command line (a moto session), so the
client's S3 requests can be checked for real against moto. Prints {"port": N} first; logs
{"method", "path", "headers"} per request to --log.
"""

import argparse
import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qs, urlsplit

sys.dont_write_bytecode = True  # no __pycache__ in the test target's folder
from serving import serve  # noqa: E402


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def reply(self, status, document, error_type=None):
        data = json.dumps(document).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("x-amzn-RequestId", "sso-stand-in-request")
        if error_type:
            self.send_header("x-amzn-ErrorType", error_type + ":http://internal.amazon.com/")
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        state = self.server.state
        with state.lock:
            if state.log:
                state.log.write(json.dumps({"method": self.command, "path": self.path,
                                            "headers": dict(self.headers.items())}) + "\n")
        url = urlsplit(self.path)
        if url.path != "/federation/credentials":
            return self.reply(404, {"message": "not found"}, "ResourceNotFoundException")
        query = parse_qs(url.query)
        if "account_id" not in query or "role_name" not in query:
            return self.reply(400, {"message": "account_id and role_name are required"},
                              "InvalidRequestException")
        if self.headers.get("x-amz-sso_bearer_token") != state.args.token:
            return self.reply(401, {"message": "Session token not found or invalid"},
                              "UnauthorizedException")
        if query["account_id"] != [state.args.account] or query["role_name"] != [state.args.role]:
            return self.reply(403, {"message": "No access"}, "ForbiddenException")
        expiration = int((time.time() + state.args.lifetime) * 1000)
        self.reply(200, {"roleCredentials": {
            "accessKeyId": state.args.access_key, "secretAccessKey": state.args.secret_key,
            "sessionToken": state.args.session_token, "expiration": expiration}})


class State:
    def __init__(self, args):
        self.args = args
        self.lock = threading.Lock()
        self.log = open(args.log, "a", buffering=1) if args.log else None


def main():
    parser = argparse.ArgumentParser()
    for name in ["access-key", "secret-key", "session-token", "token", "account", "role"]:
        parser.add_argument("--" + name, required=True)
    parser.add_argument("--lifetime", type=float, default=3600,
                        help="seconds until the handed-out credentials expire")
    parser.add_argument("--log")
    args = parser.parse_args()
    serve(Handler, state=State(args))


if __name__ == "__main__":
    main()
