#!/usr/bin/env python3
"""Measures `rdbtool memory --as-loaded` against a real server that loads the file.

    scripts/as-loaded-accuracy.py --server redis-7.0 --allocator system FILE.rdb
    scripts/as-loaded-accuracy.py --server redis-6.2 --allocator libc --target redis-6.2 \\
        FILE-rdb9.rdb

The server (a launcher in ~/.cache/rdbtool-servers/bin, as scripts/setup-servers.sh installs
them) loads FILE with its default configuration; rdbtool estimates every key for that server's
version; a stratified sample (up to --per-stratum keys of each type and encoding rdbtool
names, drawn with a fixed seed) is asked `MEMORY USAGE key SAMPLES 0` and `OBJECT ENCODING`.
Prints, per type/encoding as the server reports it, the number of keys and the median, p95
and largest relative error |estimate - actual| / actual, then one line per server type.

With --runs N the file is loaded N times by fresh servers (each picks a new hash seed): the
errors are against the first run, and two more columns give, per stratum, the p95 of the
server's own change between the first two runs and the mean signed error of the estimate
against the mean of all runs (near 0 when the estimate is the expectation and what is left
is the server's run-to-run spread, as for Valkey 8.0's hash-table sets).

Every wait has a deadline: the server start (--load-timeout seconds) and each reply (60 s).
"""

import argparse
import base64
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time

SERVERS = os.path.expanduser("~/.cache/rdbtool-servers/bin")


def resp_command(args):
    out = [b"*%d\r\n" % len(args)]
    for arg in args:
        if isinstance(arg, str):
            arg = arg.encode()
        out.append(b"$%d\r\n%s\r\n" % (len(arg), arg))
    return b"".join(out)


class Connection:
    """A RESP2 connection with a read deadline."""

    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=60)
        self.buffer = b""

    def _line(self):
        while b"\r\n" not in self.buffer:
            chunk = self.sock.recv(1 << 16)
            if not chunk:
                raise ConnectionError("server closed the connection")
            self.buffer += chunk
        line, self.buffer = self.buffer.split(b"\r\n", 1)
        return line

    def _exact(self, count):
        while len(self.buffer) < count + 2:
            chunk = self.sock.recv(1 << 16)
            if not chunk:
                raise ConnectionError("server closed the connection")
            self.buffer += chunk
        data, self.buffer = self.buffer[:count], self.buffer[count + 2:]
        return data

    def reply(self):
        line = self._line()
        kind, rest = line[:1], line[1:]
        if kind == b"+":
            return rest.decode()
        if kind == b"-":
            return RuntimeError(rest.decode())
        if kind == b":":
            return int(rest)
        if kind == b"$":
            size = int(rest)
            return None if size < 0 else self._exact(size)
        if kind == b"*":
            return [self.reply() for _ in range(int(rest))]
        raise ValueError("unexpected reply %r" % line)

    def pipeline(self, commands):
        self.sock.sendall(b"".join(resp_command(c) for c in commands))
        return [self.reply() for _ in commands]


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(name, rdb, timeout):
    directory = tempfile.mkdtemp(prefix="as-loaded-")
    os.symlink(os.path.abspath(rdb), os.path.join(directory, "dump.rdb"))
    port = free_port()
    process = subprocess.Popen(
        [os.path.join(SERVERS, name), "--port", str(port), "--dir", directory,
         "--dbfilename", "dump.rdb", "--save", "", "--appendonly", "no",
         "--logfile", os.path.join(directory, "log")],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + timeout
    while time.time() < deadline:
        if process.poll() is not None:
            with open(os.path.join(directory, "log")) as log:
                sys.exit("%s exited while loading:\n%s" % (name, log.read()[-2000:]))
        try:
            connection = Connection(port)
            if connection.pipeline([["PING"]])[0] == "PONG":
                return process, connection, directory
        except (OSError, ConnectionError):
            pass
        time.sleep(0.5)
    process.kill()
    process.wait(timeout=10)
    sys.exit("%s did not load %s within %d s" % (name, rdb, timeout))


def estimates(rdbtool, rdb, target, allocator, per_stratum, seed):
    """A reservoir sample of rdbtool's rows, up to per_stratum per (type, encoding)."""
    generator = random.Random(seed)
    seen, sample = {}, {}
    command = [rdbtool, "memory", "--as-loaded", "--target", target, "--allocator", allocator,
               "--format", "jsonl", "--bytes", "base64", rdb]
    with subprocess.Popen(command, stdout=subprocess.PIPE) as process:
        for line in process.stdout:
            row = json.loads(line)
            stratum = (row["type"], row["encoding"])
            count = seen.get(stratum, 0) + 1
            seen[stratum] = count
            kept = sample.setdefault(stratum, [])
            if len(kept) < per_stratum:
                kept.append(row)
            else:
                slot = generator.randrange(count)
                if slot < per_stratum:
                    kept[slot] = row
    if process.returncode != 0:
        sys.exit("rdbtool memory failed with status %d" % process.returncode)
    return [row for rows in sample.values() for row in rows], sum(seen.values())


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def measure(options, rows):
    """One fresh server's (MEMORY USAGE, OBJECT ENCODING) for each row, None when it holds
    no such key."""
    process, connection, directory = start_server(options.server, options.rdb,
                                                  options.load_timeout)
    answers = []
    try:
        for start in range(0, len(rows), 500):
            batch = rows[start:start + 500]
            commands = []
            for row in batch:
                key = base64.b64decode(row["key"])
                commands += [["SELECT", str(row["db"])],
                             ["MEMORY", "USAGE", key, "SAMPLES", "0"],
                             ["OBJECT", "ENCODING", key]]
            replies = connection.pipeline(commands)
            for index in range(len(batch)):
                actual, encoding = replies[3 * index + 1], replies[3 * index + 2]
                if actual is None:
                    answers.append(None)
                elif not isinstance(actual, int) or actual <= 0:
                    sys.exit("unexpected MEMORY USAGE reply: %r" % (actual,))
                else:
                    answers.append((actual, encoding.decode()))
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        shutil.rmtree(directory, ignore_errors=True)
    return answers


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("rdb")
    parser.add_argument("--server", required=True, help="launcher name, e.g. redis-7.0")
    parser.add_argument("--target", help="rdbtool --target (default: --server)")
    parser.add_argument("--allocator", default="system", choices=["bundled", "system", "libc"])
    parser.add_argument("--per-stratum", type=int, default=2500)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rdbtool", default=".build/release/rdbtool")
    parser.add_argument("--load-timeout", type=int, default=900)
    parser.add_argument("--runs", type=int, default=1, help="fresh servers loading the file")
    options = parser.parse_args()

    rows, total = estimates(options.rdbtool, options.rdb, options.target or options.server,
                            options.allocator, options.per_stratum, options.seed)
    runs = [measure(options, rows) for _ in range(options.runs)]
    errors, spread, signed, missing = {}, {}, {}, 0
    for index, row in enumerate(rows):
        answers = [run[index] for run in runs]
        if answers[0] is None:  # expired before loading, or not loaded
            missing += 1
            continue
        (actual, encoding) = answers[0]
        stratum = "%s/%s" % (row["type"], encoding)
        errors.setdefault(stratum, []).append(abs(row["size_in_bytes"] - actual) / actual)
        if len(answers) > 1 and answers[1] is not None:
            spread.setdefault(stratum, []).append(abs(answers[1][0] - actual) / actual)
            mean = statistics.mean(answer[0] for answer in answers if answer is not None)
            signed.setdefault(stratum, []).append((row["size_in_bytes"] - mean) / mean)

    sampled = sum(len(values) for values in errors.values())
    print("%s: %s, %d keys in the file, %d sampled, %d of them not held by the server"
          % (options.server, options.rdb, total, sampled, missing))
    header = "%-22s %7s %9s %9s %9s" % ("type/encoding", "keys", "median %", "p95 %", "max %")
    print(header + ("  runs p95 %  signed %" if options.runs > 1 else ""))
    for stratum in sorted(errors):
        values = errors[stratum]
        line = "%-22s %7d %9.2f %9.2f %9.2f" % (
            stratum, len(values), 100 * statistics.median(values),
            100 * percentile(values, 0.95), 100 * max(values))
        if stratum in spread:
            line += "  %10.2f %9.3f" % (100 * percentile(spread[stratum], 0.95),
                                         100 * statistics.mean(signed[stratum]))
        print(line)
    by_type = {}
    for stratum, values in errors.items():
        by_type.setdefault(stratum.split("/")[0], []).extend(values)
    for name in sorted(by_type):
        values = by_type[name]
        print("type %-17s %7d %9.2f %9.2f %9.2f" % (
            name, len(values), 100 * statistics.median(values),
            100 * percentile(values, 0.95), 100 * max(values)))


if __name__ == "__main__":
    main()
