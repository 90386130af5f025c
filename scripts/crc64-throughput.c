// Measures the throughput of each CRC-64 version this CPU runs, on one core.
// Run by hand, from the package root:
//   cc -O2 -o /tmp/crc64-throughput -I Sources/CCRC64/include Sources/CCRC64/*.c scripts/crc64-throughput.c -lpthread
//   /tmp/crc64-throughput
// For each buffer size it hashes the same buffer repeatedly for about half a second and prints
// GB/s (10^9 bytes per second): small sizes show per-call cost, 64 KiB the in-cache speed,
// 256 MiB the speed from main memory.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "CCRC64.h"


/// Seconds on the monotonic clock.
static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/// Hashes `buffer` repeatedly for about `budget` seconds and returns GB/s.
static double measure(
    rdb_crc64_version version, const unsigned char *buffer, size_t size, double budget) {
  uint64_t sink = 0;
  size_t rounds = 0;
  double start = now(), elapsed = 0;
  size_t batch = size >= (1u << 20) ? 1 : (1u << 20) / size;
  while (elapsed < budget) {
    for (size_t i = 0; i < batch; i++) sink = rdb_crc64_by(version, sink, buffer, size);
    rounds += batch;
    elapsed = now() - start;
  }
  if (sink == 42) puts("");  // keeps the calls from being optimized away
  return (double)size * (double)rounds / elapsed / 1e9;
}

int main(void) {
  static const size_t sizes[] = {16, 64, 256, 1024, 4096, 65536, 1u << 20, 256u << 20};
  size_t largest = sizes[sizeof sizes / sizeof sizes[0] - 1];
  unsigned char *buffer = malloc(largest);
  if (buffer == NULL) return 1;
  uint64_t state = 0x9E3779B97F4A7C15u;
  for (size_t i = 0; i < largest; i++) {
    state = state * 6364136223846793005u + 1442695040888963407u;
    buffer[i] = (unsigned char)(state >> 56);
  }
  static const char *names[] = {"table", "PCLMULQDQ", "VPCLMULQDQ"};
  int versions = 0;
  while (versions < 3 && rdb_crc64_supports((rdb_crc64_version)versions)) versions++;
  printf("| bytes per call |");
  for (int v = 0; v < versions; v++) printf(" %s GB/s |", names[v]);
  printf("\n|---:|");
  for (int v = 0; v < versions; v++) printf("---:|");
  printf("\n");
  for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
    printf("| %zu |", sizes[i]);
    for (int v = 0; v < versions; v++) {
      printf(" %.2f |", measure((rdb_crc64_version)v, buffer, sizes[i], 0.5));
    }
    printf("\n");
  }
  free(buffer);
  return 0;
}
