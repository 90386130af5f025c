// CRC-64 "Jones" as Redis and Valkey use it for the RDB trailer and DUMP payloads:
// reflected polynomial 0x95AC9329AC4BC9B5, initial value 0, no final xor.
// Check value: rdb_crc64(0, "123456789", 9) == 0xE9C6D914C4B8D9CA.
#ifndef CCRC64_H
#define CCRC64_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Continues a CRC over `length` bytes at `data` and returns the new CRC.
/// Start with `crc` = 0; feeding a buffer in pieces gives the same result as in one call.
/// Uses the fastest version the CPU supports (see rdb_crc64_version).
/// Safe to call from any thread; `data` may be NULL when `length` is 0.
uint64_t rdb_crc64(uint64_t crc, const void *data, size_t length);

/// The versions of the CRC code: slice-by-16 table lookup (every CPU), PCLMULQDQ folding
/// (x86-64 with SSE4.1) and VPCLMULQDQ folding (x86-64 with AVX-512F).
typedef enum {
  RDB_CRC64_TABLE = 0,
  RDB_CRC64_CLMUL = 1,
  RDB_CRC64_VPCLMUL = 2,
} rdb_crc64_version;

/// Whether this CPU runs `version`; rdb_crc64 uses the last one it runs.
int rdb_crc64_supports(rdb_crc64_version version);

/// The same CRC by one given version: for tests and benchmarks that compare the versions. A
/// version the CPU does not support returns `crc` unchanged.
uint64_t rdb_crc64_by(rdb_crc64_version version, uint64_t crc, const void *data, size_t length);

#ifdef __cplusplus
}
#endif

#endif
