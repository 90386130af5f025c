// CRC-64 Jones by carry-less multiplication (PCLMULQDQ) folding, for x86-64.
//
// The message is a polynomial over GF(2) and the CRC is message * x^64 mod P. Everything is
// kept bit-reflected, as the bytes arrive: a 16-byte lane loaded little-endian holds its first
// 64 message bits H in the low qword and the next 64 bits L in the high qword. Four lanes walk
// the input 64 bytes at a time. Moving a lane forward by d bits (to XOR it into the data d bits
// later) keeps its value mod P:
//
//   lane * x^d = H * x^(d+64) + L * x^d  =  H * (x^(d+63) mod P) * x + L * (x^(d-1) mod P) * x
//
// and a carry-less product of two reflected 64-bit values is the reflected product times x, so
// two PCLMULQDQs by the reflected constants below give a 128-bit lane again. At the end the four
// lanes fold into one, remaining 16-byte blocks fold into it, and the lane is reduced to 64 bits
// with one more fold (by x^127) and a Barrett reduction; bytes after the last full block go
// through the table code.
//
// The constants were computed by scripts/crc64_constants.py (x^n mod P by polynomial long
// division, then bit-reversed to 64 bits); that script also checks the steps below on random
// data against a bitwise CRC.
#if defined(__x86_64__)

#include <immintrin.h>

#include "crc64_internal.h"

#define TARGET __attribute__((target("pclmul,sse4.1")))

/// rev64(x^191 mod P), rev64(x^127 mod P): move a lane forward 128 bits (16 bytes).
static const uint64_t fold128_high = UINT64_C(0xd9d7be7d505da32c);
static const uint64_t fold128_low = UINT64_C(0x381d0015c96f4444);
/// rev64(floor(x^128 / P) - x^64): the Barrett quotient constant without its top bit.
static const uint64_t barrett_mu = UINT64_C(0x1f367d194d77cfbb);

/// Returns lane * x^d mod P as a 128-bit lane; `k` holds the two constants for d.
TARGET static inline __m128i fold(__m128i lane, __m128i k) {
  __m128i high = _mm_clmulepi64_si128(lane, k, 0x00);
  __m128i low = _mm_clmulepi64_si128(lane, k, 0x11);
  return _mm_xor_si128(high, low);
}

/// Loads 16 bytes at any alignment.
TARGET static inline __m128i load(const unsigned char *p) {
  return _mm_loadu_si128((const __m128i *)p);
}

/// Returns the low 64 bits of the carry-less product of a and b.
TARGET static inline __m128i multiply(uint64_t a, uint64_t b) {
  return _mm_clmulepi64_si128(_mm_cvtsi64_si128((long long)a), _mm_cvtsi64_si128((long long)b), 0);
}

/// Reduces a lane (message bits still to be multiplied by x^64) to the 64-bit CRC.
TARGET static uint64_t reduce(__m128i lane) {
  // t = lane * x^64 mod P, as 128 bits: H * x^128 becomes H * (x^127 mod P) * x; L moves up.
  uint64_t h = (uint64_t)_mm_cvtsi128_si64(lane);
  uint64_t l = (uint64_t)_mm_extract_epi64(lane, 1);
  __m128i t = _mm_xor_si128(multiply(h, fold128_low), _mm_cvtsi64_si128((long long)l));
  uint64_t t_high = (uint64_t)_mm_cvtsi128_si64(t);  // degrees 127...64
  uint64_t t_low = (uint64_t)_mm_extract_epi64(t, 1);  // degrees 63...0
  // Barrett: q = floor(t_high * mu / x^64) with mu = x^64 + mu'; the product's top 63 bits sit
  // one place low in the reflected register, hence the shift.
  uint64_t q = t_high ^ ((uint64_t)_mm_cvtsi128_si64(multiply(t_high, barrett_mu)) << 1);
  // remainder = t_low + (q * P' mod x^64), P' = P - x^64; those 64 bits start at bit 63.
  __m128i qp = multiply(q, RDB_CRC64_POLY);
  uint64_t qp_low = (uint64_t)_mm_cvtsi128_si64(qp);
  uint64_t qp_high = (uint64_t)_mm_extract_epi64(qp, 1);
  return t_low ^ (qp_low >> 63) ^ (qp_high << 1);
}

TARGET uint64_t rdb_crc64_clmul_update(uint64_t crc, const unsigned char *data, size_t length) {
  if (length < 64) return rdb_crc64_table_update(crc, data, length);
  const __m128i k512 = _mm_set_epi64x(
      (long long)rdb_crc64_fold512_low, (long long)rdb_crc64_fold512_high);
  // The running CRC enters as an XOR into the first 64 message bits.
  __m128i x0 = _mm_xor_si128(load(data), _mm_cvtsi64_si128((long long)crc));
  __m128i x1 = load(data + 16);
  __m128i x2 = load(data + 32);
  __m128i x3 = load(data + 48);
  data += 64;
  length -= 64;
  while (length >= 64) {
    x0 = _mm_xor_si128(fold(x0, k512), load(data));
    x1 = _mm_xor_si128(fold(x1, k512), load(data + 16));
    x2 = _mm_xor_si128(fold(x2, k512), load(data + 32));
    x3 = _mm_xor_si128(fold(x3, k512), load(data + 48));
    data += 64;
    length -= 64;
  }
  return rdb_crc64_clmul_finish(x0, x1, x2, x3, data, length);
}

TARGET uint64_t rdb_crc64_clmul_finish(
    __m128i x0, __m128i x1, __m128i x2, __m128i x3, const unsigned char *data, size_t length) {
  const __m128i k128 = _mm_set_epi64x((long long)fold128_low, (long long)fold128_high);
  __m128i lane = _mm_xor_si128(fold(x0, k128), x1);
  lane = _mm_xor_si128(fold(lane, k128), x2);
  lane = _mm_xor_si128(fold(lane, k128), x3);
  while (length >= 16) {
    lane = _mm_xor_si128(fold(lane, k128), load(data));
    data += 16;
    length -= 16;
  }
  return rdb_crc64_table_update(reduce(lane), data, length);
}

#endif
