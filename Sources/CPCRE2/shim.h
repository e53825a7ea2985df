#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stddef.h>
/* memmem and memrchr are GNU extensions that Swift's Glibc module does not export. */
extern void *memmem(const void *haystack, size_t haystacklen, const void *needle, size_t needlelen);
extern void *memrchr(const void *s, int c, size_t n);
