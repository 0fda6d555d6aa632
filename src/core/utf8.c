#include "core/utf8.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

size_t pk_utf8_decode(const char *str, size_t len, uint32_t *cp)
{
	const unsigned char *s = (const unsigned char *)str;
	uint32_t c, min;
	size_t n, i;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	} else if ((s[0] & 0xE0) == 0xC0) {
		n = 2, c = s[0] & 0x1F, min = 0x80;
	} else if ((s[0] & 0xF0) == 0xE0) {
		n = 3, c = s[0] & 0x0F, min = 0x800;
	} else if ((s[0] & 0xF8) == 0xF0) {
		n = 4, c = s[0] & 0x07, min = 0x10000;
	} else {
		return 0;
	}
	if (n > len)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3F);
	}
	if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	*cp = c;
	return n;
}

#define HIGH_BITS 0x8080808080808080ull

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define WORD_CHECKS 1 /* two_byte_chunk reads s[i] as the word's low byte */

/* How many of the eight bytes w (at s[i]) are ASCII or whole two-byte
 * sequences (C2..DF and a continuation byte), checked all at once: 8, or
 * 7 when the last byte leads a sequence the next chunk finishes; 0 when
 * the chunk holds anything else (a longer sequence, or an error), which
 * the caller checks a sequence at a time. Cyrillic text is all of these,
 * so it is checked eight bytes a step, not two. */
static size_t two_byte_chunk(uint64_t w)
{
	uint64_t top = w & HIGH_BITS;              /* bit 7 of each byte */
	uint64_t bit6 = (w << 1) & HIGH_BITS;      /* bit 6, moved to bit 7 */
	uint64_t bit5 = (w << 2) & HIGH_BITS;      /* bit 5, moved to bit 7 */
	uint64_t lead = top & bit6, cont = top & ~bit6;
	/* bits 4..1 of each byte: all zero in C0 and C1 (overlong leads);
	 * adding 0x7F carries into bit 7 exactly when they are not */
	uint64_t not_overlong = ((w & 0x1E1E1E1E1E1E1E1Eull) + 0x7F7F7F7F7F7F7F7Full) & HIGH_BITS;
	bool ends_in_lead = (lead >> 63) != 0;
	uint64_t inner = ends_in_lead ? lead & ~(1ull << 63) : lead;

	if ((lead & bit5) || (lead & ~not_overlong) || cont != inner << 8)
		return 0;
	return ends_in_lead ? 7 : 8;
}
#endif

/* The offset of the first byte that does not start a valid sequence, or
 * len. Runs of ASCII and two-byte sequences go eight bytes at a time
 * (two_byte_chunk); the rest is decoded a sequence at a time. */
static size_t first_invalid(const char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		uint32_t cp;
		size_t n;
		if (i + 8 <= len) {
			uint64_t chunk;
			memcpy(&chunk, s + i, 8);
			if (!(chunk & HIGH_BITS)) {
				i += 8;
				continue;
			}
#ifdef WORD_CHECKS
			if ((n = two_byte_chunk(chunk))) {
				i += n;
				continue;
			}
#endif
		}
		if ((unsigned char)s[i] < 0x80) {
			i++;
			continue;
		}
		if (!(n = pk_utf8_decode(s + i, len - i, &cp)))
			return i;
		i += n;
	}
	return len;
}

bool pk_utf8_validate(const char *s, size_t len, pk_pos *bad_pos)
{
	size_t i = 0;
	int line = 1, col = 1;

	if (first_invalid(s, len) == len)
		return true;
	/* Slow path, only for invalid text: find the line and column. */
	while (i < len) {
		uint32_t cp;
		size_t n = pk_utf8_decode(s + i, len - i, &cp);
		if (!n) {
			if (bad_pos) {
				bad_pos->line = line;
				bad_pos->col = col;
			}
			return false;
		}
		if (cp == '\n') {
			line++;
			col = 1;
		} else {
			col++;
		}
		i += n;
	}
	return true;
}

size_t pk_utf8_encode(uint32_t cp, char out[4])
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	} else if (cp < 0x800) {
		out[0] = (char)(0xC0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	} else if (cp < 0x10000) {
		out[0] = (char)(0xE0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	out[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

size_t pk_utf8_length(const char *s, size_t len)
{
	size_t i, n = 0;
	for (i = 0; i < len; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			n++;
	return n;
}
