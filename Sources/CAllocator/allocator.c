#include "CAllocator.h"

#include <stdlib.h>  // defines __GLIBC__ on glibc
#if defined(__GLIBC__)
#include <malloc.h>
#endif

int rdb_fix_allocator_thresholds(int mmap_bytes, int trim_bytes) {
#if defined(__GLIBC__)
  return mallopt(M_MMAP_THRESHOLD, mmap_bytes) && mallopt(M_TRIM_THRESHOLD, trim_bytes);
#else
  (void)mmap_bytes;
  (void)trim_bytes;
  return 0;
#endif
}
