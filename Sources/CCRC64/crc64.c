// The public CRC-64 entry points: one-time set-up, then a call through the chosen function.
//
// The first call from any thread runs set_up once (pthread_once): it fills the lookup tables
// and picks the carry-less multiplication version when the CPU reports PCLMULQDQ and SSE4.1,
// the table version otherwise (and always on other architectures).
#include <pthread.h>

#include "CCRC64.h"
#include "crc64_internal.h"

typedef uint64_t (*update_function)(uint64_t crc, const unsigned char *data, size_t length);

static pthread_once_t once = PTHREAD_ONCE_INIT;
static update_function fastest = rdb_crc64_table_update;

static void set_up(void) {
  rdb_crc64_table_init();
#if defined(__x86_64__)
  __builtin_cpu_init();
  if (__builtin_cpu_supports("pclmul") && __builtin_cpu_supports("sse4.1")) {
    fastest = rdb_crc64_clmul_update;
  }
#endif
}

uint64_t rdb_crc64(uint64_t crc, const void *data, size_t length) {
  if (length == 0) return crc;
  pthread_once(&once, set_up);
  return fastest(crc, (const unsigned char *)data, length);
}

uint64_t rdb_crc64_portable(uint64_t crc, const void *data, size_t length) {
  if (length == 0) return crc;
  pthread_once(&once, set_up);
  return rdb_crc64_table_update(crc, (const unsigned char *)data, length);
}
