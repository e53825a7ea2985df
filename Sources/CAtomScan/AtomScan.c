/*
 * The hit stream of a block: the sampled filter's and Teddy's occurrences, merged by position.
 */
#define _GNU_SOURCE
#include "TeddyInternal.h"

#include <string.h>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define AS_X86 1
#endif

static inline uint32_t load32(const uint8_t *p) {
    uint32_t w;
    memcpy(&w, p, 4);
    return w;
}

static inline uint64_t load64(const uint8_t *p) {
    uint64_t w;
    memcpy(&w, p, 8);
    return w;
}

static inline int verify(const as_filter *f, const uint8_t *block, size_t length, size_t start, uint32_t atom) {
    uint32_t n = f->atom_len[atom];
    if (start + n > length) return 0;
    const uint8_t *literal = f->atom_bytes[atom];
    const uint8_t *text = block + start;
    if (!f->atom_folded[atom]) {
        /* Atoms have at least 4 bytes: compare in overlapping words, never past the atom's end. */
        if (n < 8) {
            return load32(text) == load32(literal) && load32(text + n - 4) == load32(literal + n - 4);
        }
        uint32_t i = 0;
        for (; i + 8 <= n; i += 8)
            if (load64(text + i) != load64(literal + i)) return 0;
        return i == n || load64(text + n - 8) == load64(literal + n - 8);
    }
    for (uint32_t i = 0; i < n; i++) {
        uint8_t c = text[i];
        if ((uint8_t)(c - 'A') < 26) c |= 0x20;
        if (c != literal[i]) return 0;
    }
    return 1;
}

void as_cursor_reset(as_cursor *cursor) { memset(cursor, 0, offsetof(as_cursor, t_res)); }

/*
 * The first sampled position from p on whose window sets a bit, or a position past `last`. `fold` is a
 * constant where this is inlined: 0 when no atom ignores case (the windows are hashed as they are).
 */
static inline size_t sample_skip(const uint64_t *bitmap, const uint8_t *block, size_t p, size_t last, size_t stride,
                                 uint32_t shift, const uint32_t fold) {
    /* Two positions a step while both fit: the loop's own work is shared. */
    while (last >= stride && p <= last - stride) {
        uint32_t bucket = ((load32(block + p) | fold) * 0x9E3779B1u) >> shift;
        uint32_t bucket2 = ((load32(block + p + stride) | fold) * 0x9E3779B1u) >> shift;
        if ((bitmap[bucket >> 6] >> (bucket & 63)) & 1) return p;
        if ((bitmap[bucket2 >> 6] >> (bucket2 & 63)) & 1) return p + stride;
        p += 2 * stride;
    }
    for (; p <= last; p += stride) {
        uint32_t bucket = ((load32(block + p) | fold) * 0x9E3779B1u) >> shift;
        if ((bitmap[bucket >> 6] >> (bucket & 63)) & 1) return p;
    }
    return p;
}

/* sample_skip with the filter's own tables, the fold made a constant of each inlined copy. */
static inline size_t sampled_skip(const as_filter *f, const uint8_t *block, size_t p, size_t last) {
    return f->fold ? sample_skip(f->bitmap, block, p, last, f->stride, f->shift, 0x20202020u)
                   : sample_skip(f->bitmap, block, p, last, f->stride, f->shift, 0);
}

/* The first entry of the bucket of the window `word`, as the scan reads it. */
static inline uint32_t bucket_of(const as_filter *f, uint32_t word) {
    return (((word | f->fold) * 0x9E3779B1u) >> f->shift) >> f->table_shift;
}

/*
 * Whether entry `e`, in the bucket of the window `word` read at `at`, is an occurrence of its atom
 * there: sets *start to where that occurrence begins.
 */
static inline int entry_occurs(const as_filter *f, uint32_t e, uint32_t word, size_t at, const uint8_t *block,
                               size_t length, size_t *start) {
    if ((word | f->entry_fold[e]) != f->entry_words[e]) return 0;
    const uint32_t offset = f->entries[e] & 31;
    if (at < offset) return 0;
    *start = at - offset;
    return verify(f, block, length, *start, f->entries[e] >> 5);
}

/* The next occurrence found by the sampled filter. */
static int sampled_next(const as_filter *f, const uint8_t *block, size_t length, as_cursor *c, as_hit *out) {
    for (;;) {
        while (c->s_entry < c->s_end) {
            const uint32_t e = c->s_entry++;
            size_t start;
            if (entry_occurs(f, e, c->s_word, c->s_at, block, length, &start)) {
                out->start = start;
                out->key = c->s_at;
                out->atom = f->entries[e] >> 5;
                return 1;
            }
        }
        if (c->s_done || length < 4) {
            c->s_done = 1;
            return 0;
        }
        const size_t last = length - 4;
        const size_t p = sampled_skip(f, block, c->s_pos, last);
        if (p > last) {
            c->s_pos = p;
            c->s_done = 1;
            return 0;
        }
        const uint32_t word = load32(block + p);
        const uint32_t bucket = bucket_of(f, word);
        c->s_at = p;
        c->s_word = word;
        c->s_entry = f->bucket_start[bucket];
        c->s_end = f->bucket_start[bucket + 1];
        c->s_pos = p + f->stride;
    }
}

/* The next occurrence found by Teddy. */
static int teddy_next(const as_filter *f, const uint8_t *block, size_t length, as_cursor *c, as_hit *out) {
    const as_teddy *t = f->teddy;
    for (;;) {
        while (c->t_buckets != 0) {
            uint32_t end = t->bucket_start[__builtin_ctz(c->t_buckets) + 1];
            /* Teddy reports positions with 4 bytes to compare. */
            const uint32_t word = load32(block + c->t_cur);
            while (c->t_lit < end) {
                uint32_t lit = c->t_lit++;
                if ((word | t->bucket_fold[lit]) != t->bucket_prefix[lit]) continue;
                uint32_t atom = t->bucket_atoms[lit];
                if (verify(f, block, length, c->t_cur, atom)) {
                    out->start = c->t_cur;
                    out->key = c->t_cur;
                    out->atom = atom;
                    return 1;
                }
            }
            c->t_buckets &= c->t_buckets - 1;
            if (c->t_buckets != 0) c->t_lit = t->bucket_start[__builtin_ctz(c->t_buckets)];
        }
        if (c->t_mask != 0) {
            unsigned j = (unsigned)__builtin_ctzll(c->t_mask);
            c->t_mask &= c->t_mask - 1;
            c->t_cur = c->t_base + j;
            c->t_buckets = c->t_res[j];
            c->t_lit = t->bucket_start[__builtin_ctz(c->t_buckets)];
            continue;
        }
        if (c->t_done) return 0;
        uint64_t mask = 0;
        size_t base = as_teddy_find(t, block, c->t_pos, length, c->t_res, &mask);
        if (mask == 0) {
            c->t_pos = length;
            c->t_done = 1;
            return 0;
        }
        c->t_base = base;
        c->t_mask = mask;
        c->t_pos = base + 64;
    }
}

size_t as_next_hits(const as_filter *filter, const uint8_t *block, size_t length, as_cursor *cursor,
                    as_hit *hits, size_t capacity) {
    size_t n = 0;
    const int sampled = filter->bitmap != NULL;
    const int teddy = filter->teddy != NULL;
    if (sampled && !teddy) {
        while (n < capacity && (cursor->s_has || sampled_next(filter, block, length, cursor, &hits[n]))) {
            if (cursor->s_has) {
                hits[n] = cursor->s_head;
                cursor->s_has = 0;
            }
            n++;
        }
        return n;
    }
    while (n < capacity) {
        if (sampled && !cursor->s_has) cursor->s_has = sampled_next(filter, block, length, cursor, &cursor->s_head);
        if (teddy && !cursor->t_has) cursor->t_has = teddy_next(filter, block, length, cursor, &cursor->t_head);
        if (cursor->s_has && (!cursor->t_has || cursor->s_head.key <= cursor->t_head.key)) {
            hits[n++] = cursor->s_head;
            cursor->s_has = 0;
        } else if (cursor->t_has) {
            hits[n++] = cursor->t_head;
            cursor->t_has = 0;
        } else {
            break;
        }
    }
    return n;
}

size_t as_next_line_hits(const as_filter *filter, const uint8_t *block, size_t length, as_cursor *c,
                         const uint8_t *decisive, as_line_hit *out, size_t capacity) {
    size_t n = 0;
    as_hit hit;
    while (n < capacity && as_next_hits(filter, block, length, c, &hit, 1) == 1) {
        if (hit.start < c->floor) continue;
        if (!c->have_line || hit.start >= c->line_end) {
            size_t floor = c->have_line ? c->line_end + 1 : c->floor;
            ptrdiff_t previous = as_last_index(block + floor, hit.start - floor, '\n');
            c->line_start = previous < 0 ? floor : floor + (size_t)previous + 1;
            const uint8_t *newline = memchr(block + hit.start, '\n', length - hit.start);
            c->line_end = newline == NULL ? length : (size_t)(newline - block);
            c->have_line = 1;
        }
        const int decided = decisive != NULL && decisive[hit.atom];
        out[n].start = hit.start;
        out[n].line_start = c->line_start;
        out[n].line_end = c->line_end;
        out[n].atom = hit.atom;
        out[n].decided = (uint32_t)decided;
        n++;
        if (decided) as_skip_to(c, c->line_end + 1);
    }
    return n;
}

size_t as_line_atoms(const as_filter *f, const uint8_t *line, size_t length, uint32_t *atoms, size_t capacity) {
    if (f->bitmap == NULL || length < 4) return 0;
    const size_t last = length - 4;
    size_t n = 0;
    for (size_t p = sampled_skip(f, line, 0, last); p <= last; p = sampled_skip(f, line, p + f->stride, last)) {
        const uint32_t word = load32(line + p);
        const uint32_t bucket = bucket_of(f, word);
        for (uint32_t e = f->bucket_start[bucket]; e < f->bucket_start[bucket + 1]; e++) {
            size_t start;
            if (!entry_occurs(f, e, word, p, line, length, &start)) continue;
            if (n < capacity) atoms[n] = f->entries[e] >> 5;
            n++;
        }
    }
    return n;
}

void as_skip_to(as_cursor *c, size_t position) {
    if (position > c->floor) c->floor = position;
    if (c->have_line && c->line_start < position) c->have_line = 0;
    if (c->s_has && c->s_head.key < position) c->s_has = 0;
    if (c->s_at < position) c->s_entry = c->s_end;
    if (c->s_pos < position) c->s_pos = position;
    if (c->t_has && c->t_head.key < position) c->t_has = 0;
    if (c->t_cur < position) c->t_buckets = 0;
    if (c->t_base < position) {
        size_t drop = position - c->t_base;
        c->t_mask = drop >= 64 ? 0 : c->t_mask & (~0ull << drop);
    }
    if (c->t_pos < position) c->t_pos = position;
}

#ifdef AS_X86
__attribute__((target("avx2"))) static size_t count_avx2(const uint8_t *p, size_t n, uint8_t byte) {
    const __m256i needle = _mm256_set1_epi8((char)byte);
    const __m256i zero = _mm256_setzero_si256();
    size_t total = 0, i = 0;
    while (i + 32 <= n) {
        __m256i acc = zero;
        size_t limit = i + 255 * 32;
        if (limit > n) limit = n;
        for (; i + 32 <= limit; i += 32) {
            __m256i v = _mm256_loadu_si256((const __m256i *)(p + i));
            acc = _mm256_sub_epi8(acc, _mm256_cmpeq_epi8(v, needle));
        }
        __m256i sums = _mm256_sad_epu8(acc, zero);
        total += (size_t)_mm256_extract_epi64(sums, 0) + (size_t)_mm256_extract_epi64(sums, 1) +
                 (size_t)_mm256_extract_epi64(sums, 2) + (size_t)_mm256_extract_epi64(sums, 3);
    }
    if (i < n && n >= 32) {
        /* The tail: the last 32 bytes, without those already counted. */
        __m256i v = _mm256_loadu_si256((const __m256i *)(p + n - 32));
        uint32_t bits = (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(v, needle));
        return total + (size_t)__builtin_popcount(bits >> (32 - (n - i)));
    }
    for (; i < n; i++) total += p[i] == byte;
    return total;
}
#endif

size_t as_count_byte(const uint8_t *bytes, size_t length, uint8_t byte) {
#ifdef AS_X86
    if (__builtin_cpu_supports("avx2")) return count_avx2(bytes, length, byte);
#endif
    size_t total = 0;
    const uint8_t *p = bytes, *end = bytes + length;
    while (p < end && (p = memchr(p, byte, (size_t)(end - p))) != NULL) {
        total++;
        p++;
    }
    return total;
}

ptrdiff_t as_last_index(const uint8_t *bytes, size_t length, uint8_t byte) {
    if (length == 0) return -1;
#ifdef __GLIBC__
    const uint8_t *found = memrchr(bytes, byte, length);
    return found == NULL ? -1 : found - bytes;
#else
    for (size_t i = length; i > 0; i--)
        if (bytes[i - 1] == byte) return (ptrdiff_t)(i - 1);
    return -1;
#endif
}

void as_window_histogram(const uint8_t *block, size_t length, uint32_t *counts, uint32_t bits) {
    if (length < 4) return;
    const uint32_t shift = 32 - bits;
    for (size_t p = 0; p + 4 <= length; p++) {
        uint32_t word = load32(block + p) | 0x20202020u;
        counts[(word * 0x9E3779B1u) >> shift]++;
    }
}

static int matches_folded(const uint8_t *text, const uint8_t *literal, size_t length) {
    for (size_t i = 0; i < length; i++) {
        uint8_t c = text[i];
        if ((uint8_t)(c - 'A') < 26) c |= 0x20;
        if (c != literal[i]) return 0;
    }
    return 1;
}

int as_contains(const uint8_t *haystack, size_t length, const uint8_t *literal, size_t literal_length,
                size_t anchor, int folded) {
    if (literal_length == 0) return 1;
    if (literal_length > length) return 0;
    const size_t last = length - literal_length;
    if (!folded) {
        /* memchr for the literal's rarest byte, then compare around it. */
        const uint8_t byte = literal[anchor];
        const uint8_t *from = haystack + anchor;
        const uint8_t *end = haystack + last + anchor + 1;
        while (from < end) {
            const uint8_t *found = memchr(from, byte, (size_t)(end - from));
            if (found == NULL) return 0;
            const uint8_t *start = found - anchor;
            if (memcmp(start, literal, literal_length) == 0) return 1;
            from = found + 1;
        }
        return 0;
    }
    for (size_t start = 0; start <= last; start++) {
        if (matches_folded(haystack + start, literal, literal_length)) return 1;
    }
    return 0;
}
