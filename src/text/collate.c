/*
 * collate.c: locale-aware ordering through an ICU UCollator.
 */
#include "text/text.h"
#include "text/text_internal.h"

#include "core/xalloc.h"

#include <unicode/ucol.h>

#include <stdlib.h>
#include <string.h>

struct pk_text_collator {
	UCollator *col;
};

int pk_text_collator_new(pk_text_collator **out, const char *locale)
{
	UErrorCode err = U_ZERO_ERROR;
	UCollator *col = ucol_open(locale ? locale : "", &err);

	*out = NULL;
	if (U_FAILURE(err) || !col) {
		ucol_close(col);
		return PK_ERROR;
	}
	*out = pk_xmalloc(sizeof(**out));
	(*out)->col = col;
	return PK_OK;
}

void pk_text_collator_free(pk_text_collator *c)
{
	if (!c)
		return;
	ucol_close(c->col);
	free(c);
}

/* Room after out->len, counting the NUL's byte (ICU writes its own 0). */
static size_t free_space(const pk_buf *out)
{
	size_t n = out->cap - out->len;
	return n > INT32_MAX ? INT32_MAX : n;
}

static int32_t get_key(const pk_text_collator *c, const pk_text__ustr *u, pk_buf *out)
{
	return ucol_getSortKey(c->col, u->p, u->len, (uint8_t *)out->ptr + out->len,
			       (int32_t)free_space(out));
}

int pk_text_sort_key(pk_buf *out, const pk_text_collator *c, const char *s, size_t len)
{
	pk_text__ustr u = PK_TEXT__USTR_INIT;
	int32_t n;
	int rc = pk_text__ustr_from_utf8(&u, s, len);

	if (rc != PK_OK)
		goto done;
	/* The key's size is unknown: try with what is free, then exactly. */
	pk_buf_grow(out, 64);
	n = get_key(c, &u, out);
	if (n > 0 && (size_t)n > free_space(out)) {
		pk_buf_grow(out, (size_t)n);
		n = get_key(c, &u, out);
	}
	if (n <= 0 || (size_t)n > free_space(out)) {
		rc = PK_ERROR;
		goto done;
	}
	/* n counts ICU's terminating zero byte, which becomes our NUL. */
	out->len += (size_t)n - 1;
	out->ptr[out->len] = '\0';
done:
	pk_text__ustr_release(&u);
	return rc;
}

static int compare_bytes(const char *a, size_t alen, const char *b, size_t blen)
{
	int c = memcmp(a, b, alen < blen ? alen : blen);
	if (c)
		return c;
	return alen < blen ? -1 : alen > blen;
}

int pk_text_compare(const pk_text_collator *c, const char *a, size_t alen, const char *b,
		    size_t blen)
{
	UErrorCode err = U_ZERO_ERROR;
	UCollationResult r;

	if (alen > PK_TEXT_MAX_LEN || blen > PK_TEXT_MAX_LEN)
		return compare_bytes(a, alen, b, blen);
	r = ucol_strcollUTF8(c->col, a, (int32_t)alen, b, (int32_t)blen, &err);
	if (U_FAILURE(err))
		return compare_bytes(a, alen, b, blen);
	return r == UCOL_LESS ? -1 : r == UCOL_GREATER ? 1 : 0;
}
