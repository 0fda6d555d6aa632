/* review/diff.c: which front-matter values differ, as short text. */
#include "core/xalloc.h"
#include "review/review.h"

#include <stdlib.h>
#include <string.h>

/* ---- compact text ----------------------------------------------------- */

static bool is_scalar(const pk_value *v)
{
	return v->type != PK_VALUE_LIST && v->type != PK_VALUE_MAP && v->type != PK_VALUE_OBJECT;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* A string on one line: a run of blanks holding a line break becomes one
 * space, or nothing at either end (block scalars end with "\n"). */
static void put_string(pk_buf *out, const char *s, size_t len)
{
	size_t i = 0, start = out->len;

	while (i < len) {
		size_t j = i;
		bool newline = false;
		while (j < len && is_space(s[j])) {
			newline |= s[j] == '\n' || s[j] == '\r';
			j++;
		}
		if (j == i) {
			pk_buf_putc(out, s[i++]);
			continue;
		}
		if (!newline)
			pk_buf_put(out, s + i, j - i);
		else if (out->len > start && j < len)
			pk_buf_putc(out, ' ');
		i = j;
	}
}

static void put_scalar(pk_buf *out, const pk_value *v)
{
	if (v->type == PK_VALUE_STRING)
		put_string(out, v->as.str.ptr, v->as.str.len);
	else
		pk_value_to_text(out, v);
}

static bool all_scalars(const pk_value *list)
{
	size_t i;
	for (i = 0; i < list->as.list.len; i++)
		if (!is_scalar(list->as.list.items[i]))
			return false;
	return true;
}

static void put_list(pk_buf *out, const pk_value *list)
{
	size_t i;

	if (!all_scalars(list)) {
		pk_review__count(out, list->as.list.len, "пункт", "пункта", "пунктов");
		return;
	}
	for (i = 0; i < list->as.list.len; i++) {
		if (i)
			pk_buf_puts(out, ", ");
		put_scalar(out, list->as.list.items[i]);
	}
}

/* {key: value; key: value}: one level only, deeper maps as {…}. */
static void put_map(pk_buf *out, const pk_value *map)
{
	size_t i;

	pk_buf_putc(out, '{');
	for (i = 0; i < map->as.map.len; i++) {
		const pk_map_entry *e = &map->as.map.entries[i];
		if (i)
			pk_buf_puts(out, "; ");
		pk_buf_put(out, e->key, e->key_len);
		pk_buf_puts(out, ": ");
		if (e->value->type == PK_VALUE_LIST)
			put_list(out, e->value);
		else if (e->value->type == PK_VALUE_MAP)
			pk_buf_puts(out, "{…}");
		else
			put_scalar(out, e->value);
	}
	pk_buf_putc(out, '}');
}

/* Cuts what was appended after start to max characters, "…" included. */
static void cut(pk_buf *out, size_t start, size_t max)
{
	size_t i, chars = 0, keep = out->len;

	if (!max)
		return;
	for (i = start; i < out->len; i++) {
		if (((unsigned char)out->ptr[i] & 0xC0) == 0x80)
			continue;
		if (chars == max - 1)
			keep = i;
		chars++;
	}
	if (chars <= max)
		return;
	while (keep > start && out->ptr[keep - 1] == ' ')
		keep--;
	pk_buf_truncate(out, keep);
	pk_buf_puts(out, "…");
}

void pk_review_compact(pk_buf *out, const pk_value *v, size_t max)
{
	size_t start = out->len;

	if (v->type == PK_VALUE_LIST)
		put_list(out, v);
	else if (v->type == PK_VALUE_MAP)
		put_map(out, v);
	else if (v->type != PK_VALUE_OBJECT)
		put_scalar(out, v);
	cut(out, start, max);
}

/* ---- field differences ------------------------------------------------ */

typedef struct {
	pk_vec *out;
	pk_buf name;     /* where we are: "stages[2]" */
	size_t top_len;  /* length of the top-level key in name */
	size_t max;
	bool flat;       /* one entry per top-level field */
} diff_ctx;

static char *compact_dup(const pk_value *v, size_t max)
{
	pk_buf b = PK_BUF_INIT;
	if (!v)
		return NULL;
	pk_review_compact(&b, v, max);
	return pk_buf_detach(&b);
}

static void add_field(diff_ctx *c, const pk_value *old, const pk_value *new)
{
	pk_review_field *f = pk_xcalloc(1, sizeof(*f));

	f->name = pk_xstrdup(c->name.ptr);
	f->top_len = c->top_len;
	f->old_text = compact_dup(old, c->max);
	f->new_text = compact_dup(new, c->max);
	pk_vec_push(c->out, f);
}

static bool is_list_of_maps(const pk_value *v)
{
	size_t i;
	if (v->type != PK_VALUE_LIST || !v->as.list.len)
		return false;
	for (i = 0; i < v->as.list.len; i++)
		if (v->as.list.items[i]->type != PK_VALUE_MAP)
			return false;
	return true;
}

static void diff_maps(diff_ctx *c, const pk_value *old, const pk_value *new, int depth);
static void diff_items(diff_ctx *c, const pk_value *old, const pk_value *new, int depth);

/* old or new may be NULL (absent). Nesting is bounded by
 * PK_REVIEW_MAX_DEPTH, whatever the input's depth. */
static void diff_value(diff_ctx *c, const pk_value *old, const pk_value *new, int depth)
{
	bool deeper = old && new && !c->flat && depth + 1 < PK_REVIEW_MAX_DEPTH;

	if (old && new && pk_value_equal(old, new))
		return;
	if (deeper && old->type == PK_VALUE_MAP && new->type == PK_VALUE_MAP)
		diff_maps(c, old, new, depth + 1);
	else if (deeper && is_list_of_maps(old) && is_list_of_maps(new) &&
		 old->as.list.len == new->as.list.len)
		diff_items(c, old, new, depth + 1);
	else
		add_field(c, old, new);
}

static void diff_key(diff_ctx *c, const char *key, size_t key_len, const pk_value *old,
		     const pk_value *new, int depth)
{
	size_t mark = c->name.len;

	if (mark)
		pk_buf_putc(&c->name, '.');
	pk_buf_put(&c->name, key, key_len);
	if (depth == 0)
		c->top_len = c->name.len;
	diff_value(c, old, new, depth);
	pk_buf_truncate(&c->name, mark);
}

static void diff_maps(diff_ctx *c, const pk_value *old, const pk_value *new, int depth)
{
	size_t i;

	for (i = 0; new && i < new->as.map.len; i++) {
		const pk_map_entry *e = &new->as.map.entries[i];
		diff_key(c, e->key, e->key_len, pk_value_map_getn(old, e->key, e->key_len), e->value,
			 depth);
	}
	for (i = 0; old && i < old->as.map.len; i++) {
		const pk_map_entry *e = &old->as.map.entries[i];
		if (!pk_value_map_getn(new, e->key, e->key_len))
			diff_key(c, e->key, e->key_len, e->value, NULL, depth);
	}
}

/* Lists of maps of one length, item by item: "stages[2].title". */
static void diff_items(diff_ctx *c, const pk_value *old, const pk_value *new, int depth)
{
	size_t i, mark = c->name.len;

	for (i = 0; i < new->as.list.len; i++) {
		pk_buf_printf(&c->name, "[%zu]", i + 1);
		diff_value(c, old->as.list.items[i], new->as.list.items[i], depth);
		pk_buf_truncate(&c->name, mark);
	}
}

static const pk_value *as_map(const pk_value *v)
{
	return v && v->type == PK_VALUE_MAP ? v : NULL;
}

void pk_review_diff_fields(pk_vec *out, const pk_value *old_meta, const pk_value *new_meta,
			   size_t max)
{
	diff_ctx c = { out, PK_BUF_INIT, 0, max, false };
	diff_maps(&c, as_map(old_meta), as_map(new_meta), 0);
	pk_buf_release(&c.name);
}

void pk_review_diff_top(pk_vec *out, const pk_value *old_meta, const pk_value *new_meta,
			size_t max)
{
	diff_ctx c = { out, PK_BUF_INIT, 0, max, true };
	diff_maps(&c, as_map(old_meta), as_map(new_meta), 0);
	pk_buf_release(&c.name);
}

void pk_review_field_free(pk_review_field *f)
{
	if (!f)
		return;
	free(f->name);
	free(f->old_text);
	free(f->new_text);
	free(f);
}
