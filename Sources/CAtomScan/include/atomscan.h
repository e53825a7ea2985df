/*
 * The hot loops of StreamMatch's literal prefilter, in C where Swift cannot reach the instructions.
 *
 * Two finders share one hit stream:
 *  - a sampled q-gram filter for long atoms: the 4-byte window at every `stride`-th position is hashed
 *    and looked up in a bitmap; a set bit is verified against the atoms indexed in that bucket;
 *  - Teddy (nibble-mask shuffles, 32 bytes at a time with AVX2, one byte at a time elsewhere) for the
 *    few atoms too short for a useful stride.
 * The tables of the sampled filter are built by the caller; Teddy builds its own. A cursor merges the
 * two in ascending position, so hits come line by line, and can be moved past a line already decided.
 */
#ifndef ATOMSCAN_H
#define ATOMSCAN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Teddy's tables for a set of short atoms; opaque. */
typedef struct as_teddy as_teddy;

/* Everything a scan reads; owned by the caller, immutable while scans run. */
typedef struct {
    /* The atoms: bytes (ASCII lower case when folded), lengths, and whether they ignore ASCII case. */
    const uint8_t *const *atom_bytes;
    const uint32_t *atom_len;
    const uint8_t *atom_folded;
    /* The sampled filter over the long atoms; bitmap is NULL when there are none. */
    const uint64_t *bitmap;
    uint32_t shift;       /* bitmap bit of a window: ((window | fold) * 0x9E3779B1) >> shift */
    uint32_t fold;        /* 0x20202020 when an atom of the sampled filter ignores case, else 0 */
    uint32_t table_shift; /* its bucket: bit >> table_shift */
    uint32_t stride;
    const uint32_t *bucket_start;
    const uint32_t *entries;     /* atom << 5 | offset of the indexed window in the atom */
    const uint32_t *entry_words; /* the window, folded with | 0x20202020 for atoms that ignore case */
    const uint32_t *entry_fold;  /* 0x20202020 for atoms that ignore case, else 0: (window | fold) == word */
    /* Teddy over the short atoms; NULL when there are none. */
    const as_teddy *teddy;
} as_filter;

/* One occurrence of an atom: where it starts, and the position that found it (in the same line). */
typedef struct {
    size_t start;
    size_t key;
    uint32_t atom;
} as_hit;

/* Where a scan of one block stands; zero it (as_cursor_reset) before each block. */
typedef struct {
    /* sampled filter */
    size_t s_pos;         /* next position to sample */
    size_t s_at;          /* position of the bucket being verified */
    uint32_t s_entry;     /* its entries left: [s_entry, s_end) */
    uint32_t s_end;
    uint32_t s_word;      /* the window there, as read */
    int s_done;
    int s_has;
    as_hit s_head;
    /* Teddy */
    size_t t_pos;         /* start of the next chunk */
    size_t t_base;        /* start of the chunk being verified */
    uint64_t t_mask;      /* its candidate positions not yet taken up */
    size_t t_cur;         /* the candidate position being verified */
    uint32_t t_buckets;   /* its buckets left */
    uint32_t t_lit;       /* next atom of the current bucket */
    int t_done;
    int t_has;
    as_hit t_head;
    /* lines (as_next_line_hits) */
    size_t floor;         /* no hit before this position is reported */
    size_t line_start;    /* the line of the last hit, when have_line */
    size_t line_end;
    int have_line;
    uint8_t t_res[64];    /* bucket bits per position of the chunk */
} as_cursor;

/* A hit with its line: [line_start, line_end), line_end at the '\n' or the block's end. */
typedef struct {
    size_t start;
    size_t line_start;
    size_t line_end;
    uint32_t atom;
    uint32_t decided; /* the atom was decisive: the rest of its line was skipped */
} as_line_hit;

/*
 * Builds Teddy for `count` atoms (1 to 64, each at least 4 bytes), given by index into the atom tables.
 * Returns NULL on allocation failure. `force_scalar` disables the vector loop (for tests).
 */
as_teddy *as_teddy_build(const uint32_t *atoms, size_t count, const uint8_t *const *atom_bytes,
                         const uint32_t *atom_len, const uint8_t *atom_folded, int force_scalar);
void as_teddy_free(as_teddy *teddy);
/* Whether the vector loop is in use. */
int as_teddy_is_vectorized(const as_teddy *teddy);

/* Starts a scan of a new block. */
void as_cursor_reset(as_cursor *cursor);

/*
 * Writes up to `capacity` hits of `block` to `hits`, in ascending key order, and returns their number;
 * fewer than `capacity` means the block holds no more. Atoms never span a '\n' of the block.
 */
size_t as_next_hits(const as_filter *filter, const uint8_t *block, size_t length, as_cursor *cursor,
                    as_hit *hits, size_t capacity);

/*
 * Like as_next_hits, with each hit's line. A hit of an atom whose `decisive` flag is set (NULL: none
 * is) decides its line: the rest of the line is skipped.
 */
size_t as_next_line_hits(const as_filter *filter, const uint8_t *block, size_t length, as_cursor *cursor,
                         const uint8_t *decisive, as_line_hit *hits, size_t capacity);

/*
 * The atoms of the sampled filter that occur in the `length` bytes of `line` (a filter for lines: its
 * Teddy atoms, if any, are not searched), one entry per occurrence: writes up to `capacity` atom
 * numbers to `atoms` and returns how many occurrences there are (more than `capacity`: the ones beyond
 * were not written).
 */
size_t as_line_atoms(const as_filter *filter, const uint8_t *line, size_t length, uint32_t *atoms, size_t capacity);

/* Drops the hits found at positions before `position` (the start of a line) and scans on from there. */
void as_skip_to(as_cursor *cursor, size_t position);

/*
 * Counts the 4-byte windows at every position of `block`, folded like the sampled filter folds them,
 * into `counts` (1 << bits entries, indexed by the filter's hash of the window).
 */
void as_window_histogram(const uint8_t *block, size_t length, uint32_t *counts, uint32_t bits);

/*
 * Whether `literal` occurs in `haystack`: found by memchr for literal[anchor] (its rarest byte), or,
 * when `folded`, compared ignoring ASCII case (the literal is lower case).
 */
int as_contains(const uint8_t *haystack, size_t length, const uint8_t *literal, size_t literal_length,
                size_t anchor, int folded);

/* The number of `byte`s in `length` bytes at `bytes`. */
size_t as_count_byte(const uint8_t *bytes, size_t length, uint8_t byte);

/* The offset of the last `byte` in `length` bytes at `bytes`, or -1. */
ptrdiff_t as_last_index(const uint8_t *bytes, size_t length, uint8_t byte);

#ifdef __cplusplus
}
#endif

#endif
