"""Aggregate-heavy and tiny-keys-with-TTL benchmark files (issue 14), for generate-bench-data.py.

Every command is built from pools of elements encoded once as RESP bulk strings, so that a file
of tens of millions of elements is written in a minute or two rather than element by element in
Python. Redis 7.0 (the server the generator starts) turns a hash or sorted set of more than 128
entries, or with a value over 64 bytes, into a hash table or skip list, a set of non-integers
into a hash table and a set of integers into an intset (up to 512), and writes every list as a
quicklist of listpacks.

  aggregates   about 1.1 GB, 1.2 M keys: 300 k hashes, 200 k sets, 150 k sorted sets, 150 k
               lists, 400 k short strings and 6 streams of 50,000 entries; 100 k of the
               hashes and sorted sets are hash tables and skip lists of 128 - 16,384 entries
               (most near the low end: a power law), the rest listpacks, intsets and
               quicklists; 20 % of keys with an expiry; values of 1 - 60 bytes, some text-like
               and over 20 bytes (which the server stores LZF-compressed)
  hashtables   about 1.1 GB, mostly hashes: 100 k hash tables, 600 k listpack hashes
  zsets        about 1.1 GB, mostly sorted sets: 80 k skip lists, 600 k listpack ones
  streams      500 streams of 20,000 entries (three consumer groups, pending entries) and
               200 k small hashes and sets
  ttltiny      10,000,000 string keys: 40 % "sess:<n>" holding 16 - 32 hex characters, 40 %
               "cnt:<n>" holding an integer, 20 % "tok:<n>" holding a 4 - 12 byte token;
               10 % with an expiry
"""

from __future__ import annotations

FAR_FUTURE_MS = 4_102_444_800_000  # 2100-01-01T00:00:00Z
BIG_MIN, BIG_MAX = 129, 16_384


def bulk(data: bytes) -> bytes:
    """One RESP bulk string."""
    return b"$%d\r\n%s\r\n" % (len(data), data)


class ElementPools:
    """Fields, values, members and scores, each encoded once as RESP bulk strings."""

    def __init__(self, source) -> None:
        rng = source.rng
        self.rng = rng
        self.fields = [bulk(b"f%d" % i) for i in range(BIG_MAX)]
        values = []
        for _ in range(200_000):
            kind = rng.random()
            if kind < 0.3:
                values.append(bulk(str(rng.randrange(10 ** rng.randint(1, 12))).encode()))
            elif kind < 0.55:
                values.append(bulk(source.text(rng.randint(21, 60))))
            elif kind < 0.8:
                values.append(bulk(source.text(rng.randint(3, 20))))
            else:
                values.append(bulk(source.random_bytes(rng.randint(4, 24))))
        self.values = values
        # Distinct members (an index keeps them apart), taken as contiguous runs from a random
        # start: a run of a shuffled pool is distinct and still varied.
        members = [bulk(b"%s:%d" % (source.text(rng.randint(2, 20)).replace(b" ", b"_"), i))
                   for i in range(300_000)]
        rng.shuffle(members)
        self.members = members
        self.integers = [bulk(b"%d" % n) for n in rng.sample(range(10 ** 9), 100_000)]
        self.scores = [bulk(b"%.17g" % rng.uniform(-1e6, 1e6)) if rng.random() < 0.6
                       else bulk(b"%d" % rng.randrange(10 ** 6)) for _ in range(50_000)]

    def run(self, pool: list, count: int) -> list:
        """`count` distinct entries of `pool`, from a random start."""
        start = self.rng.randrange(len(pool) - count)
        return pool[start:start + count]

    def big_size(self) -> int:
        """An element count of BIG_MIN - BIG_MAX from a Pareto tail (alpha 1.5: half under 205,
        one in 70 over 2,000, mean about 360)."""
        return min(BIG_MAX, int(BIG_MIN / (1.0 - self.rng.random()) ** (1 / 1.5)))


def command(verb: bytes, key: bytes | None, items: list) -> bytes:
    """`verb key items...` (`verb items...` when key is None); items are bulk strings already."""
    if key is None:
        return b"*%d\r\n%s%s" % (len(items) + 1, bulk(verb), b"".join(items))
    return b"*%d\r\n%s%s%s" % (len(items) + 2, bulk(verb), bulk(key), b"".join(items))


def send_pairs(pipe, verb: bytes, key: bytes, first: list, second: list) -> None:
    """`verb key a1 b1 a2 b2 ...` in commands of at most 1,000 pairs."""
    for start in range(0, len(first), 1000):
        items = [None] * (2 * len(first[start:start + 1000]))
        items[0::2] = first[start:start + 1000]
        items[1::2] = second[start:start + 1000]
        pipe.send(command(verb, key, items))


def send_items(pipe, verb: bytes, key: bytes, items: list) -> None:
    """`verb key items...` in commands of at most 2,000 items."""
    for start in range(0, len(items), 2000):
        pipe.send(command(verb, key, items[start:start + 2000]))


def expire(pipe, source, key: bytes, share: float) -> None:
    """A far-future expiry for `share` of keys."""
    if source.rng.random() < share:
        pipe.send(command(b"PEXPIREAT", key, [bulk(b"%d" % (FAR_FUTURE_MS
                                                            + source.rng.randrange(10 ** 10)))]))


def add_hash(pipe, pools: ElementPools, key: bytes, size: int) -> None:
    """A hash of `size` fields."""
    send_pairs(pipe, b"HSET", key, pools.fields[:size], pools.rng.choices(pools.values, k=size))


def add_zset(pipe, pools: ElementPools, key: bytes, size: int) -> None:
    """A sorted set of `size` members."""
    send_pairs(pipe, b"ZADD", key, pools.rng.choices(pools.scores, k=size),
               pools.run(pools.members, size))


def add_set(pipe, pools: ElementPools, key: bytes, size: int) -> None:
    """A set of `size` members: integers (an intset up to 512) or strings (a hash table)."""
    integers = pools.rng.random() < 0.6
    send_items(pipe, b"SADD", key, pools.run(pools.integers if integers else pools.members, size))


def add_list(pipe, pools: ElementPools, key: bytes, size: int) -> None:
    """A list of `size` elements."""
    send_items(pipe, b"RPUSH", key, pools.rng.choices(pools.values, k=size))


ADDERS = {b"hash": add_hash, b"zset": add_zset, b"set": add_set, b"list": add_list}


def add_keys(pipe, source, pools: ElementPools, plan: list, scale: float) -> None:
    """Per (prefix, count, big) of `plan`, `count` (scaled) keys `<prefix>:<n>` of the type the
    prefix names: big ones of BIG_MIN - BIG_MAX elements, small ones of 1 - 30 (lists 1 - 120);
    20 % with an expiry."""
    rng = source.rng
    for prefix, count, big in plan:
        adder = ADDERS[prefix.split(b"-")[-1]]
        high = 120 if prefix.endswith(b"list") else 30
        for index in range(max(1, round(count * scale))):
            key = b"%s:%d" % (prefix, index)
            adder(pipe, pools, key, pools.big_size() if big else rng.randint(1, high))
            expire(pipe, source, key, 0.2)


def add_strings(pipe, source, pools: ElementPools, count: int) -> None:
    """`count` short string keys `s:<n>` (1 - 60 bytes), 20 % with an expiry, by MSET."""
    rng = source.rng
    for start in range(0, count, 1000):
        keys = [bulk(b"s:%d" % n) for n in range(start, min(start + 1000, count))]
        send_pairs(pipe, b"MSET", None, keys, rng.choices(pools.values, k=len(keys)))
        for key in keys:
            if rng.random() < 0.2:
                name = key.split(b"\r\n")[1]
                expire(pipe, source, name, 1.0)


def add_stream(pipe, source, pools: ElementPools, key: bytes, entries: int) -> None:
    """A stream of `entries` entries of three fields, with three consumer groups, two of which
    have read (and so hold pending) the first 500 entries."""
    rng = source.rng
    base = 1_700_000_000_000 + rng.randrange(10 ** 9)
    fields = [bulk(b"event"), bulk(b"user"), bulk(b"payload")]
    for entry in range(entries):
        values = rng.choices(pools.values, k=2)
        pipe.send(command(b"XADD", key, [bulk(b"%d-%d" % (base + entry // 4, entry % 4)),
                                         fields[0], values[0], fields[1],
                                         bulk(b"%d" % rng.randrange(10 ** 6)), fields[2],
                                         values[1]]))
    for group in (b"readers", b"audit", b"idle"):
        pipe.send(command(b"XGROUP", b"CREATE", [bulk(key), bulk(group), bulk(b"0")]))
    for group in (b"readers", b"audit"):
        for consumer in (b"alice", b"bob"):
            pipe.send(command(b"XREADGROUP", b"GROUP", [bulk(group), bulk(consumer),
                                                          bulk(b"COUNT"), bulk(b"250"),
                                                          bulk(b"STREAMS"), bulk(key),
                                                          bulk(b">")]))


# Per file: (prefix, count, big) plans; "prefix" ends with the type.
AGGREGATE_PLANS = {
    "aggregates": [(b"hash", 240_000, False), (b"big-hash", 60_000, True),
                   (b"set", 200_000, False), (b"zset", 110_000, False),
                   (b"big-zset", 40_000, True), (b"list", 150_000, False)],
    "hashtables": [(b"hash", 600_000, False), (b"big-hash", 100_000, True),
                   (b"set", 40_000, False), (b"list", 40_000, False)],
    "zsets": [(b"zset", 600_000, False), (b"big-zset", 80_000, True),
              (b"set", 40_000, False), (b"list", 40_000, False)],
    "streams": [(b"hash", 100_000, False), (b"set", 100_000, False)],
}
STRINGS = {"aggregates": 400_000, "hashtables": 400_000, "zsets": 400_000, "streams": 0}
STREAMS = {"aggregates": (6, 50_000), "hashtables": (2, 50_000), "zsets": (2, 50_000),
           "streams": (500, 20_000)}


def build_aggregate_shape(name: str):
    """The builder of one aggregate-heavy file."""
    def build(pipe, source, scale: float) -> None:
        pools = ElementPools(source)
        add_keys(pipe, source, pools, AGGREGATE_PLANS[name], scale)
        add_strings(pipe, source, pools, max(0, round(STRINGS[name] * scale)))
        count, entries = STREAMS[name]
        for index in range(max(1, round(count * scale))):
            add_stream(pipe, source, pools, b"stream:%d" % index, entries)
    build.__doc__ = f"{name}.rdb: see bench_shapes."
    return build


HEX = b"0123456789abcdef"
TOKEN = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


def build_ttltiny(pipe, source, scale: float) -> None:
    """ttltiny.rdb: 10 M tiny string keys of three kinds, 10 % with an expiry (SET PXAT)."""
    rng = source.rng
    count = max(1, round(10_000_000 * scale))
    hexes = [bulk(bytes(rng.choices(HEX, k=rng.randint(16, 32)))) for _ in range(100_000)]
    tokens = [bulk(bytes(rng.choices(TOKEN, k=rng.randint(4, 12)))) for _ in range(50_000)]
    counters = [bulk(b"%d" % rng.randrange(10 ** rng.randint(1, 9))) for _ in range(50_000)]
    kinds = ((b"sess:%d", hexes), (b"cnt:%d", counters), (b"tok:%d", tokens))
    for start in range(0, count, 1000):
        names, values = [], []
        for n in range(start, min(start + 1000, count)):
            draw = rng.random()
            pattern, pool = kinds[0 if draw < 0.4 else 1 if draw < 0.8 else 2]
            value = pool[rng.randrange(len(pool))]
            if rng.random() < 0.1:
                pipe.send(command(b"SET", pattern % n, [value, bulk(b"PXAT"), bulk(
                    b"%d" % (FAR_FUTURE_MS + rng.randrange(10 ** 10)))]))
            else:
                names.append(bulk(pattern % n))
                values.append(value)
        if names:
            send_pairs(pipe, b"MSET", None, names, values)


BUILDERS = {name: build_aggregate_shape(name) for name in AGGREGATE_PLANS}
BUILDERS["ttltiny"] = build_ttltiny
