#include "core/xalloc.h"
#include "core/common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void die_oom(size_t size)
{
	fprintf(stderr, "praktika: fatal: out of memory (%zu bytes)\n", size);
	abort();
}

void pk__bug(const char *file, int line, const char *msg)
{
	fprintf(stderr, "praktika: BUG: %s:%d: %s\n", file, line, msg);
	abort();
}

bool pk_slice_eq(pk_slice a, const char *s)
{
	size_t n = strlen(s);
	return a.len == n && (n == 0 || memcmp(a.p, s, n) == 0);
}

size_t pk_size_add(size_t a, size_t b)
{
	if (a > SIZE_MAX - b)
		die_oom(SIZE_MAX);
	return a + b;
}

size_t pk_size_mul(size_t a, size_t b)
{
	if (b != 0 && a > SIZE_MAX / b)
		die_oom(SIZE_MAX);
	return a * b;
}

void *pk_xmalloc(size_t size)
{
	void *p = malloc(size ? size : 1);
	if (!p)
		die_oom(size);
	return p;
}

void *pk_xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		die_oom(pk_size_mul(n, size));
	return p;
}

void *pk_xreallocarray(void *ptr, size_t n, size_t size)
{
	size_t total = pk_size_mul(n, size);
	void *p = realloc(ptr, total ? total : 1);
	if (!p)
		die_oom(total);
	return p;
}

char *pk_xstrndup(const char *s, size_t len)
{
	char *p = pk_xmalloc(pk_size_add(len, 1));
	if (len)
		memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

char *pk_xstrdup(const char *s)
{
	return pk_xstrndup(s, strlen(s));
}
