#!/usr/bin/env python3
"""Derives the folding and Barrett constants of Sources/CCRC64/crc64_clmul.c and crc64_vpclmul.c.

Also a module: generate-bench-data.py takes its bitwise CRC and zero extension from here.

The CRC is CRC-64 "Jones" as Redis uses it: polynomial P(x) = x^64 + 0xAD93D23594C935A9
(normal form), bits reflected in and out, initial value 0, no final xor.

Polynomials over GF(2) are Python ints, bit d = coefficient of x^d. The CRC code keeps
every 64-bit value bit-reflected (register bit i = coefficient of x^(63-i)), so each
constant is printed as rev64(C). A carry-less product of two reflected 64-bit values is the
reflected 127-bit product, one bit short of a 128-bit register; each constant absorbs that
missing factor of x, which is why the exponents below end in 63 and 127 rather than 64 and 128.

Run it to print the constants; it also checks them with a bitwise model of the fold.
"""

POLY = (1 << 64) | 0xAD93D23594C935A9


def mod(value: int, modulus: int) -> int:
    """value mod modulus, polynomials over GF(2)."""
    degree = modulus.bit_length() - 1
    while value.bit_length() - 1 >= degree:
        value ^= modulus << (value.bit_length() - 1 - degree)
    return value


def div(value: int, divisor: int) -> int:
    """floor(value / divisor), polynomials over GF(2)."""
    quotient = 0
    degree = divisor.bit_length() - 1
    while value.bit_length() - 1 >= degree:
        shift = value.bit_length() - 1 - degree
        quotient |= 1 << shift
        value ^= divisor << shift
    return quotient


def clmul(a: int, b: int) -> int:
    """Carry-less product of two ints."""
    product = 0
    while b:
        if b & 1:
            product ^= a
        a <<= 1
        b >>= 1
    return product


def rev(value: int, width: int) -> int:
    """The low `width` bits of value, in reverse order."""
    return int(f"{value:0{width}b}"[::-1], 2)


def x_pow_mod(exponent: int) -> int:
    """x^exponent mod P."""
    return mod(1 << exponent, POLY)


def fold_constants(distance: int) -> tuple[int, int]:
    """Reflected constants that move a 128-bit lane `distance` bits forward.

    A lane holds H (first 64 message bits, low qword) and L (next 64, high qword):
    lane * x^distance = H * x^(distance+64) + L * x^distance. With the missing x of a
    reflected clmul, H is multiplied by x^(distance+63) mod P and L by x^(distance-1) mod P.
    """
    return rev(x_pow_mod(distance + 63), 64), rev(x_pow_mod(distance - 1), 64)


def crc_extend_zeros(crc: int, count: int) -> int:
    """The CRC of a message whose CRC is `crc`, followed by `count` zero bytes.

    Reflected, that is rev(rev(crc) * x^(8 count) mod P), by square-and-multiply (the powers
    stay below x^128, where x_pow_mod would divide a number of 8 count bits)."""
    result, power, exponent = rev(crc, 64), 2, 8 * count  # power = x
    while exponent:
        if exponent & 1:
            result = mod(clmul(result, power), POLY)
        power = mod(clmul(power, power), POLY)
        exponent >>= 1
    return rev(result, 64)


def crc_bitwise(data: bytes, crc: int = 0) -> int:
    """Reference CRC, one bit at a time, reflected."""
    reflected_poly = rev(POLY & ((1 << 64) - 1), 64)
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ reflected_poly if crc & 1 else crc >> 1
    return crc


def main() -> None:
    assert rev(POLY & ((1 << 64) - 1), 64) == 0x95AC9329AC4BC9B5
    assert crc_bitwise(b"123456789") == 0xE9C6D914C4B8D9CA
    mu = div(1 << 128, POLY)  # Barrett: floor(x^128 / P), degree 64
    constants = {
        "fold 2048 (x^2111, x^2047)": fold_constants(2048),
        "fold 512 (x^575, x^511)": fold_constants(512),
        "fold 128 (x^191, x^127)": fold_constants(128),
        "reduce 128->64 (x^127)": (rev(x_pow_mod(127), 64),),
        "barrett mu' (mu - x^64)": (rev(mu ^ (1 << 64), 64),),
        "barrett P' (P - x^64)": (rev(POLY ^ (1 << 64), 64),),
    }
    for name, values in constants.items():
        print(f"{name}: " + ", ".join(f"0x{v:016x}" for v in values))
    check_model(constants)
    check_folds()
    check_extend_zeros()


def check_folds() -> None:
    """Moving a 16-byte lane forward by d bits, as both C versions do, keeps the CRC: the CRC
    of A + B + C equals that of zeros + B + (A folded ^ C), for |A| = |C| = 16, |B| = d/8 - 16."""
    import random

    rng = random.Random(2)
    mask = (1 << 64) - 1
    for distance in (128, 512, 2048):
        high, low = fold_constants(distance)
        for _ in range(8):
            a, b, c = rng.randbytes(16), rng.randbytes(distance // 8 - 16), rng.randbytes(16)
            lane = int.from_bytes(a, "little")
            folded = clmul(lane & mask, high) ^ clmul(lane >> 64, low)
            moved = (folded ^ int.from_bytes(c, "little")).to_bytes(16, "little")
            assert crc_bitwise(a + b + c) == crc_bitwise(bytes(16) + b + moved), distance
    print("fold check: ok")


def check_extend_zeros() -> None:
    """Extending a CRC by zero bytes equals the CRC of the message with those zeros."""
    sample = bytes(range(9))
    for count in (0, 1, 191, 1000):
        assert crc_extend_zeros(crc_bitwise(sample), count) == crc_bitwise(sample + bytes(count))
    print("zero extension check: ok")


def check_model(constants: dict) -> None:
    """Runs the C algorithm's steps on Python ints and compares with the bitwise CRC."""
    import random

    rng = random.Random(1)
    k128 = constants["fold 128 (x^191, x^127)"]
    (k_reduce,) = constants["reduce 128->64 (x^127)"]
    (mu_r,) = constants["barrett mu' (mu - x^64)"]
    (p_r,) = constants["barrett P' (P - x^64)"]
    mask = (1 << 64) - 1
    for length in (16, 32, 48, 160):
        data = rng.randbytes(length)
        seed = rng.getrandbits(64)
        lane = int.from_bytes(data[:16], "little") ^ seed
        for offset in range(16, length, 16):
            lo, hi = lane & mask, lane >> 64
            lane = clmul(lo, k128[0]) ^ clmul(hi, k128[1])
            lane ^= int.from_bytes(data[offset:offset + 16], "little")
        lo, hi = lane & mask, lane >> 64
        t = clmul(lo, k_reduce) ^ hi
        t_lo, t_hi = t & mask, t >> 64
        q = t_lo ^ ((clmul(t_lo, mu_r) << 1) & mask)
        crc = t_hi ^ ((clmul(q, p_r) >> 63) & mask)
        assert crc == crc_bitwise(data, seed), length
    print("model check: ok")


if __name__ == "__main__":
    main()
