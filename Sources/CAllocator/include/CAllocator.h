// The C library allocator's settings that Swift cannot reach: <malloc.h> is not in Glibc's
// Swift module.
#ifndef CALLOCATOR_H
#define CALLOCATOR_H

#ifdef __cplusplus
extern "C" {
#endif

/// Fixes glibc's two thresholds, which it otherwise raises as the program frees: blocks of
/// `mmap_bytes` or more are mapped apart and unmapped when freed, and an arena gives back
/// the free memory at its top once it exceeds `trim_bytes`. Returns 1 when both are set,
/// 0 where they cannot be (not glibc, or refused).
int rdb_fix_allocator_thresholds(int mmap_bytes, int trim_bytes);

#ifdef __cplusplus
}
#endif

#endif
