#include "core/record.h"
#include "core/hash.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SEAL_LEN 14 /* "end 0123abcd\n" plus the space before the hash */

/* Appends the decimal digits of v, then after (a space or ':'). The
 * writers put millions of numbers in a build's state files, where
 * printf took a twentieth of an incremental build. */
static void put_decimal(pk_buf *out, bool negative, uint64_t v, char after)
{
	char digits[24];
	size_t n = sizeof(digits);

	digits[--n] = after;
	do {
		digits[--n] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	if (negative)
		digits[--n] = '-';
	pk_buf_put(out, digits + n, sizeof(digits) - n);
}

void pk_record_put_str(pk_buf *out, const char *s, size_t len)
{
	put_decimal(out, false, len, ':');
	pk_buf_put(out, s, len);
	pk_buf_putc(out, ' ');
}

void pk_record_put_u64(pk_buf *out, uint64_t v)
{
	put_decimal(out, false, v, ' ');
}

void pk_record_put_i64(pk_buf *out, int64_t v)
{
	/* the magnitude of INT64_MIN too, in unsigned arithmetic */
	put_decimal(out, v < 0, v < 0 ? 0 - (uint64_t)v : (uint64_t)v, ' ');
}

void pk_record_end(pk_buf *out)
{
	if (out->len && out->ptr[out->len - 1] == ' ')
		out->ptr[out->len - 1] = '\n';
	else
		pk_buf_putc(out, '\n');
}

void pk_record_put_section(pk_buf *out, const char *word, size_t n)
{
	pk_record_put_str(out, word, strlen(word));
	pk_record_put_u64(out, n);
	pk_record_end(out);
}

/* (pk_hash64, not the maps' byte-wise hash: a stamp or the page records
 * are a megabyte or two, sealed and checked on every build) */
static void seal_text(char out[SEAL_LEN + 1], const char *text, size_t len)
{
	snprintf(out, SEAL_LEN + 1, "end  %08x\n", (unsigned)(pk_hash64(text, len) & 0xffffffffu));
}

void pk_record_seal(pk_buf *out)
{
	char seal[SEAL_LEN + 1];
	seal_text(seal, out->ptr, out->len);
	pk_buf_put(out, seal, SEAL_LEN);
}

bool pk_record_open(pk_record_reader *r, const char *text, size_t len)
{
	char seal[SEAL_LEN + 1];

	r->p = r->end = text;
	r->ok = false;
	if (len < SEAL_LEN)
		return false;
	seal_text(seal, text, len - SEAL_LEN);
	if (memcmp(text + len - SEAL_LEN, seal, SEAL_LEN) != 0)
		return false;
	r->end = text + len - SEAL_LEN;
	r->ok = true;
	return true;
}

static void fail(pk_record_reader *r)
{
	r->ok = false;
	r->p = r->end;
}

/* Consumes the separator after a field: a space, or the newline that
 * ends the record (left for pk_record_at_end). */
static void separator(pk_record_reader *r)
{
	if (r->p < r->end && *r->p == ' ')
		r->p++;
	else if (r->p >= r->end || *r->p != '\n')
		fail(r);
}

static uint64_t digits(pk_record_reader *r, bool *negative)
{
	uint64_t v = 0;
	const char *start;

	*negative = r->p < r->end && *r->p == '-';
	if (*negative)
		r->p++;
	start = r->p;
	while (r->p < r->end && *r->p >= '0' && *r->p <= '9' && r->p - start < 20) {
		uint64_t d = (uint64_t)(*r->p - '0');
		if (v > (UINT64_MAX - d) / 10) {
			fail(r);
			return 0;
		}
		v = v * 10 + d;
		r->p++;
	}
	if (r->p == start)
		fail(r);
	return r->ok ? v : 0;
}

pk_slice pk_record_str(pk_record_reader *r)
{
	pk_slice s = { "", 0 };
	bool negative;
	uint64_t n;

	if (!r->ok)
		return s;
	n = digits(r, &negative);
	if (!r->ok || negative || r->p >= r->end || *r->p != ':' ||
	    n > (uint64_t)(r->end - r->p - 1)) {
		fail(r);
		return s;
	}
	s.p = r->p + 1;
	s.len = (size_t)n;
	r->p = s.p + s.len;
	separator(r);
	return r->ok ? s : (pk_slice){ "", 0 };
}

uint64_t pk_record_u64(pk_record_reader *r)
{
	bool negative;
	uint64_t v;

	if (!r->ok)
		return 0;
	v = digits(r, &negative);
	if (negative)
		fail(r);
	separator(r);
	return r->ok ? v : 0;
}

int64_t pk_record_i64(pk_record_reader *r)
{
	bool negative;
	uint64_t v;

	if (!r->ok)
		return 0;
	v = digits(r, &negative);
	if (v > (uint64_t)INT64_MAX + negative)
		fail(r);
	separator(r);
	if (!r->ok)
		return 0;
	if (negative)
		return v > (uint64_t)INT64_MAX ? INT64_MIN : -(int64_t)v;
	return (int64_t)v;
}

bool pk_record_expect(pk_record_reader *r, const char *word)
{
	pk_slice s = pk_record_str(r);
	if (r->ok && (s.len != strlen(word) || memcmp(s.p, word, s.len) != 0))
		fail(r);
	return r->ok;
}

bool pk_record_at_end(pk_record_reader *r)
{
	if (!r->ok || r->p >= r->end || *r->p != '\n')
		return false;
	r->p++;
	return true;
}

uint64_t pk_record_section(pk_record_reader *r, const char *word)
{
	uint64_t n;

	pk_record_expect(r, word);
	n = pk_record_u64(r);
	if (!pk_record_at_end(r) || n > (uint64_t)(r->end - r->p))
		fail(r);
	return r->ok ? n : 0;
}

bool pk_record_done(const pk_record_reader *r)
{
	return r->ok && r->p == r->end;
}
