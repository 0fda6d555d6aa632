#include "yaml/scalar.h"
#include "core/buf.h"

#include <locale.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static bool is_digit(char c) { return c >= '0' && c <= '9'; }

static bool is_one_of(const char *s, size_t len, const char *const *words, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++)
		if (strlen(words[i]) == len && memcmp(words[i], s, len) == 0)
			return true;
	return false;
}

bool pk_yaml__is_null(const char *s, size_t len)
{
	static const char *const words[] = { "", "~", "null", "Null", "NULL" };
	return is_one_of(s, len, words, PK_ARRAY_SIZE(words));
}

bool pk_yaml__parse_bool(const char *s, size_t len, bool *out)
{
	static const char *const yes[] = { "true", "True", "TRUE" };
	static const char *const no[] = { "false", "False", "FALSE" };
	if (is_one_of(s, len, yes, PK_ARRAY_SIZE(yes))) {
		*out = true;
		return true;
	}
	if (is_one_of(s, len, no, PK_ARRAY_SIZE(no))) {
		*out = false;
		return true;
	}
	return false;
}

static int digit_value(char c, unsigned base)
{
	int d = -1;
	if (c >= '0' && c <= '9')
		d = c - '0';
	else if (c >= 'a' && c <= 'f')
		d = c - 'a' + 10;
	else if (c >= 'A' && c <= 'F')
		d = c - 'A' + 10;
	return d >= 0 && (unsigned)d < base ? d : -1;
}

/* Accumulates digits of base into *out, up to limit. PK_ENOTFOUND for an
 * empty run or a stray character, PK_ERROR past the limit. */
static int parse_digits(const char *s, size_t len, unsigned base, uint64_t limit,
			uint64_t *out)
{
	uint64_t v = 0;
	bool overflow = false;
	size_t i;

	if (!len)
		return PK_ENOTFOUND;
	for (i = 0; i < len; i++) {
		int d = digit_value(s[i], base);
		if (d < 0)
			return PK_ENOTFOUND;
		if (v > (limit - (uint64_t)d) / base)
			overflow = true; /* keep scanning: "99...9x" is a string */
		else
			v = v * base + (uint64_t)d;
	}
	if (overflow)
		return PK_ERROR;
	*out = v;
	return PK_OK;
}

int pk_yaml__parse_int(const char *s, size_t len, int64_t *out)
{
	uint64_t v;
	bool neg = false;
	int rc;

	if (len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'o')) {
		rc = parse_digits(s + 2, len - 2, s[1] == 'x' ? 16 : 8, INT64_MAX, &v);
		if (rc == PK_OK)
			*out = (int64_t)v;
		return rc;
	}
	if (len && (s[0] == '-' || s[0] == '+')) {
		neg = s[0] == '-';
		s++;
		len--;
	}
	rc = parse_digits(s, len, 10, neg ? (uint64_t)INT64_MAX + 1 : INT64_MAX, &v);
	if (rc != PK_OK)
		return rc;
	if (!neg)
		*out = (int64_t)v;
	else if (v > INT64_MAX) /* exactly 2^63: its negation is INT64_MIN */
		*out = INT64_MIN;
	else
		*out = -(int64_t)v;
	return PK_OK;
}

static size_t skip_digits(const char *s, size_t len, size_t i)
{
	while (i < len && is_digit(s[i]))
		i++;
	return i;
}

/* [-+]? ( \.[0-9]+ | [0-9]+ (\.[0-9]*)? ) ([eE][-+]?[0-9]+)? */
static bool is_decimal_float(const char *s, size_t len)
{
	size_t i = 0, start;

	if (i < len && (s[i] == '-' || s[i] == '+'))
		i++;
	start = i;
	i = skip_digits(s, len, i);
	if (i == start) {
		if (i >= len || s[i] != '.' || i + 1 >= len || !is_digit(s[i + 1]))
			return false;
	}
	if (i < len && s[i] == '.')
		i = skip_digits(s, len, i + 1);
	if (i < len && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < len && (s[i] == '-' || s[i] == '+'))
			i++;
		start = i;
		i = skip_digits(s, len, i);
		if (i == start)
			return false;
	}
	return i == len;
}

/* strtod honours LC_NUMERIC; YAML always writes a full stop. */
static double to_double(const char *s, size_t len)
{
	const char *point = localeconv()->decimal_point;
	pk_buf tmp = PK_BUF_INIT;
	double d;
	size_t i;

	for (i = 0; i < len; i++) {
		if (s[i] == '.')
			pk_buf_puts(&tmp, point);
		else
			pk_buf_putc(&tmp, s[i]);
	}
	d = strtod(tmp.ptr, NULL);
	pk_buf_release(&tmp);
	return d;
}

static bool parse_special_float(const char *s, size_t len, double *out)
{
	static const char *const infs[] = { ".inf", ".Inf", ".INF" };
	static const char *const nans[] = { ".nan", ".NaN", ".NAN" };
	bool neg = len && s[0] == '-';

	if (is_one_of(s, len, nans, PK_ARRAY_SIZE(nans))) {
		*out = NAN;
		return true;
	}
	if (len && (s[0] == '-' || s[0] == '+')) {
		s++;
		len--;
	}
	if (is_one_of(s, len, infs, PK_ARRAY_SIZE(infs))) {
		*out = neg ? -INFINITY : INFINITY;
		return true;
	}
	return false;
}

bool pk_yaml__parse_float(const char *s, size_t len, double *out)
{
	if (parse_special_float(s, len, out))
		return true;
	if (!is_decimal_float(s, len))
		return false;
	*out = to_double(s, len);
	return true;
}

/* Cheap test that rules out most text before the recognisers run. */
static bool may_be_typed(const char *s, size_t len)
{
	if (!len)
		return true;
	switch (s[0]) {
	case '~': case '.': case '-': case '+':
	case 'n': case 'N': case 't': case 'T': case 'f': case 'F':
		return true;
	default:
		return is_digit(s[0]);
	}
}

int pk_yaml__resolve_plain(pk_value **out, const char *s, size_t len, pk_pos pos)
{
	int64_t i;
	double f;
	bool b;
	pk_date date;
	int rc;

	*out = NULL;
	if (!may_be_typed(s, len))
		goto string;
	if (pk_yaml__is_null(s, len)) {
		*out = pk_value_new_null(pos);
		return PK_OK;
	}
	if (pk_yaml__parse_bool(s, len, &b)) {
		*out = pk_value_new_bool(b, pos);
		return PK_OK;
	}
	rc = pk_yaml__parse_int(s, len, &i);
	if (rc == PK_OK)
		*out = pk_value_new_int(i, pos);
	else if (rc == PK_ERROR)
		*out = pk_value_new_string(s, len, pos);
	if (*out)
		return rc;
	if (pk_yaml__parse_float(s, len, &f)) {
		*out = pk_value_new_float(f, pos);
		return PK_OK;
	}
	if (pk_date_parse(s, len, &date)) {
		*out = pk_value_new_date(date, pos);
		return PK_OK;
	}
string:
	*out = pk_value_new_string(s, len, pos);
	return PK_OK;
}
