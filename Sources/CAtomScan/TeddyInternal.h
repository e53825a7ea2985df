/* Teddy's tables, shared by Teddy.c (which builds and runs them) and AtomScan.c (which verifies). */
#ifndef ATOMSCAN_TEDDY_INTERNAL_H
#define ATOMSCAN_TEDDY_INTERNAL_H

#include "atomscan.h"

struct as_teddy {
    int vector;
    /* Per mask byte: bucket bits by low / high nibble, the 16 entries twice (one copy per AVX2 lane). */
    uint8_t lo[4][32];
    uint8_t hi[4][32];
    /* The atoms of bucket b are bucket_atoms[bucket_start[b] ..< bucket_start[b + 1]]. */
    uint32_t bucket_start[9];
    uint32_t *bucket_atoms;
    /* For each of them, the first 4 bytes and the fold they are compared with: a candidate is
     * verified only where (text | bucket_fold) == bucket_prefix (| 0x20202020 for atoms ignoring case). */
    uint32_t *bucket_prefix;
    uint32_t *bucket_fold;
};

/*
 * Finds the first chunk at or after `from` with a candidate position: returns its start, and sets
 * *mask to its candidate positions (bit i: `start + i`) and res[i] to their buckets; *mask is 0 when
 * the block holds no more candidates.
 */
size_t as_teddy_find(const as_teddy *t, const uint8_t *block, size_t from, size_t length, uint8_t *res,
                     uint64_t *mask);

#endif
