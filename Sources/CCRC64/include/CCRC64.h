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
/// Uses carry-less multiplication when the CPU has it, the table version otherwise.
/// Safe to call from any thread; `data` may be NULL when `length` is 0.
uint64_t rdb_crc64(uint64_t crc, const void *data, size_t length);

/// The same CRC by slice-by-16 table lookup, on every CPU. Exposed so tests can compare.
uint64_t rdb_crc64_portable(uint64_t crc, const void *data, size_t length);

#ifdef __cplusplus
}
#endif

#endif
