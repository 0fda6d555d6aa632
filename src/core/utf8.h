/*
 * utf8.h: UTF-8 validation with positions, and decoding of one code point.
 */
#ifndef PK_CORE_UTF8_H
#define PK_CORE_UTF8_H

#include "core/common.h"

#include <stddef.h>
#include <stdint.h>

/* Checks that s is well-formed UTF-8 (no overlongs, surrogates or values
 * past U+10FFFF). Returns true when valid; otherwise false and *bad_pos is
 * the line:col (col counted in characters, 1-based) of the first bad byte. */
bool pk_utf8_validate(const char *s, size_t len, pk_pos *bad_pos);
/* Decodes one code point at s (len > 0); returns its byte length and sets
 * *cp, or returns 0 for an invalid sequence. */
size_t pk_utf8_decode(const char *s, size_t len, uint32_t *cp);
/* Appends the UTF-8 encoding of cp to out (4 bytes max); returns length. */
size_t pk_utf8_encode(uint32_t cp, char out[4]);
/* Number of code points in a valid UTF-8 string. */
size_t pk_utf8_length(const char *s, size_t len);

#endif
