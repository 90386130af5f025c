#!/usr/bin/env python3
"""Writes benchmark RDB files with a real redis-server, from a seed.

Usage: scripts/generate-bench-data.py [DIR] [--seed N]... [--scale F] [--only NAME]...

Files written into DIR (default bench-data/, which git ignores):

  mixed.rdb    about 1.1 GB at --scale 1: most bytes in 100 B - 10 KB strings (half random,
               half text-like, which LZF compresses), 400,000 small hashes, sets, sorted sets
               and lists, a few large ones (hashes of 10,000 fields, sorted sets of 50,000
               members, lists of 100,000 elements, sets of 20,000 members), streams with
               consumer groups and pending entries, 20 % of keys with an expiry around 2100,
               and 1 % of keys in database 1
  tiny.rdb     10,000,000 string keys "k:<n>" with short values (half of them integers)
  biglist.rdb  one list key "biglist" of about 1.1 GB of 4-28 byte random elements
  rdb9.rdb     about 90 MB of what rdbtools (redis-rdb-tools, which stops at RDB 9) can read, for
               a comparison every tool runs: strings as in mixed.rdb, 60,000 small and a few
               large hashes, sets and sorted sets, no lists or streams. The server writes them
               with listpacks turned off (hashtable, skiplist, intset: types that RDB 9 has);
               its REDIS0010 header is then relabelled REDIS0009 and the CRC-64 trailer
               corrected, and redis-check-rdb must accept the result.
  aggregates.rdb, hashtables.rdb, zsets.rdb, streams.rdb, ttltiny.rdb
               aggregate-heavy files (hash tables and skip lists of 129 - 16,384 entries among
               listpacks, intsets and quicklists) and 10 M tiny keys with TTLs: see
               scripts/bench_shapes.py

--seed N picks the data (default 1; repeatable): files of seed 1 are NAME.rdb, of any other
seed NAME-seedN.rdb, so that several seeds sit side by side for compare.sh.

The script starts its own redis-server (Debian's, 7.0) on a Unix socket in a temporary
directory with `save ""`, loads the data through `redis-cli --pipe`, runs SAVE, copies
dump.rdb out, and stops that server by pid. A NAME.meta.json beside each file records the seed,
scale, key count, size and time; a file whose meta matches the seed and scale is not rebuilt.

The data set is a pure function of (seed, scale, name). The bytes of the file are not: Redis
writes a creation time and memory figure into AUX fields, and its hash tables are seeded at
random, so key order differs between runs.
"""

import argparse
import json
import math
import os
import random
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import bench_shapes
from crc64_constants import crc_bitwise, crc_extend_zeros

GENERATOR_VERSION = 1
FAR_FUTURE_MS = 4_102_444_800_000  # 2100-01-01T00:00:00Z
POOL_BYTES = 16 << 20
BATCH_BYTES = 4 << 20


def resp(*args) -> bytes:
    """One command in the Redis protocol (RESP2 array of bulk strings)."""
    parts = [b"*%d\r\n" % len(args)]
    for arg in args:
        data = arg if isinstance(arg, bytes) else str(arg).encode()
        parts.append(b"$%d\r\n%s\r\n" % (len(data), data))
    return b"".join(parts)


class Server:
    """A private redis-server on a Unix socket in a temporary directory."""

    def __init__(self) -> None:
        self.directory = Path(tempfile.mkdtemp(prefix="rdb-bench-"))
        self.socket = self.directory / "redis.sock"
        self.process = subprocess.Popen(
            ["redis-server", "--port", "0", "--unixsocket", str(self.socket),
             "--unixsocketperm", "700", "--dir", str(self.directory),
             "--dbfilename", "dump.rdb", "--save", "", "--appendonly", "no",
             "--daemonize", "no", "--logfile", str(self.directory / "redis.log")])
        deadline = time.monotonic() + 10
        while self.cli("PING", check=False) != "PONG":
            if time.monotonic() > deadline or self.process.poll() is not None:
                self.stop()
                raise RuntimeError("redis-server did not start; see its log")
            time.sleep(0.05)

    def cli(self, *args: str, check: bool = True) -> str:
        """Runs one command through redis-cli and returns its output, stripped."""
        result = subprocess.run(["redis-cli", "-s", str(self.socket), *args],
                                capture_output=True, text=True, check=check)
        return result.stdout.strip()

    def save_to(self, target: Path) -> None:
        """Runs SAVE and copies the dump to `target` (through a temporary sibling)."""
        if self.cli("SAVE") != "OK":
            raise RuntimeError("SAVE failed")
        partial = target.with_name(target.name + ".tmp-gen")
        shutil.copyfile(self.directory / "dump.rdb", partial)
        os.replace(partial, target)

    def stop(self) -> None:
        """SHUTDOWN NOSAVE, then kills the server by pid if it is still there."""
        self.cli("SHUTDOWN", "NOSAVE", check=False)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        shutil.rmtree(self.directory, ignore_errors=True)


class Pipe:
    """Streams commands to the server through `redis-cli --pipe`, in large writes."""

    def __init__(self, server: Server) -> None:
        self.process = subprocess.Popen(
            ["redis-cli", "-s", str(server.socket), "--pipe", "--pipe-timeout", "600"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        self.pending: list[bytes] = []
        self.pending_bytes = 0

    def send(self, command: bytes) -> None:
        """Queues one encoded command; writes when the batch is big enough."""
        self.pending.append(command)
        self.pending_bytes += len(command)
        if self.pending_bytes >= BATCH_BYTES:
            self.flush()

    def flush(self) -> None:
        """Writes the queued commands to redis-cli."""
        self.process.stdin.write(b"".join(self.pending))
        self.pending.clear()
        self.pending_bytes = 0

    def close(self) -> None:
        """Waits for every reply and fails if the server rejected any command."""
        self.flush()
        output, _ = self.process.communicate()
        text = output.decode(errors="replace")
        if self.process.returncode != 0 or "errors: 0," not in text:
            raise RuntimeError("redis-cli --pipe reported errors:\n" + text[-2000:])


class Source:
    """Deterministic keys, values and expiries for one file."""

    def __init__(self, seed: int, name: str) -> None:
        self.rng = random.Random(f"{seed}:{name}")
        self.random_pool = self.rng.randbytes(POOL_BYTES)
        words = [bytes(self.rng.choices(b"abcdefghijklmnopqrstuvwxyz", k=self.rng.randint(2, 9)))
                 for _ in range(400)]
        text = bytearray()
        while len(text) < POOL_BYTES:
            text += b" ".join(self.rng.choices(words, k=1000)) + b". "
        self.text_pool = bytes(text[:POOL_BYTES])

    def random_bytes(self, length: int) -> bytes:
        """`length` bytes that LZF cannot compress."""
        start = self.rng.randrange(POOL_BYTES - length)
        return self.random_pool[start:start + length]

    def text(self, length: int) -> bytes:
        """`length` bytes of word-like text, which LZF compresses."""
        start = self.rng.randrange(POOL_BYTES - length)
        return self.text_pool[start:start + length]

    def string_length(self) -> int:
        """A length between 100 B and 10 KB, log-uniform."""
        return int(100 * 100 ** self.rng.random())

    def expiry(self) -> int | None:
        """A far-future expiry in Unix milliseconds for 20 % of keys, else None."""
        if self.rng.random() < 0.2:
            return FAR_FUTURE_MS + self.rng.randrange(10 ** 10)
        return None

    def member(self) -> bytes:
        """A short member or field: an integer, a word, or random bytes."""
        kind = self.rng.random()
        if kind < 0.3:
            return str(self.rng.randrange(10 ** 9)).encode()
        if kind < 0.7:
            return self.text(self.rng.randint(4, 24))
        return self.random_bytes(self.rng.randint(4, 24))


def counted(count: float) -> int:
    """A scaled count, at least 1."""
    return max(1, round(count))


def send_aggregate(pipe: Pipe, verb: bytes, key: bytes, items: list, chunk: int) -> None:
    """Sends `verb key items...` in commands of at most `chunk` items."""
    for start in range(0, len(items), chunk):
        pipe.send(resp(verb, key, *items[start:start + chunk]))


def add_strings(pipe: Pipe, source: Source, budget: float) -> None:
    """String keys `str:<n>` of 100 B - 10 KB (half text, half random, 20 % with an expiry)
    until their values add up to `budget` bytes."""
    rng = source.rng
    written = index = 0
    while written < budget:
        length = source.string_length()
        value = source.text(length) if rng.random() < 0.5 else source.random_bytes(length)
        expiry = source.expiry()
        key = b"str:%d" % index
        pipe.send(resp(b"SET", key, value) if expiry is None
                  else resp(b"SET", key, value, b"PXAT", expiry))
        written += length
        index += 1


def add_aggregates(pipe: Pipe, source: Source, plan: list) -> None:
    """Hashes, sets, sorted sets and lists: per (prefix, count, (low, high)) of `plan`, `count`
    keys `<prefix>:<n>` of `low` to `high` elements, the type named by the prefix's end."""
    rng = source.rng
    for prefix, count, (low, high) in plan:
        for index in range(count):
            key = b"%s:%d" % (prefix, index)
            size = rng.randint(low, high)
            if prefix.endswith(b"hash"):
                items = [x for i in range(size) for x in (b"f%d" % i, source.member())]
                send_aggregate(pipe, b"HSET", key, items, 2000)
            elif prefix.endswith(b"zset"):
                items = [x for _ in range(size)
                         for x in (b"%.17g" % rng.uniform(-1e6, 1e6), source.member())]
                send_aggregate(pipe, b"ZADD", key, items, 2000)
            elif prefix.endswith(b"set"):
                integers = rng.random() < 0.3
                items = [str(rng.randrange(10 ** 12)).encode() if integers else source.member()
                         for _ in range(size)]
                send_aggregate(pipe, b"SADD", key, items, 1000)
            else:
                items = [source.member() for _ in range(size)]
                send_aggregate(pipe, b"RPUSH", key, items, 1000)
            expiry = source.expiry()
            if expiry is not None:
                pipe.send(resp(b"PEXPIREAT", key, expiry))


def add_streams(pipe: Pipe, source: Source, scale: float) -> None:
    """Streams of 20,000 entries, each with two consumer groups and pending entries."""
    rng = source.rng
    for index in range(counted(5 * scale)):
        key = b"stream:%d" % index
        for entry in range(20_000):
            pipe.send(resp(b"XADD", key, b"%d-%d" % (1_700_000_000_000 + entry // 3, entry % 3),
                           b"event", source.text(rng.randint(4, 12)),
                           b"user", rng.randrange(10 ** 6), b"payload", source.member()))
        for group in (b"readers", b"audit"):
            pipe.send(resp(b"XGROUP", b"CREATE", key, group, b"0"))
            for consumer in (b"alice", b"bob"):
                pipe.send(resp(b"XREADGROUP", b"GROUP", group, consumer, b"COUNT", 300,
                               b"STREAMS", key, b">"))
        pipe.send(resp(b"XACK", key, b"readers", b"1700000000000-0", b"1700000000000-1"))


def build_mixed(pipe: Pipe, source: Source, scale: float) -> None:
    """mixed.rdb: strings carry most bytes; aggregates and streams for variety."""
    add_strings(pipe, source, 1.25e9 * scale)
    add_aggregates(pipe, source, [
        (b"hash", counted(100_000 * scale), (2, 20)), (b"set", counted(100_000 * scale), (2, 20)),
        (b"zset", counted(100_000 * scale), (2, 20)), (b"list", counted(100_000 * scale), (2, 50)),
        (b"bighash", counted(10 * scale), (10_000, 10_000)),
        (b"bigset", counted(10 * scale), (20_000, 20_000)),
        (b"bigzset", counted(10 * scale), (50_000, 50_000)),
        (b"biglist", counted(10 * scale), (100_000, 100_000))])
    add_streams(pipe, source, scale)
    pipe.send(resp(b"SELECT", 1))
    for index in range(counted(10_000 * scale)):
        pipe.send(resp(b"SET", b"db1:%d" % index, source.member()))


def build_tiny(pipe: Pipe, source: Source, scale: float) -> None:
    """tiny.rdb: many tiny string keys, set 1000 at a time with MSET."""
    rng = source.rng
    count = counted(10_000_000 * scale)
    for start in range(0, count, 1000):
        items = []
        for n in range(start, min(start + 1000, count)):
            value = (str(rng.randrange(10 ** 6)).encode() if n & 1
                     else source.text(rng.randint(1, 12)))
            items += (b"k:%d" % n, value)
        pipe.send(resp(b"MSET", *items))


def build_rdb9(pipe: Pipe, source: Source, scale: float) -> None:
    """rdb9.rdb: strings, hashes, sets and sorted sets only (see RDB9_CONFIG)."""
    add_strings(pipe, source, 0.08e9 * scale)
    add_aggregates(pipe, source, [
        (b"hash", counted(20_000 * scale), (2, 20)), (b"set", counted(20_000 * scale), (2, 20)),
        (b"zset", counted(20_000 * scale), (2, 20)), (b"bighash", counted(2 * scale), (2, 10_000)),
        (b"bigset", counted(2 * scale), (2, 20_000)),
        (b"bigzset", counted(2 * scale), (2, 50_000))])


# rdb9.rdb: no listpacks, so every type written is one RDB 9 has (4, 5, 2, 11, 0).
RDB9_CONFIG = [("hash-max-listpack-entries", "0"), ("zset-max-listpack-entries", "0")]

def relabel_as_rdb9(path: Path) -> None:
    """Rewrites a REDIS0010 file's header as REDIS0009 and corrects its CRC-64 trailer.

    The CRC is linear: changing the header by D changes the CRC by the CRC of D followed by
    as many zero bytes as the rest of the checksummed body."""
    with open(path, "r+b") as file:
        header = file.read(9)
        if header != b"REDIS0010":
            raise RuntimeError(f"{path}: header {header!r}, expected REDIS0010")
        size = path.stat().st_size
        file.seek(size - 8)
        stored = int.from_bytes(file.read(8), "little")
        difference = bytes(a ^ b for a, b in zip(header, b"REDIS0009"))
        corrected = stored ^ crc_extend_zeros(crc_bitwise(difference), size - 8 - 9)
        file.seek(0)
        file.write(b"REDIS0009")
        file.seek(size - 8)
        file.write(corrected.to_bytes(8, "little"))
    check = subprocess.run(["redis-check-rdb", str(path)], capture_output=True, text=True)
    if check.returncode != 0 or "RDB looks OK" not in check.stdout:
        raise RuntimeError(f"redis-check-rdb rejects the relabelled {path}:\n{check.stdout}")


def build_biglist(pipe: Pipe, source: Source, scale: float) -> None:
    """biglist.rdb: one list key holding about 1.1 GB of small random elements."""
    rng = source.rng
    budget = 1.1e9 * scale
    written = 0
    while written < budget:
        items = [source.random_bytes(rng.randint(4, 28)) for _ in range(4096)]
        written += sum(len(item) + 2 for item in items)
        pipe.send(resp(b"RPUSH", b"biglist", *items))


BUILDERS = {"mixed": build_mixed, "tiny": build_tiny, "biglist": build_biglist,
            "rdb9": build_rdb9, **bench_shapes.BUILDERS}


def generate(name: str, directory: Path, seed: int, scale: float) -> None:
    """Writes NAME.rdb (NAME-seedN.rdb for a seed other than 1) and its .meta.json unless a
    matching file is already there."""
    stem = name if seed == 1 else f"{name}-seed{seed}"
    target = directory / f"{stem}.rdb"
    meta_path = directory / f"{stem}.meta.json"
    wanted = {"generator": GENERATOR_VERSION, "seed": seed, "scale": scale}
    if target.exists() and meta_path.exists():
        meta = json.loads(meta_path.read_text())
        if {key: meta.get(key) for key in wanted} == wanted:
            print(f"{target}: up to date (seed {seed}, scale {scale})")
            return
    started = time.monotonic()
    server = Server()
    try:
        for name_value in RDB9_CONFIG if name == "rdb9" else []:
            server.cli("CONFIG", "SET", *name_value)
        pipe = Pipe(server)
        BUILDERS[name](pipe, Source(seed, name), scale)
        pipe.close()
        loaded = time.monotonic()
        keys = sum(int(server.cli("-n", str(db), "DBSIZE")) for db in (0, 1))
        version = server.cli("INFO", "server").split("redis_version:")[1].split()[0]
        server.save_to(target)
    finally:
        server.stop()
    if name == "rdb9":
        try:
            relabel_as_rdb9(target)
        except Exception:
            target.unlink()
            raise
    seconds = time.monotonic() - started
    meta = dict(wanted, name=name, keys=keys, bytes=target.stat().st_size,
                server=f"redis {version}", seconds=round(seconds, 1),
                load_seconds=round(loaded - started, 1))
    meta_path.write_text(json.dumps(meta, indent=2) + "\n")
    print(f"{target}: {meta['bytes'] / 1e6:.1f} MB, {keys} keys, {seconds:.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("directory", nargs="?", default="bench-data", type=Path)
    parser.add_argument("--seed", type=int, action="append",
                        help="data seed (default 1; repeatable)")
    parser.add_argument("--scale", type=float, default=1.0,
                        help="fraction of the full size, e.g. 0.01 for a quick run")
    parser.add_argument("--only", action="append", choices=sorted(BUILDERS),
                        help="generate only this file (repeatable)")
    args = parser.parse_args()
    if not math.isfinite(args.scale) or args.scale <= 0:
        parser.error("--scale must be a positive number")
    args.directory.mkdir(parents=True, exist_ok=True)
    for seed in args.seed or [1]:
        for name in args.only or list(BUILDERS):
            generate(name, args.directory, seed, args.scale)


if __name__ == "__main__":
    main()
