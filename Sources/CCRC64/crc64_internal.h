// Declarations shared by the CRC-64 implementation files; not part of the module's API.
#ifndef CCRC64_INTERNAL_H
#define CCRC64_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/// The reflected Jones polynomial (normal form 0xAD93D23594C935A9).
#define RDB_CRC64_POLY UINT64_C(0x95AC9329AC4BC9B5)

/// Fills the slice-by-16 tables. Must run once before rdb_crc64_table_update.
void rdb_crc64_table_init(void);

/// Slice-by-16 update; needs rdb_crc64_table_init to have run.
uint64_t rdb_crc64_table_update(uint64_t crc, const unsigned char *data, size_t length);

#if defined(__x86_64__)
#include <immintrin.h>

/// rev64(x^575 mod P), rev64(x^511 mod P): move a lane forward 512 bits (64 bytes); both
/// folding versions use them (scripts/crc64_constants.py derives every constant).
static const uint64_t rdb_crc64_fold512_high = UINT64_C(0xaf86efb16d9ab4fb);
static const uint64_t rdb_crc64_fold512_low = UINT64_C(0xf49784a634f014e4);

/// Carry-less multiplication folding; needs PCLMULQDQ and SSE4.1, and the tables for the tail.
uint64_t rdb_crc64_clmul_update(uint64_t crc, const unsigned char *data, size_t length);

/// Folds four consecutive 16-byte lanes (whose bits still lack their x^64) into one, then the
/// rest of the input 16 bytes at a time, reduces the lane and finishes the last bytes: the
/// common end of both folding versions.
__attribute__((target("pclmul,sse4.1"))) uint64_t rdb_crc64_clmul_finish(
    __m128i x0, __m128i x1, __m128i x2, __m128i x3, const unsigned char *data, size_t length);

/// The same folding 512 bits at a time; also needs VPCLMULQDQ and AVX-512F.
uint64_t rdb_crc64_vpclmul_update(uint64_t crc, const unsigned char *data, size_t length);
#endif

/// Reads 8 bytes at `p` as a little-endian integer, at any alignment.
static inline uint64_t rdb_crc64_load_le64(const unsigned char *p) {
  uint64_t value;
  memcpy(&value, p, sizeof value);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
  value = __builtin_bswap64(value);
#endif
  return value;
}

#endif
