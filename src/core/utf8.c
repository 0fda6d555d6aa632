#include "core/utf8.h"

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

/* The offset of the first byte that does not start a valid sequence, or
 * len. Runs of ASCII are skipped eight bytes at a time: most text is
 * markup, spaces and digits even in Russian; two-byte sequences (Cyrillic)
 * are checked in line. */
static size_t first_invalid(const char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		uint32_t cp;
		size_t n;
		if (i + 8 <= len) {
			uint64_t chunk;
			memcpy(&chunk, s + i, 8);
			if (!(chunk & 0x8080808080808080ull)) {
				i += 8;
				continue;
			}
		}
		if ((unsigned char)s[i] < 0x80) {
			i++;
			continue;
		}
		/* C2..DF then a continuation byte: always valid (C0, C1 would
		 * be overlong and go the slow way) */
		if ((unsigned char)s[i] >= 0xC2 && (unsigned char)s[i] <= 0xDF && i + 1 < len &&
		    ((unsigned char)s[i + 1] & 0xC0) == 0x80) {
			i += 2;
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
