// CRC-64 Jones by table lookup, 16 bytes per step ("slice-by-16"), for every CPU.
//
// table[0][b] is the CRC of the single byte b; table[k][b] is the CRC of b followed by k zero
// bytes. A step XORs the running CRC into the next 8 bytes (what a reflected CRC's register
// does bit by bit), then sums the 16 bytes' contributions, each looked up by its distance
// from the end of the step. The tables take 32 KiB and are computed once at start-up.
#include "crc64_internal.h"

static uint64_t table[16][256];

void rdb_crc64_table_init(void) {
  for (unsigned byte = 0; byte < 256; byte++) {
    uint64_t crc = byte;
    for (int bit = 0; bit < 8; bit++) {
      crc = (crc & 1) ? (crc >> 1) ^ RDB_CRC64_POLY : crc >> 1;
    }
    table[0][byte] = crc;
  }
  for (int slice = 1; slice < 16; slice++) {
    for (unsigned byte = 0; byte < 256; byte++) {
      uint64_t previous = table[slice - 1][byte];
      table[slice][byte] = (previous >> 8) ^ table[0][previous & 0xff];
    }
  }
}

uint64_t rdb_crc64_table_update(uint64_t crc, const unsigned char *data, size_t length) {
  while (length >= 16) {
    uint64_t first = rdb_crc64_load_le64(data) ^ crc;
    uint64_t second = rdb_crc64_load_le64(data + 8);
    crc = table[15][first & 0xff] ^ table[14][(first >> 8) & 0xff]
        ^ table[13][(first >> 16) & 0xff] ^ table[12][(first >> 24) & 0xff]
        ^ table[11][(first >> 32) & 0xff] ^ table[10][(first >> 40) & 0xff]
        ^ table[9][(first >> 48) & 0xff] ^ table[8][first >> 56]
        ^ table[7][second & 0xff] ^ table[6][(second >> 8) & 0xff]
        ^ table[5][(second >> 16) & 0xff] ^ table[4][(second >> 24) & 0xff]
        ^ table[3][(second >> 32) & 0xff] ^ table[2][(second >> 40) & 0xff]
        ^ table[1][(second >> 48) & 0xff] ^ table[0][second >> 56];
    data += 16;
    length -= 16;
  }
  while (length > 0) {
    crc = table[0][(crc ^ *data) & 0xff] ^ (crc >> 8);
    data++;
    length--;
  }
  return crc;
}
