/* review/data.c: a review as template data for the preview site: the
 * annotations of changed pages and the data of the changes page. */
#include "review/review.h"

#include <string.h>

#define NOPOS ((pk_pos){ 0, 0 })

/*
 * Every front-matter field of a practice, a mentor profile or a free page
 * (the schemas in src/content/practice.c, mentor.c and page.c). An
 * annotation's `fields` map holds each of them, null when unchanged, so a
 * template in strict mode may test any field; keep this list in step
 * with the schemas.
 */
static const char *const known_fields[] = {
	"title", "slug", "date", "updated", "draft", "form", "role_model", "kinds", "region",
	"municipality", "organization", "mentors", "mentees", "period", "year", "audience", "goal",
	"tasks", "stages", "resources", "results", "indicators", "replicability", "awards", "tags",
	"attachments", "name", "position", "subjects", "category", "experience", "forms", "photo",
	"consent", "withdrawn", "description", "weight",
};

static void put(pk_value *map, const char *key, pk_value *v)
{
	pk_value_map_set(map, key, v ? v : pk_value_new_null(NOPOS));
}

static pk_value *str(const char *s)
{
	return s ? pk_value_new_cstr(s) : pk_value_new_null(NOPOS);
}

static pk_value *flag(bool b)
{
	return pk_value_new_bool(b, NOPOS);
}

static pk_value *count(size_t n)
{
	return pk_value_new_int((int64_t)n, NOPOS);
}

static void put_status(pk_value *map, pk_review_status status)
{
	put(map, "status", str(pk_review__status_id(status)));
	put(map, "is_added", flag(status == PK_REVIEW_ADDED));
	put(map, "is_changed", flag(status == PK_REVIEW_CHANGED));
	put(map, "is_removed", flag(status == PK_REVIEW_REMOVED));
	put(map, "is_renamed", flag(status == PK_REVIEW_RENAMED));
}

/* {old, new}: compact texts, null when absent. */
static pk_value *change_value(const pk_review_field *f)
{
	pk_value *v = pk_value_new_map(NOPOS);
	put(v, "name", str(f->name));
	put(v, "old", str(f->old_text && *f->old_text ? f->old_text : NULL));
	put(v, "new", str(f->new_text && *f->new_text ? f->new_text : NULL));
	return v;
}

/* ---- annotations ------------------------------------------------------ */

static pk_value *fields_map(const pk_review_item *it)
{
	pk_value *map = pk_value_new_map(NOPOS);
	size_t i;

	for (i = 0; i < PK_ARRAY_SIZE(known_fields); i++)
		put(map, known_fields[i], NULL);
	for (i = 0; i < it->top.len; i++) {
		const pk_review_field *f = it->top.items[i];
		put(map, f->name, change_value(f));
	}
	return map;
}

static pk_value *changed_list(const pk_review_item *it)
{
	pk_value *list = pk_value_new_list(NOPOS);
	size_t i;
	for (i = 0; i < it->top.len; i++)
		pk_value_list_push(list, str(((const pk_review_field *)it->top.items[i])->name));
	return list;
}

static pk_value *annotation(const pk_review_item *it)
{
	pk_value *a = pk_value_new_map(NOPOS);

	put_status(a, it->status);
	put(a, "old_path", str(it->old_path));
	put(a, "body_changed", flag(it->body_changed));
	put(a, "changed", changed_list(it));
	put(a, "has_changed", flag(it->top.len > 0));
	put(a, "fields", fields_map(it));
	return a;
}

pk_value *pk_review_annotations(const pk_review *r)
{
	pk_value *map = pk_value_new_map(NOPOS);
	size_t i;

	for (i = 0; i < r->items.len; i++) {
		const pk_review_item *it = r->items.items[i];
		if (it->kind == PK_REVIEW_FILE || it->status == PK_REVIEW_REMOVED || !it->rel)
			continue;
		put(map, it->rel, annotation(it));
	}
	return map;
}

/* ---- the changes page ------------------------------------------------- */

static pk_value *field_list(const pk_vec *fields)
{
	pk_value *list = pk_value_new_list(NOPOS);
	size_t i;
	for (i = 0; i < fields->len; i++)
		pk_value_list_push(list, change_value(fields->items[i]));
	return list;
}

/* The page's address with the site's path, as every url in the data. */
static pk_value *url_value(const pk_review *r, const char *url_path)
{
	pk_buf b = PK_BUF_INIT;
	pk_value *v;

	if (!url_path)
		return NULL;
	pk_buf_printf(&b, "%s%s", r->base_path, url_path);
	v = str(b.ptr);
	pk_buf_release(&b);
	return v;
}

static pk_value *item_value(const pk_review *r, const pk_review_item *it)
{
	static const char *const kinds[] = { "practice", "mentor", "page", "file" };
	pk_value *v = pk_value_new_map(NOPOS);

	put(v, "kind", str(kinds[it->kind]));
	put(v, "is_file", flag(it->kind == PK_REVIEW_FILE));
	put_status(v, it->status);
	put(v, "path", str(it->path));
	put(v, "old_path", str(it->old_path));
	put(v, "title", str(it->title));
	put(v, "url", url_value(r, it->url_path));
	put(v, "fields", field_list(&it->fields));
	put(v, "has_fields", flag(it->fields.len > 0));
	put(v, "body_changed", flag(it->body_changed));
	return v;
}

/* One group per kind that has items: {kind, is_practices, …, items}. */
static pk_value *group_value(const pk_review *r, pk_review_kind kind)
{
	static const char *const ids[] = { "practices", "mentors", "pages", "files" };
	pk_value *g = pk_value_new_map(NOPOS), *items = pk_value_new_list(NOPOS);
	size_t i;

	for (i = 0; i < r->items.len; i++) {
		const pk_review_item *it = r->items.items[i];
		if (it->kind == kind)
			pk_value_list_push(items, item_value(r, it));
	}
	put(g, "kind", str(ids[kind]));
	put(g, "is_practices", flag(kind == PK_REVIEW_PRACTICE));
	put(g, "is_mentors", flag(kind == PK_REVIEW_MENTOR));
	put(g, "is_pages", flag(kind == PK_REVIEW_PAGE));
	put(g, "is_files", flag(kind == PK_REVIEW_FILE));
	put(g, "count", count(pk_value_len(items)));
	put(g, "items", items);
	return g;
}

static pk_value *groups_value(const pk_review *r)
{
	pk_review_kind kinds[] = { PK_REVIEW_PRACTICE, PK_REVIEW_MENTOR, PK_REVIEW_PAGE,
				   PK_REVIEW_FILE };
	pk_value *list = pk_value_new_list(NOPOS);
	size_t k;

	for (k = 0; k < PK_ARRAY_SIZE(kinds); k++) {
		pk_value *g = group_value(r, kinds[k]);
		if (pk_value_len(pk_value_map_get(g, "items")))
			pk_value_list_push(list, g);
		else
			pk_value_free(g);
	}
	return list;
}

static pk_value *diag_value(const pk_diag *d)
{
	static const char *const names[] = { "note", "warning", "error" };
	pk_value *v = pk_value_new_map(NOPOS);
	pk_buf text = PK_BUF_INIT;

	pk_diag_format(&text, d);
	put(v, "text", str(text.ptr));
	put(v, "path", str(d->path));
	put(v, "line", count((size_t)(d->line > 0 ? d->line : 0)));
	put(v, "col", count((size_t)(d->col > 0 ? d->col : 0)));
	put(v, "severity", str(names[d->severity]));
	put(v, "is_error", flag(d->severity == PK_DIAG_ERROR));
	put(v, "is_warning", flag(d->severity == PK_DIAG_WARNING));
	put(v, "message", str(d->msg));
	pk_buf_release(&text);
	return v;
}

static pk_value *diags_value(const pk_diags *d)
{
	pk_value *list = pk_value_new_list(NOPOS);
	size_t i;
	for (i = 0; i < d->len; i++)
		pk_value_list_push(list, diag_value(&d->items[i]));
	return list;
}

static pk_value *problems_value(const pk_review *r)
{
	pk_value *p = pk_value_new_map(NOPOS);

	put(p, "in_changed", diags_value(&r->in_changed));
	put(p, "has_in_changed", flag(r->in_changed.len > 0));
	put(p, "caused", diags_value(&r->caused));
	put(p, "has_caused", flag(r->caused.len > 0));
	put(p, "before", diags_value(&r->before));
	put(p, "has_before", flag(r->before.len > 0));
	put(p, "fixed", count(r->fixed));
	put(p, "has_fixed", flag(r->fixed > 0));
	put(p, "errors", count(pk_review__errors(r)));
	put(p, "warnings", count(pk_review__warnings(r)));
	return p;
}

static pk_value *side_value(const char *label, const char *commit)
{
	pk_value *v = pk_value_new_map(NOPOS);
	put(v, "label", str(label));
	put(v, "commit", str(commit));
	return v;
}

static pk_value *counts_value(const pk_review *r)
{
	size_t n[4] = { 0, 0, 0, 0 }, i;
	pk_value *v = pk_value_new_map(NOPOS);

	for (i = 0; i < r->items.len; i++)
		n[((const pk_review_item *)r->items.items[i])->status]++;
	put(v, "added", count(n[PK_REVIEW_ADDED]));
	put(v, "changed", count(n[PK_REVIEW_CHANGED]));
	put(v, "removed", count(n[PK_REVIEW_REMOVED]));
	put(v, "renamed", count(n[PK_REVIEW_RENAMED]));
	put(v, "total", count(r->items.len));
	return v;
}

pk_value *pk_review_value(const pk_review *r)
{
	pk_value *v = pk_value_new_map(NOPOS);

	put(v, "base", side_value(r->base_label, r->base_commit));
	put(v, "head", side_value(r->head_label, r->head_commit));
	put(v, "ok", flag(!pk_review_has_errors(r)));
	put(v, "counts", counts_value(r));
	put(v, "groups", groups_value(r));
	put(v, "has_groups", flag(r->items.len > 0));
	put(v, "problems", problems_value(r));
	return v;
}

pk_value *pk_review_extra_pages(const pk_review *r, const char *title)
{
	pk_value *list = pk_value_new_list(NOPOS), *page = pk_value_new_map(NOPOS);

	put(page, "url_path", str("changes/"));
	put(page, "template", str("changes"));
	put(page, "title", str(title));
	put(page, "data", pk_review_value(r));
	pk_value_list_push(list, page);
	return list;
}
