#include "core/buf.h"
#include "core/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

char pk_buf__empty[1];

void pk_buf_init(pk_buf *buf)
{
	buf->ptr = pk_buf__empty;
	buf->len = 0;
	buf->cap = 0;
}

void pk_buf_release(pk_buf *buf)
{
	if (buf->cap)
		free(buf->ptr);
	pk_buf_init(buf);
}

void pk_buf_shrink(pk_buf *buf)
{
	if (!buf->cap || buf->cap == buf->len + 1)
		return;
	buf->ptr = pk_xreallocarray(buf->ptr, buf->len + 1, 1);
	buf->cap = buf->len + 1;
}

void pk_buf_grow(pk_buf *buf, size_t extra)
{
	size_t need = pk_size_add(pk_size_add(buf->len, extra), 1);
	size_t cap;

	if (need <= buf->cap)
		return;
	cap = buf->cap ? buf->cap : 64;
	while (cap < need)
		cap = pk_size_mul(cap, 2);
	if (buf->cap) {
		buf->ptr = pk_xreallocarray(buf->ptr, cap, 1);
	} else {
		buf->ptr = pk_xmalloc(cap);
		buf->ptr[0] = '\0';
	}
	buf->cap = cap;
}

void pk_buf_put(pk_buf *buf, const void *data, size_t len)
{
	if (!len)
		return;
	pk_buf_grow(buf, len);
	memmove(buf->ptr + buf->len, data, len);
	buf->len += len;
	buf->ptr[buf->len] = '\0';
}

void pk_buf_puts(pk_buf *buf, const char *s)
{
	pk_buf_put(buf, s, strlen(s));
}

void pk_buf_putc(pk_buf *buf, char c)
{
	pk_buf_grow(buf, 1);
	buf->ptr[buf->len++] = c;
	buf->ptr[buf->len] = '\0';
}

void pk_buf_put_uint(pk_buf *buf, uint64_t v, int width)
{
	char digits[24];
	int n = 0;

	do {
		digits[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n < width && n < (int)sizeof(digits))
		digits[n++] = '0';
	pk_buf_grow(buf, (size_t)n);
	while (n)
		buf->ptr[buf->len++] = digits[--n];
	buf->ptr[buf->len] = '\0';
}

void pk_buf_put_int(pk_buf *buf, int64_t v, int width)
{
	if (v < 0) { /* the width counts the sign, as printf's does */
		pk_buf_putc(buf, '-');
		pk_buf_put_uint(buf, 0 - (uint64_t)v, width > 0 ? width - 1 : 0); /* INT64_MIN too */
	} else {
		pk_buf_put_uint(buf, (uint64_t)v, width);
	}
}

void pk_buf_put_hex64(pk_buf *buf, uint64_t v)
{
	static const char hex[] = "0123456789abcdef";
	int i;

	pk_buf_grow(buf, 16);
	for (i = 15; i >= 0; i--, v >>= 4)
		buf->ptr[buf->len + (size_t)i] = hex[v & 15];
	buf->len += 16;
	buf->ptr[buf->len] = '\0';
}

void pk_buf_put_slice(pk_buf *buf, pk_slice s)
{
	pk_buf_put(buf, s.p, s.len);
}

void pk_buf_vprintf(pk_buf *buf, const char *fmt, va_list ap)
{
	va_list copy;
	int n;

	va_copy(copy, ap);
	n = vsnprintf(buf->ptr + buf->len, buf->cap ? buf->cap - buf->len : 0, fmt, copy);
	va_end(copy);
	if (n < 0)
		PK_BUG("vsnprintf failed");
	if (buf->len + (size_t)n + 1 > buf->cap) {
		pk_buf_grow(buf, (size_t)n);
		n = vsnprintf(buf->ptr + buf->len, buf->cap - buf->len, fmt, ap);
	}
	buf->len += (size_t)n;
}

void pk_buf_printf(pk_buf *buf, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	pk_buf_vprintf(buf, fmt, ap);
	va_end(ap);
}

void pk_buf_clear(pk_buf *buf)
{
	pk_buf_truncate(buf, 0);
}

void pk_buf_truncate(pk_buf *buf, size_t len)
{
	PK_ASSERT(len <= buf->len);
	buf->len = len;
	if (buf->cap)
		buf->ptr[len] = '\0';
}

char *pk_buf_detach(pk_buf *buf)
{
	char *p = buf->cap ? buf->ptr : pk_xstrdup("");
	pk_buf_init(buf);
	return p;
}

/* Escapes in runs: copy the clean stretch, then one entity. */
/* Which entity of html_entities a byte becomes (0: itself). */
static const unsigned char html_special[256] = {
	['&'] = 1, ['<'] = 2, ['>'] = 3, ['"'] = 4, ['\''] = 5,
};
static const struct { const char *text; size_t len; } html_entities[] = {
	{ "", 0 }, { "&amp;", 5 }, { "&lt;", 4 }, { "&gt;", 4 }, { "&quot;", 6 }, { "&#39;", 5 },
};

/* The length of the run at s that needs no escaping. */
static size_t plain_run(const unsigned char *s, size_t len)
{
	size_t i = 0;
#ifdef __SSE2__
	/* sixteen bytes a step: compare with each special byte at once */
	const __m128i amp = _mm_set1_epi8('&'), lt = _mm_set1_epi8('<'), gt = _mm_set1_epi8('>'),
		      quot = _mm_set1_epi8('"'), apos = _mm_set1_epi8('\'');
	for (; i + 16 <= len; i += 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
		__m128i hit = _mm_or_si128(
			_mm_or_si128(_mm_cmpeq_epi8(v, amp), _mm_cmpeq_epi8(v, lt)),
			_mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, gt), _mm_cmpeq_epi8(v, quot)),
				     _mm_cmpeq_epi8(v, apos)));
		int mask = _mm_movemask_epi8(hit);
		if (mask)
			return i + (size_t)__builtin_ctz((unsigned)mask);
	}
#endif
	while (i < len && !html_special[s[i]])
		i++;
	return i;
}

void pk_buf_put_html_escaped(pk_buf *buf, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	pk_buf_grow(buf, len);
	for (;;) {
		size_t run = plain_run(p + i, len - i);
		pk_buf_put(buf, s + i, run);
		i += run;
		if (i == len)
			return;
		pk_buf_put(buf, html_entities[html_special[p[i]]].text,
			   html_entities[html_special[p[i]]].len);
		i++;
	}
}

static bool is_url_safe(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' ||
	       c == '~' || c == '/';
}

void pk_buf_put_url_encoded(pk_buf *buf, const char *s, size_t len)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t i;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (is_url_safe(c)) {
			pk_buf_putc(buf, (char)c);
		} else {
			char enc[3] = { '%', hex[c >> 4], hex[c & 15] };
			pk_buf_put(buf, enc, 3);
		}
	}
}
