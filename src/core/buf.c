#include "core/buf.h"
#include "core/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
void pk_buf_put_html_escaped(pk_buf *buf, const char *s, size_t len)
{
	size_t start = 0, i;

	pk_buf_grow(buf, len);
	for (i = 0; i < len; i++) {
		const char *ent;
		switch (s[i]) {
		case '&': ent = "&amp;"; break;
		case '<': ent = "&lt;"; break;
		case '>': ent = "&gt;"; break;
		case '"': ent = "&quot;"; break;
		case '\'': ent = "&#39;"; break;
		default: continue;
		}
		pk_buf_put(buf, s + start, i - start);
		pk_buf_puts(buf, ent);
		start = i + 1;
	}
	pk_buf_put(buf, s + start, len - start);
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
