/*
 * text_internal.h: helpers shared by the files of the text module; not
 * part of its interface. A pk_text__ustr is a growable UTF-16 string, the
 * form ICU works on.
 */
#ifndef PK_TEXT_INTERNAL_H
#define PK_TEXT_INTERNAL_H

#include "core/buf.h"

#include <unicode/utypes.h>

#include <stddef.h>
#include <stdint.h>

typedef struct {
	UChar *p;
	int32_t len, cap;
} pk_text__ustr;

#define PK_TEXT__USTR_INIT { NULL, 0, 0 }

void pk_text__ustr_release(pk_text__ustr *u);
/* Sets *u to s decoded from UTF-8, ill-formed sequences as U+FFFD.
 * Returns 0, or PK_ELIMIT when len > PK_TEXT_MAX_LEN. */
int pk_text__ustr_from_utf8(pk_text__ustr *u, const char *s, size_t len);
/* Replaces *u by its NFC form. Returns 0 or PK_ERROR. */
int pk_text__ustr_nfc(pk_text__ustr *u);
/* Replaces *u by its lowercase form under Russian rules. Returns 0 or
 * PK_ERROR. */
int pk_text__ustr_lower(pk_text__ustr *u);
/* NFC and lowercase in one step: the common start of slugs and keys. */
int pk_text__ustr_prepare(pk_text__ustr *u, const char *s, size_t len);
/* Appends the UTF-8 encoding of n UTF-16 units. */
void pk_text__put_utf16(pk_buf *out, const UChar *p, int32_t n);
/* Appends one code point as UTF-8. */
void pk_text__put_cp(pk_buf *out, UChar32 c);

#endif
