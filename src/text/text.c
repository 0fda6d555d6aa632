/*
 * text.c: the UTF-16 helpers the module is built on, normalization,
 * lookup keys and word counts.
 */
#include "text/text.h"
#include "text/text_internal.h"

#include "core/utf8.h"
#include "core/xalloc.h"

#include <unicode/uchar.h>
#include <unicode/uclean.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>

#include <stdlib.h>
#include <string.h>

/* ---- UTF-16 strings --------------------------------------------------- */

void pk_text__ustr_release(pk_text__ustr *u)
{
	free(u->p);
	u->p = NULL;
	u->len = u->cap = 0;
}

static void ustr_reserve(pk_text__ustr *u, int32_t cap)
{
	if (cap <= u->cap)
		return;
	u->p = pk_xreallocarray(u->p, (size_t)cap, sizeof(UChar));
	u->cap = cap;
}

static void ustr_swap(pk_text__ustr *a, pk_text__ustr *b)
{
	pk_text__ustr t = *a;
	*a = *b;
	*b = t;
}

int pk_text__ustr_from_utf8(pk_text__ustr *u, const char *s, size_t len)
{
	UErrorCode err = U_ZERO_ERROR;
	int32_t n = 0;

	if (len > PK_TEXT_MAX_LEN)
		return PK_ELIMIT;
	u->len = 0;
	if (len == 0)
		return PK_OK;
	/* UTF-16 never needs more units than UTF-8 has bytes, even with
	 * substitutions, so one call is enough. */
	ustr_reserve(u, (int32_t)len + 1);
	u_strFromUTF8WithSub(u->p, u->cap, &n, s, (int32_t)len, 0xFFFD, NULL, &err);
	if (U_FAILURE(err))
		return PK_ERROR;
	u->len = n;
	return PK_OK;
}

/* ICU's transforming functions share one shape: write into dst, or report
 * the needed size with U_BUFFER_OVERFLOW_ERROR. */
typedef int32_t (*transform_fn)(const pk_text__ustr *src, pk_text__ustr *dst, UErrorCode *err);

static int transform(pk_text__ustr *u, transform_fn fn)
{
	pk_text__ustr tmp = PK_TEXT__USTR_INIT;
	UErrorCode err = U_ZERO_ERROR;
	int32_t n;
	int rc = PK_OK;

	ustr_reserve(&tmp, u->len + 1);
	n = fn(u, &tmp, &err);
	if (err == U_BUFFER_OVERFLOW_ERROR) {
		err = U_ZERO_ERROR;
		ustr_reserve(&tmp, n + 1);
		n = fn(u, &tmp, &err);
	}
	if (U_FAILURE(err)) {
		rc = PK_ERROR;
		goto done;
	}
	tmp.len = n;
	ustr_swap(u, &tmp);
done:
	pk_text__ustr_release(&tmp);
	return rc;
}

static int32_t nfc_fn(const pk_text__ustr *src, pk_text__ustr *dst, UErrorCode *err)
{
	const UNormalizer2 *nfc = unorm2_getNFCInstance(err);
	if (U_FAILURE(*err))
		return 0;
	return unorm2_normalize(nfc, src->p, src->len, dst->p, dst->cap, err);
}

int pk_text__ustr_nfc(pk_text__ustr *u)
{
	UErrorCode err = U_ZERO_ERROR;
	const UNormalizer2 *nfc = unorm2_getNFCInstance(&err);

	if (U_FAILURE(err))
		return PK_ERROR;
	if (u->len == 0 || unorm2_quickCheck(nfc, u->p, u->len, &err) == UNORM_YES)
		return U_FAILURE(err) ? PK_ERROR : PK_OK;
	return transform(u, nfc_fn);
}

static int32_t lower_fn(const pk_text__ustr *src, pk_text__ustr *dst, UErrorCode *err)
{
	return u_strToLower(dst->p, dst->cap, src->p, src->len, "ru", err);
}

int pk_text__ustr_lower(pk_text__ustr *u)
{
	if (u->len == 0)
		return PK_OK;
	return transform(u, lower_fn);
}

int pk_text__ustr_prepare(pk_text__ustr *u, const char *s, size_t len)
{
	int rc = pk_text__ustr_from_utf8(u, s, len);
	if (rc == PK_OK)
		rc = pk_text__ustr_nfc(u);
	if (rc == PK_OK)
		rc = pk_text__ustr_lower(u);
	return rc;
}

void pk_text__put_cp(pk_buf *out, UChar32 c)
{
	char tmp[4];
	size_t n = pk_utf8_encode((uint32_t)c, tmp);
	pk_buf_put(out, tmp, n);
}

void pk_text__put_utf16(pk_buf *out, const UChar *p, int32_t n)
{
	int32_t i = 0;

	while (i < n) {
		UChar32 c;
		U16_NEXT(p, i, n, c);
		if (U_IS_SURROGATE(c))
			c = 0xFFFD;
		pk_text__put_cp(out, c);
	}
}

/* ---- normalization and keys ------------------------------------------ */

int pk_text_nfc(pk_buf *out, const char *s, size_t len)
{
	pk_text__ustr u = PK_TEXT__USTR_INIT;
	int rc = pk_text__ustr_from_utf8(&u, s, len);

	if (rc == PK_OK)
		rc = pk_text__ustr_nfc(&u);
	if (rc == PK_OK)
		pk_text__put_utf16(out, u.p, u.len);
	pk_text__ustr_release(&u);
	return rc;
}

static bool is_dash(UChar32 c)
{
	return c == 0x2212 || u_charType(c) == U_DASH_PUNCTUATION;
}

/* Walks the prepared string, turning separator runs into '-' or ' '. */
static void put_folded(pk_buf *out, const pk_text__ustr *u)
{
	bool dash = false, space = false, started = false;
	int32_t i = 0;

	while (i < u->len) {
		UChar32 c;
		U16_NEXT(u->p, i, u->len, c);
		if (is_dash(c)) {
			dash = true;
			continue;
		}
		if (u_isUWhiteSpace(c)) {
			space = true;
			continue;
		}
		if (dash)
			pk_buf_putc(out, '-');
		else if (space && started)
			pk_buf_putc(out, ' ');
		dash = space = false;
		started = true;
		pk_text__put_cp(out, c == 0x0451 ? 0x0435 : (U_IS_SURROGATE(c) ? 0xFFFD : c));
	}
	if (dash)
		pk_buf_putc(out, '-');
}

int pk_text_fold(pk_buf *out, const char *s, size_t len)
{
	pk_text__ustr u = PK_TEXT__USTR_INIT;
	int rc = pk_text__ustr_prepare(&u, s, len);

	if (rc == PK_OK)
		put_folded(out, &u);
	pk_text__ustr_release(&u);
	return rc;
}

size_t pk_text_word_count(const char *s, size_t len)
{
	size_t i = 0, words = 0;
	bool counted = false; /* the current word has been counted */

	while (i < len) {
		uint32_t cp = 0xFFFD;
		size_t n = pk_utf8_decode(s + i, len - i, &cp);
		i += n ? n : 1;
		if (u_isUWhiteSpace((UChar32)cp)) {
			counted = false;
			continue;
		}
		if (!counted && u_isalnum((UChar32)cp)) {
			words++;
			counted = true;
		}
	}
	return words;
}

void pk_text_cleanup(void)
{
	u_cleanup();
}
