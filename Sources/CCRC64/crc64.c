// The public CRC-64 entry points: one-time set-up, then a call through the chosen function.
//
// The first call from any thread runs set_up once (pthread_once): it fills the lookup tables
// and picks the carry-less multiplication version when the CPU reports PCLMULQDQ and SSE4.1
// (its 512-bit form when it also reports VPCLMULQDQ and AVX-512F), the table version otherwise
// (and always on other architectures).
#include <pthread.h>

#include "CCRC64.h"
#include "crc64_internal.h"

typedef uint64_t (*update_function)(uint64_t crc, const unsigned char *data, size_t length);

static pthread_once_t once = PTHREAD_ONCE_INIT;
static update_function fastest = rdb_crc64_table_update;

static update_function versions[3] = {rdb_crc64_table_update, NULL, NULL};

static void set_up(void) {
  rdb_crc64_table_init();
#if defined(__x86_64__)
  __builtin_cpu_init();
  if (__builtin_cpu_supports("pclmul") && __builtin_cpu_supports("sse4.1")) {
    versions[RDB_CRC64_CLMUL] = rdb_crc64_clmul_update;
    fastest = rdb_crc64_clmul_update;
    if (__builtin_cpu_supports("vpclmulqdq") && __builtin_cpu_supports("avx512f")) {
      versions[RDB_CRC64_VPCLMUL] = rdb_crc64_vpclmul_update;
      fastest = rdb_crc64_vpclmul_update;
    }
  }
#endif
}

uint64_t rdb_crc64(uint64_t crc, const void *data, size_t length) {
  if (length == 0) return crc;
  pthread_once(&once, set_up);
  return fastest(crc, (const unsigned char *)data, length);
}

int rdb_crc64_supports(rdb_crc64_version version) {
  pthread_once(&once, set_up);
  return version >= RDB_CRC64_TABLE && version <= RDB_CRC64_VPCLMUL && versions[version] != NULL;
}

uint64_t rdb_crc64_by(rdb_crc64_version version, uint64_t crc, const void *data, size_t length) {
  if (length == 0 || !rdb_crc64_supports(version)) return crc;
  return versions[version](crc, (const unsigned char *)data, length);
}
