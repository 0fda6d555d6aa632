/*
 * distance.c: edit distance over code points and «did you mean».
 */
#include "text/text.h"

#include "core/utf8.h"

#include <string.h>

/* A string as code points, or !ok when it is empty, too long or has no
 * usable form. */
typedef struct {
	uint32_t cp[PK_TEXT_DISTANCE_MAX];
	size_t n;
	bool ok;
} cps;

/* Decodes s into *c; false when it is longer than PK_TEXT_DISTANCE_MAX. */
static bool decode(cps *c, const char *s, size_t len)
{
	size_t i = 0;

	c->n = 0;
	while (i < len) {
		uint32_t cp = 0xFFFD;
		size_t k = pk_utf8_decode(s + i, len - i, &cp);
		if (c->n == PK_TEXT_DISTANCE_MAX)
			return false;
		c->cp[c->n++] = cp;
		i += k ? k : 1;
	}
	return true;
}

static size_t min3(size_t a, size_t b, size_t c)
{
	size_t m = a < b ? a : b;
	return m < c ? m : c;
}

/* Levenshtein distance of a and b, or any value above cap as soon as the
 * distance is known to exceed cap (every cell of a row does). Two rows of
 * the classic table; O(a->n * b->n) at worst. */
static size_t levenshtein(const cps *a, const cps *b, size_t cap)
{
	size_t rows[2][PK_TEXT_DISTANCE_MAX + 1];
	size_t *prev = rows[0], *cur = rows[1], i, j;

	for (j = 0; j <= b->n; j++)
		prev[j] = j;
	for (i = 1; i <= a->n; i++) {
		size_t row_min;
		size_t *t;
		cur[0] = row_min = i;
		for (j = 1; j <= b->n; j++) {
			size_t subst = prev[j - 1] + (a->cp[i - 1] != b->cp[j - 1]);
			cur[j] = min3(prev[j] + 1, cur[j - 1] + 1, subst);
			if (cur[j] < row_min)
				row_min = cur[j];
		}
		if (row_min > cap)
			return row_min;
		t = prev;
		prev = cur;
		cur = t;
	}
	return prev[b->n];
}

size_t pk_text_distance(const char *a, size_t alen, const char *b, size_t blen)
{
	cps x, y;

	if (alen == blen && (alen == 0 || memcmp(a, b, alen) == 0))
		return 0;
	if (!decode(&x, a, alen) || !decode(&y, b, blen))
		return SIZE_MAX;
	return levenshtein(&x, &y, SIZE_MAX);
}

/* The two forms a string is compared in. */
enum { FORM_FOLD, FORM_SLUG, FORM_COUNT };

static void make_form(cps *c, int form, const char *s, size_t len)
{
	pk_buf b = PK_BUF_INIT;
	int rc = form == FORM_FOLD ? pk_text_fold(&b, s, len) : pk_text_slugify(&b, s, len);

	c->ok = rc == PK_OK && b.len > 0 && decode(c, b.ptr, b.len);
	pk_buf_release(&b);
}

/* The distance of input to cand when it counts as close, else SIZE_MAX. */
static size_t close_distance(const cps *input, const cps *cand)
{
	size_t limit = input->n / 3 > 2 ? input->n / 3 : 2;
	size_t longer = input->n > cand->n ? input->n : cand->n;
	size_t d;

	/* A distance equal to the longer length means nothing in common. */
	if (limit >= longer)
		limit = longer - 1;
	d = levenshtein(input, cand, limit);
	return d <= limit ? d : SIZE_MAX;
}

const char *pk_text_suggest(const char *input, size_t len, const char *const *candidates,
			    size_t n)
{
	cps in[FORM_COUNT], cand;
	const char *best = NULL;
	size_t best_d = SIZE_MAX, i;
	int f;

	for (f = 0; f < FORM_COUNT; f++)
		make_form(&in[f], f, input, len);
	for (i = 0; i < n; i++) {
		if (!candidates[i])
			continue;
		for (f = 0; f < FORM_COUNT; f++) {
			size_t d;
			if (!in[f].ok)
				continue;
			make_form(&cand, f, candidates[i], strlen(candidates[i]));
			if (!cand.ok)
				continue;
			d = close_distance(&in[f], &cand);
			if (d < best_d) {
				best_d = d;
				best = candidates[i];
			}
		}
	}
	return best;
}
