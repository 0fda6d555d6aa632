/*
 * buf.h: the one owning, growable byte buffer (STYLE.md §12).
 *
 * Invariants: ptr is never NULL and ptr[len] == '\0' at all times, so a
 * buffer can be passed as a C string. A buffer set up by PK_BUF_INIT or
 * pk_buf_init owns no memory until something is appended.
 */
#ifndef PK_CORE_BUF_H
#define PK_CORE_BUF_H

#include "core/common.h"

#include <stdarg.h>
#include <stdint.h>
#include <stddef.h>

typedef struct {
	char *ptr;
	size_t len;
	size_t cap; /* 0 while ptr points at the shared empty string */
} pk_buf;

extern char pk_buf__empty[1];

#define PK_BUF_INIT { pk_buf__empty, 0, 0 }

/* Fills *buf as an empty buffer. */
void pk_buf_init(pk_buf *buf);
/* Frees the contents; *buf is empty again and may be reused. */
void pk_buf_release(pk_buf *buf);
/* Makes room for at least extra more bytes (plus the NUL). */
void pk_buf_grow(pk_buf *buf, size_t extra);
/* Appends len bytes. */
void pk_buf_put(pk_buf *buf, const void *data, size_t len);
/* Appends a NUL-terminated string. */
void pk_buf_puts(pk_buf *buf, const char *s);
/* Appends one byte. */
void pk_buf_putc(pk_buf *buf, char c);
/* Appends a slice. */
void pk_buf_put_slice(pk_buf *buf, pk_slice s);
/* Appends v in decimal, zero-padded to at least width characters (the
 * sign counts, as with printf's "%0*"; padded to 24 at most),
 * or as 16 lowercase hex digits: what the hot paths print, without
 * printf's parsing of a format. */
void pk_buf_put_uint(pk_buf *buf, uint64_t v, int width);
void pk_buf_put_int(pk_buf *buf, int64_t v, int width);
void pk_buf_put_hex64(pk_buf *buf, uint64_t v);
/* Appends formatted text. */
void pk_buf_printf(pk_buf *buf, const char *fmt, ...) PK_PRINTF(2, 3);
void pk_buf_vprintf(pk_buf *buf, const char *fmt, va_list ap);
/* Sets the length to 0, keeping the memory for reuse. */
void pk_buf_clear(pk_buf *buf);
/* Gives back the spare room, for a buffer kept long as it is. */
void pk_buf_shrink(pk_buf *buf);
/* Cuts the buffer to len bytes (len <= buf->len). */
void pk_buf_truncate(pk_buf *buf, size_t len);
/* Hands the contents to the caller (free() them) and empties *buf. */
char *pk_buf_detach(pk_buf *buf);
/* Appends s with & < > " ' replaced by HTML entities. */
void pk_buf_put_html_escaped(pk_buf *buf, const char *s, size_t len);
/* Appends s escaped for an XML attribute or text (same set as HTML). */
#define pk_buf_put_xml_escaped pk_buf_put_html_escaped
/* Appends s percent-encoding every byte outside unreserved ASCII and '/'. */
void pk_buf_put_url_encoded(pk_buf *buf, const char *s, size_t len);

#endif
