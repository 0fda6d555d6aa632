/*
 * xalloc.h: allocation that never returns NULL. Out of memory prints a
 * message and aborts (STYLE.md §9); size arithmetic is overflow-checked.
 */
#ifndef PK_CORE_XALLOC_H
#define PK_CORE_XALLOC_H

#include <stddef.h>

/* malloc that aborts on failure; never returns NULL, even for size 0. */
void *pk_xmalloc(size_t size);
/* calloc(n, size) with overflow check; zeroed memory. */
void *pk_xcalloc(size_t n, size_t size);
/* realloc(ptr, n * size) with overflow check. */
void *pk_xreallocarray(void *ptr, size_t n, size_t size);
/* Copies the NUL-terminated string s. */
char *pk_xstrdup(const char *s);
/* Copies len bytes of s and appends a NUL. */
char *pk_xstrndup(const char *s, size_t len);
/* a + b, aborting on overflow. */
size_t pk_size_add(size_t a, size_t b);
/* a * b, aborting on overflow. */
size_t pk_size_mul(size_t a, size_t b);

/* Grows *items (of elem_size each) so that it holds at least need items. */
#define PK_GROW(items, cap, need)                                                  \
	do {                                                                       \
		if ((need) > (cap)) {                                              \
			size_t pk__nc = (cap) ? (cap) : 8;                         \
			while (pk__nc < (need))                                    \
				pk__nc = pk_size_mul(pk__nc, 2);                   \
			(items) = pk_xreallocarray((items), pk__nc, sizeof(*(items))); \
			(cap) = pk__nc;                                            \
		}                                                                  \
	} while (0)

#endif
