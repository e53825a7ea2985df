/*
 * Teddy: finds candidate starts of a few short literals with nibble lookups.
 *
 * The atoms are spread over 8 buckets. For each of the first 4 bytes of an atom, two 16-entry tables
 * map the byte's low and high nibble to the buckets that accept it. At a position, the AND over the 4
 * bytes of both lookups is the set of buckets whose atoms may start there; only those are compared.
 * With AVX2 a shuffle does the 16-entry lookup for 32 positions at once.
 */
#include "TeddyInternal.h"

#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define AS_X86 1
#endif

enum { MASK_BYTES = 4, BUCKETS = 8, CHUNK = 64 };

static uint8_t fold(uint8_t c) { return (c >= 'A' && c <= 'Z') ? (uint8_t)(c | 0x20) : c; }

static void accept(as_teddy *t, int k, uint8_t c, int bucket) {
    uint8_t bit = (uint8_t)(1u << bucket);
    t->lo[k][c & 15] |= bit;
    t->lo[k][16 + (c & 15)] |= bit;
    t->hi[k][c >> 4] |= bit;
    t->hi[k][16 + (c >> 4)] |= bit;
}

typedef struct {
    uint32_t atom;
    uint8_t key[MASK_BYTES];
} keyed_atom;

static int compare_keys(const void *a, const void *b) {
    return memcmp(((const keyed_atom *)a)->key, ((const keyed_atom *)b)->key, MASK_BYTES);
}

as_teddy *as_teddy_build(const uint32_t *atoms, size_t count, const uint8_t *const *atom_bytes,
                         const uint32_t *atom_len, const uint8_t *atom_folded, int force_scalar) {
    if (count == 0 || count > 64) return NULL;
    as_teddy *t = calloc(1, sizeof(as_teddy));
    keyed_atom *keyed = calloc(count, sizeof(keyed_atom));
    if (t == NULL || keyed == NULL) {
        free(t);
        free(keyed);
        return NULL;
    }
    t->bucket_atoms = calloc(count, sizeof(uint32_t));
    t->bucket_prefix = calloc(count, sizeof(uint32_t));
    t->bucket_fold = calloc(count, sizeof(uint32_t));
    if (t->bucket_atoms == NULL || t->bucket_prefix == NULL || t->bucket_fold == NULL) {
        as_teddy_free(t);
        free(keyed);
        return NULL;
    }
    for (size_t i = 0; i < count; i++) {
        keyed[i].atom = atoms[i];
        for (int k = 0; k < MASK_BYTES; k++) {
            uint8_t c = atom_len[atoms[i]] > (uint32_t)k ? atom_bytes[atoms[i]][k] : 0;
            keyed[i].key[k] = atom_folded[atoms[i]] ? fold(c) : c;
        }
    }
    /* Neighbours in sorted order share prefixes: keeping them in one bucket keeps its masks tight. */
    qsort(keyed, count, sizeof(keyed_atom), compare_keys);
    for (int b = 0; b <= BUCKETS; b++) t->bucket_start[b] = (uint32_t)((count * (size_t)b) / BUCKETS);
    for (int b = 0; b < BUCKETS; b++) {
        for (uint32_t i = t->bucket_start[b]; i < t->bucket_start[b + 1]; i++) {
            uint32_t atom = keyed[i].atom;
            t->bucket_atoms[i] = atom;
            uint32_t prefix;
            memcpy(&prefix, atom_bytes[atom], 4);
            t->bucket_fold[i] = atom_folded[atom] ? 0x20202020u : 0;
            t->bucket_prefix[i] = prefix | t->bucket_fold[i];
            for (int k = 0; k < MASK_BYTES; k++) {
                uint8_t c = atom_bytes[atom][k];
                if (atom_folded[atom] && c >= 'a' && c <= 'z') accept(t, k, (uint8_t)(c - 0x20), b);
                accept(t, k, c, b);
            }
        }
    }
    free(keyed);
#ifdef AS_X86
    t->vector = !force_scalar && __builtin_cpu_supports("avx2");
#else
    (void)force_scalar;
    t->vector = 0;
#endif
    return t;
}

void as_teddy_free(as_teddy *teddy) {
    if (teddy == NULL) return;
    free(teddy->bucket_atoms);
    free(teddy->bucket_prefix);
    free(teddy->bucket_fold);
    free(teddy);
}

int as_teddy_is_vectorized(const as_teddy *teddy) { return teddy != NULL && teddy->vector; }

/* The buckets that may start at `p` (which has MASK_BYTES bytes). */
static inline uint8_t buckets_at(const as_teddy *t, const uint8_t *p) {
    uint8_t r = 0xFF;
    for (int k = 0; k < MASK_BYTES; k++) r &= t->lo[k][p[k] & 15] & t->hi[k][p[k] >> 4];
    return r;
}

#ifdef AS_X86
__attribute__((target("avx2"))) static size_t find_avx2(const as_teddy *t, const uint8_t *block, size_t from,
                                                       size_t end, uint8_t *res, uint64_t *mask) {
    const __m256i nibble = _mm256_set1_epi8(0x0F);
    const __m256i zero = _mm256_setzero_si256();
    __m256i lo[MASK_BYTES], hi[MASK_BYTES];
    for (int k = 0; k < MASK_BYTES; k++) {
        lo[k] = _mm256_loadu_si256((const __m256i *)t->lo[k]);
        hi[k] = _mm256_loadu_si256((const __m256i *)t->hi[k]);
    }
    size_t position = from;
    /* Each step reads CHUNK + MASK_BYTES - 1 bytes. */
    while (position + CHUNK + MASK_BYTES - 1 <= end) {
        __m256i r0 = _mm256_set1_epi8((char)0xFF), r1 = r0;
        for (int k = 0; k < MASK_BYTES; k++) {
            __m256i v0 = _mm256_loadu_si256((const __m256i *)(block + position + k));
            __m256i v1 = _mm256_loadu_si256((const __m256i *)(block + position + 32 + k));
            __m256i l0 = _mm256_shuffle_epi8(lo[k], _mm256_and_si256(v0, nibble));
            __m256i h0 = _mm256_shuffle_epi8(hi[k], _mm256_and_si256(_mm256_srli_epi16(v0, 4), nibble));
            __m256i l1 = _mm256_shuffle_epi8(lo[k], _mm256_and_si256(v1, nibble));
            __m256i h1 = _mm256_shuffle_epi8(hi[k], _mm256_and_si256(_mm256_srli_epi16(v1, 4), nibble));
            r0 = _mm256_and_si256(r0, _mm256_and_si256(l0, h0));
            r1 = _mm256_and_si256(r1, _mm256_and_si256(l1, h1));
        }
        uint32_t z0 = (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(r0, zero));
        uint32_t z1 = (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(r1, zero));
        uint64_t m = ~((uint64_t)z0 | ((uint64_t)z1 << 32));
        if (m != 0) {
            _mm256_storeu_si256((__m256i *)res, r0);
            _mm256_storeu_si256((__m256i *)(res + 32), r1);
            *mask = m;
            return position;
        }
        position += CHUNK;
    }
    *mask = 0;
    return position;
}
#endif

size_t as_teddy_find(const as_teddy *t, const uint8_t *block, size_t from, size_t length, uint8_t *res,
                     uint64_t *mask) {
    size_t position = from;
#ifdef AS_X86
    if (t->vector) {
        position = find_avx2(t, block, position, length, res, mask);
        if (*mask != 0) return position;
    }
#endif
    /* One position at a time: the tail, or every position without AVX2. */
    while (position + MASK_BYTES <= length) {
        size_t end = position + CHUNK;
        if (end + MASK_BYTES - 1 > length) end = length - MASK_BYTES + 1;
        uint64_t m = 0;
        for (size_t p = position; p < end; p++) {
            uint8_t r = buckets_at(t, block + p);
            res[p - position] = r;
            if (r != 0) m |= 1ull << (p - position);
        }
        if (m != 0) {
            *mask = m;
            return position;
        }
        position = end;
    }
    *mask = 0;
    return length;
}
