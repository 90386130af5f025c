#!/usr/bin/env python3
"""Fault-injecting HTTP proxy for RDBKit's S3 tests (loopback only, standard library).

Forwards every request to --upstream (a moto server), keeping the client's connection alive as
S3 does (moto closes each), and, on chosen requests, answers like S3 does under trouble
instead:

  --fault N:ACTION   for the Nth ranged GET (1-based, counted across all threads; N may be '*'
                     for every one). ACTION is cut=BYTES (send the real headers, then only BYTES
                     of the body, then drop the connection), 503 (SlowDown), 500 (InternalError),
                     502, 504, or expired (400 ExpiredToken).
  --part-fault N:ACTION
                     the same for the Nth UploadPart (a PUT with partNumber), where ACTION may
                     also be cut (read the part, then drop the connection without an answer).
  --bucket-region BUCKET=REGION --redirect 301|400
                     requests for BUCKET signed for another region get S3's wrong-region answer:
                     301 PermanentRedirect or 400 AuthorizationHeaderMalformed, both with
                     x-amz-bucket-region (HEAD: no body).

Prints {"port": N} on its first line; logs one JSON line per request to --log, with the
client's port (one per connection: kept-alive connections repeat it) and, for a request that
carries Content-MD5, whether it matches the body received ("md5_ok").
"""

import argparse
import base64
import hashlib
import http.client
import json
import re
import socket
import sys
import threading
import uuid
from http.server import BaseHTTPRequestHandler

sys.dont_write_bytecode = True  # no __pycache__ in the test target's folder
from serving import serve  # noqa: E402

ERRORS = {
    "503": (503, "SlowDown", "Please reduce your request rate."),
    "500": (500, "InternalError", "We encountered an internal error. Please try again."),
    "502": (502, "BadGateway", "Bad gateway."),
    "504": (504, "GatewayTimeout", "Gateway timeout."),
    "expired": (400, "ExpiredToken", "The provided token has expired."),
}
HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "proxy-connection", "upgrade"}


class Proxy(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def do_GET(self):
        self.handle_any()

    def do_HEAD(self):
        self.handle_any()

    def do_PUT(self):
        self.handle_any()

    def do_POST(self):
        self.handle_any()

    def do_DELETE(self):
        self.handle_any()

    def handle_any(self):
        config = self.server.config
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        authorization = self.headers.get("Authorization", "")
        match = re.search(r"Credential=[^/]+/\d{8}/([^/]+)/", authorization)
        region = match.group(1) if match else None
        bucket = self.path.lstrip("/").split("/", 1)[0].split("?", 1)[0]
        action = "forward"
        expected_region = config.bucket_regions.get(bucket)
        if expected_region and region and region != expected_region:
            action = "redirect"
        elif self.command == "GET" and self.headers.get("Range"):
            with config.lock:
                config.ranged += 1
                number = config.ranged
            action = config.faults.get(number) or config.faults.get("*") or "forward"
        elif self.command == "PUT" and "partNumber=" in self.path:
            with config.lock:
                config.parts += 1
                number = config.parts
            action = config.part_faults.get(number) or config.part_faults.get("*") or "forward"
        entry = {"method": self.command, "path": self.path, "range": self.headers.get("Range"),
                 "region": region, "action": action, "client_port": self.client_address[1]}
        if self.headers.get("Content-MD5") is not None:
            digest = base64.b64encode(hashlib.md5(body).digest()).decode()
            entry["md5_ok"] = digest == self.headers.get("Content-MD5")
        config.log(entry)
        if action == "cut":
            self.connection.shutdown(socket.SHUT_RDWR)
            self.close_connection = True
        elif action == "redirect":
            self.wrong_region(bucket, region, expected_region)
        elif action in ERRORS:
            status, code, message = ERRORS[action]
            self.error(status, code, message)
        else:
            self.forward(body, action)

    def error(self, status, code, message, extra="", headers=()):
        request_id = uuid.uuid4().hex[:16].upper()
        payload = b"" if self.command == "HEAD" else (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f"<Error><Code>{code}</Code><Message>{message}</Message>{extra}"
            f"<RequestId>{request_id}</RequestId><HostId>proxy-host-id</HostId></Error>").encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/xml")
        self.send_header("x-amz-request-id", request_id)
        self.send_header("x-amz-id-2", "proxy-host-id")
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(payload)
        self.close_connection = True

    def wrong_region(self, bucket, region, expected):
        headers = [("x-amz-bucket-region", expected)]
        if self.server.config.redirect == "301":
            self.error(301, "PermanentRedirect",
                       "The bucket you are attempting to access must be addressed using the "
                       "specified endpoint. Please send all future requests to this endpoint.",
                       f"<Bucket>{bucket}</Bucket><Endpoint>{bucket}.s3.{expected}.amazonaws.com"
                       "</Endpoint>", headers)
        else:
            self.error(400, "AuthorizationHeaderMalformed",
                       f"The authorization header is malformed; the region '{region}' is wrong; "
                       f"expecting '{expected}'", f"<Region>{expected}</Region>", headers)

    def forward(self, body, action):
        upstream = http.client.HTTPConnection(self.server.config.upstream, timeout=60)
        headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
        upstream.request(self.command, self.path, body=body or None, headers=headers)
        response = upstream.getresponse()
        payload = response.read()
        upstream.close()
        self.send_response(response.status)
        for name, value in response.getheaders():
            if name.lower() not in HOP_BY_HOP and name.lower() != "content-length":
                self.send_header(name, value)
        # A HEAD answer has no body but the object's Content-Length.
        length = response.getheader("Content-Length") if self.command == "HEAD" else None
        self.send_header("Content-Length", length or str(len(payload)))
        cut = action.startswith("cut=")
        if cut:
            self.send_header("Connection", "close")
        self.end_headers()
        if cut:
            self.wfile.write(payload[:int(action[4:])])
            self.wfile.flush()
            self.connection.shutdown(socket.SHUT_RDWR)
            self.close_connection = True
        elif self.command != "HEAD":
            self.wfile.write(payload)


class Config:
    def __init__(self, args):
        self.upstream = args.upstream.replace("http://", "").rstrip("/")
        self.faults = {}
        for item in args.fault:
            number, action = item.split(":", 1)
            self.faults[number if number == "*" else int(number)] = action
        self.part_faults = {}
        for item in args.part_fault:
            number, action = item.split(":", 1)
            self.part_faults[number if number == "*" else int(number)] = action
        self.parts = 0
        self.bucket_regions = dict(item.split("=", 1) for item in args.bucket_region)
        self.redirect = args.redirect
        self.ranged = 0
        self.lock = threading.Lock()
        self.log_file = open(args.log, "a", buffering=1) if args.log else None

    def log(self, entry):
        if self.log_file:
            with self.lock:
                self.log_file.write(json.dumps(entry) + "\n")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--upstream", required=True)
    parser.add_argument("--fault", action="append", default=[])
    parser.add_argument("--part-fault", action="append", default=[])
    parser.add_argument("--bucket-region", action="append", default=[])
    parser.add_argument("--redirect", choices=["301", "400"], default="301")
    parser.add_argument("--log")
    args = parser.parse_args()
    serve(Proxy, config=Config(args))


if __name__ == "__main__":
    main()
