// CRC-64 Jones by 512-bit carry-less multiplication (VPCLMULQDQ on AVX-512), for x86-64.
//
// The same folding as crc64_clmul.c, four times wider: a 64-byte register holds four 16-byte
// lanes and one VPCLMULQDQ pair moves all four forward at once. Four registers walk the input
// 256 bytes at a time (each lane moves 2048 bits), then fold into one register, which walks on
// 64 bytes at a time; its four lanes go to crc64_clmul.c's end steps.
//
// The 2048-bit constants come from scripts/crc64_constants.py, like the others.
#if defined(__x86_64__)

#include <immintrin.h>

#include "crc64_internal.h"

#define TARGET __attribute__((target("avx512f,vpclmulqdq,pclmul,sse4.1")))

/// rev64(x^2111 mod P), rev64(x^2047 mod P): move a lane forward 2048 bits (256 bytes).
static const uint64_t fold2048_high = UINT64_C(0x9a8908341a6d6d52);
static const uint64_t fold2048_low = UINT64_C(0x9471a5389095fe44);

/// The four lanes of `lanes`, each times x^d mod P, plus `data`; `k` holds d's constants in
/// every lane.
TARGET static inline __m512i fold_into(__m512i lanes, __m512i k, __m512i data) {
  __m512i high = _mm512_clmulepi64_epi128(lanes, k, 0x00);
  __m512i low = _mm512_clmulepi64_epi128(lanes, k, 0x11);
  return _mm512_ternarylogic_epi64(high, low, data, 0x96);  // high ^ low ^ data
}

/// The constants `high`, `low` of one fold distance in each of the four lanes.
TARGET static inline __m512i in_every_lane(uint64_t high, uint64_t low) {
  return _mm512_broadcast_i32x4(_mm_set_epi64x((long long)low, (long long)high));
}

TARGET static inline __m512i load(const unsigned char *p) {
  return _mm512_loadu_si512((const void *)p);
}

TARGET uint64_t rdb_crc64_vpclmul_update(uint64_t crc, const unsigned char *data, size_t length) {
  if (length < 512) return rdb_crc64_clmul_update(crc, data, length);
  const __m512i k2048 = in_every_lane(fold2048_high, fold2048_low);
  const __m512i k512 = in_every_lane(rdb_crc64_fold512_high, rdb_crc64_fold512_low);
  // The running CRC enters as an XOR into the first 64 message bits.
  __m512i x0 =
      _mm512_xor_si512(load(data), _mm512_zextsi128_si512(_mm_cvtsi64_si128((long long)crc)));
  __m512i x1 = load(data + 64);
  __m512i x2 = load(data + 128);
  __m512i x3 = load(data + 192);
  data += 256;
  length -= 256;
  while (length >= 256) {
    x0 = fold_into(x0, k2048, load(data));
    x1 = fold_into(x1, k2048, load(data + 64));
    x2 = fold_into(x2, k2048, load(data + 128));
    x3 = fold_into(x3, k2048, load(data + 192));
    data += 256;
    length -= 256;
  }
  __m512i x = fold_into(x0, k512, x1);
  x = fold_into(x, k512, x2);
  x = fold_into(x, k512, x3);
  while (length >= 64) {
    x = fold_into(x, k512, load(data));
    data += 64;
    length -= 64;
  }
  return rdb_crc64_clmul_finish(
      _mm512_extracti32x4_epi32(x, 0), _mm512_extracti32x4_epi32(x, 1),
      _mm512_extracti32x4_epi32(x, 2), _mm512_extracti32x4_epi32(x, 3), data, length);
}

#endif
