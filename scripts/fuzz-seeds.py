#!/usr/bin/env python3
"""Writes the fuzzers' small seed images: for every fixture file, one RDB file per type and
encoding holding that fixture's smallest key of it (cut out with `rdbtool rewrite --match`,
which keeps the file's version, AUX fields and functions). Small seeds make each run fast;
the fixtures themselves stay in testdata/. Usage: scripts/fuzz-seeds.py RDBTOOL OUTDIR"""
import hashlib, json, os, subprocess, sys, tempfile

rdbtool, outdir = sys.argv[1], sys.argv[2]
root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "testdata", "fixtures")
os.makedirs(outdir, exist_ok=True)
written = set()

def glob_escape(name):
    return "".join("\\" + c if c in "*?[]\\" else c for c in name)

for server in sorted(os.listdir(root)):
    folder = os.path.join(root, server)
    if not os.path.isdir(folder):
        continue
    for file in sorted(f for f in os.listdir(folder) if f.endswith(".rdb")):
        path = os.path.join(folder, file)
        run = subprocess.run([rdbtool, "memory", "--format", "jsonl", "--empty-keys", "keep", path],
                             capture_output=True, text=True, timeout=120)
        smallest = {}
        for line in run.stdout.splitlines():
            key = json.loads(line)
            kind = (key["type"], key["encoding"], key["expire_ms"] is not None)
            if kind not in smallest or key["size_in_bytes"] < smallest[kind]["size_in_bytes"]:
                smallest[kind] = key
        for (type_, encoding, expires), key in sorted(smallest.items()):
            with tempfile.TemporaryDirectory() as scratch:
                out = os.path.join(scratch, "seed.rdb")
                done = subprocess.run(
                    [rdbtool, "rewrite", "--allow-loss", "--match", glob_escape(key["key"]),
                     "--db", str(key["db"]), path, "-o", out],
                    capture_output=True, timeout=120)
                if done.returncode != 0 or not os.path.exists(out):
                    continue
                data = open(out, "rb").read()
            digest = hashlib.sha1(data).hexdigest()[:12]
            if digest in written or len(data) > 64 * 1024:
                continue
            written.add(digest)
            name = f"{server}-{file[:-4]}-{type_}-{encoding}{'-ttl' if expires else ''}.rdb"
            open(os.path.join(outdir, name), "wb").write(data)
print(f"fuzz-seeds: {len(written)} seeds in {outdir}")
