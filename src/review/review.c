/* review/review.c: comparing two banks file by file, and sorting HEAD's
 * problems by what the change has to do with them. */
#include "core/strmap.h"
#include "core/xalloc.h"
#include "review/review.h"
#include "source/source.h"
#include "text/text.h"

#include <stdlib.h>
#include <string.h>

/* Top-level values are cut to this many characters for previews. */
#define TOP_TEXT_MAX 300

/* A content file of one side. */
typedef struct {
	const pk_doc *doc;
	const char *title;  /* borrowed; NULL if none */
	char *url_path;     /* owned; NULL when it has no page */
	bool own;           /* read from the bank itself, not from `sources:` */
	bool matched;
} doc_ref;

typedef struct {
	doc_ref *items;
	size_t len, cap;
} doc_refs;

/* ---- words ------------------------------------------------------------ */

const char *pk_review__kind_noun(pk_review_kind kind)
{
	switch (kind) {
	case PK_REVIEW_PRACTICE: return "практика";
	case PK_REVIEW_MENTOR: return "наставник";
	case PK_REVIEW_PAGE: return "страница";
	case PK_REVIEW_FILE: return "файл";
	}
	return "";
}

/* Practices and pages are feminine, mentors and files masculine. */
const char *pk_review__status_word(pk_review_kind kind, pk_review_status status)
{
	static const char *const feminine[] = { "добавлена", "изменена", "удалена", "переименована" };
	static const char *const masculine[] = { "добавлен", "изменён", "удалён", "переименован" };
	bool fem = kind == PK_REVIEW_PRACTICE || kind == PK_REVIEW_PAGE;
	return fem ? feminine[status] : masculine[status];
}

const char *pk_review__status_id(pk_review_status status)
{
	static const char *const ids[] = { "added", "changed", "removed", "renamed" };
	return ids[status];
}

void pk_review__count(pk_buf *out, size_t n, const char *one, const char *few, const char *many)
{
	int form = pk_text_plural_ru((long)n);
	pk_buf_printf(out, "%zu %s", n, form == PK_PLURAL_ONE ? one : form == PK_PLURAL_FEW ? few : many);
}

/* ---- collecting the content files of a bank ---------------------------- */

static bool is_own(const pk_doc *doc)
{
	return !doc->origin || !doc->origin->name || !*doc->origin->name;
}

static void add_ref(doc_refs *refs, const pk_doc *doc, const char *title, char *url_path)
{
	doc_ref *r;

	PK_GROW(refs->items, refs->cap, refs->len + 1);
	r = &refs->items[refs->len++];
	r->doc = doc;
	r->title = title;
	r->url_path = url_path;
	r->own = is_own(doc);
	r->matched = false;
}

/* "practices/<slug>/": the URL the site gives a page (src/site/graph.c). */
static char *slug_url(const char *section, const char *slug)
{
	pk_buf b = PK_BUF_INIT;
	pk_buf_printf(&b, "%s/%s/", section, slug);
	return pk_buf_detach(&b);
}

static void collect_practices(doc_refs *refs, const pk_bank *bank)
{
	size_t i;
	for (i = 0; i < bank->all_practices.len; i++) {
		const pk_practice *p = bank->all_practices.items[i];
		bool published = !p->draft || (bank->opts.flags & PK_BANK_DRAFTS);
		add_ref(refs, &p->doc, p->title, published ? slug_url("practices", p->doc.slug) : NULL);
	}
}

static void collect_mentors(doc_refs *refs, const pk_bank *bank)
{
	size_t i;
	for (i = 0; i < bank->mentors.len; i++) {
		const pk_mentor *m = bank->mentors.items[i];
		add_ref(refs, &m->doc, m->name, m->published ? slug_url("mentors", m->doc.slug) : NULL);
	}
}

static void collect_pages(doc_refs *refs, const pk_bank *bank)
{
	size_t i;
	if (bank->home)
		add_ref(refs, &bank->home->doc, bank->home->title, pk_xstrdup(""));
	for (i = 0; i < bank->pages.len; i++) {
		const pk_page *pg = bank->pages.items[i];
		add_ref(refs, &pg->doc, pg->title, pk_xstrdup(pg->url_path ? pg->url_path : ""));
	}
}

static void collect(doc_refs *refs, const pk_bank *bank, pk_review_kind kind)
{
	if (kind == PK_REVIEW_PRACTICE)
		collect_practices(refs, bank);
	else if (kind == PK_REVIEW_MENTOR)
		collect_mentors(refs, bank);
	else
		collect_pages(refs, bank);
}

static void refs_release(doc_refs *refs)
{
	size_t i;
	for (i = 0; i < refs->len; i++)
		free(refs->items[i].url_path);
	free(refs->items);
}

/* ---- items ------------------------------------------------------------- */

static bool same_content(const pk_doc *a, const pk_doc *b)
{
	if (!a->meta || !b->meta || !pk_value_equal(a->meta, b->meta))
		return false;
	return a->body_len == b->body_len && a->body_hash == b->body_hash;
}

static char *dup_or_null(const char *s)
{
	return s ? pk_xstrdup(s) : NULL;
}

static void add_item(pk_review *r, pk_review_kind kind, pk_review_status status,
		     const doc_ref *old, const doc_ref *new)
{
	pk_review_item *it = pk_xcalloc(1, sizeof(*it));
	const doc_ref *now = new ? new : old;

	it->kind = kind;
	it->status = status;
	it->path = pk_xstrdup(now->doc->path);
	it->old_path = status == PK_REVIEW_RENAMED ? pk_xstrdup(old->doc->path) : NULL;
	it->rel = now->own ? pk_xstrdup(now->doc->rel) : NULL;
	it->title = pk_xstrdup(now->title && *now->title ? now->title : now->doc->path);
	it->url_path = new ? dup_or_null(new->url_path) : NULL;
	if (old && new) {
		pk_review_diff_fields(&it->fields, old->doc->meta, new->doc->meta, PK_REVIEW_SHORT);
		pk_review_diff_top(&it->top, old->doc->meta, new->doc->meta, TOP_TEXT_MAX);
		it->body_changed = old->doc->body_len != new->doc->body_len ||
				   old->doc->body_hash != new->doc->body_hash;
	}
	pk_vec_push(&r->items, it);
}

/* Where a file is in its bank: the source's name (for `sources:` in
 * site.yaml) and the path in it, so two checkouts in different folders
 * still match. */
static void doc_key(pk_buf *out, const pk_doc *doc)
{
	pk_buf_clear(out);
	if (doc->origin && doc->origin->name && *doc->origin->name)
		pk_buf_printf(out, "%s\x1f", doc->origin->name);
	pk_buf_puts(out, doc->rel);
}

/* Files at the same path in both banks. */
static void match_paths(pk_review *r, pk_review_kind kind, doc_refs *base, doc_refs *head)
{
	pk_strmap by_path = PK_STRMAP_INIT;
	pk_buf key = PK_BUF_INIT;
	size_t i;

	for (i = 0; i < head->len; i++) {
		doc_key(&key, head->items[i].doc);
		pk_strmap_add(&by_path, key.ptr, key.len, &head->items[i]);
	}
	for (i = 0; i < base->len; i++) {
		doc_ref *b = &base->items[i], *h;
		doc_key(&key, b->doc);
		h = pk_strmap_get(&by_path, key.ptr, key.len);
		if (!h || h->matched)
			continue;
		b->matched = h->matched = true;
		if (!same_content(b->doc, h->doc))
			add_item(r, kind, PK_REVIEW_CHANGED, b, h);
	}
	pk_buf_release(&key);
	pk_strmap_release(&by_path);
}

/* A path gone from BASE and a new path in HEAD are one renamed file when
 * the slugs (by_slug) or the whole contents are the same. */
static void match_renames(pk_review *r, pk_review_kind kind, doc_refs *base, doc_refs *head,
			  bool by_slug)
{
	size_t i, j;

	for (i = 0; i < base->len; i++) {
		doc_ref *b = &base->items[i];
		for (j = 0; j < head->len && !b->matched; j++) {
			doc_ref *h = &head->items[j];
			bool same = by_slug ? !strcmp(b->doc->slug, h->doc->slug)
					    : same_content(b->doc, h->doc);
			if (h->matched || !same)
				continue;
			b->matched = h->matched = true;
			add_item(r, kind, PK_REVIEW_RENAMED, b, h);
		}
	}
}

static void compare_kind(pk_review *r, const pk_bank *base_bank, const pk_bank *head_bank,
			 pk_review_kind kind)
{
	doc_refs base = { NULL, 0, 0 }, head = { NULL, 0, 0 };
	size_t i;

	collect(&base, base_bank, kind);
	collect(&head, head_bank, kind);
	match_paths(r, kind, &base, &head);
	match_renames(r, kind, &base, &head, true);
	match_renames(r, kind, &base, &head, false);
	for (i = 0; i < base.len; i++)
		if (!base.items[i].matched)
			add_item(r, kind, PK_REVIEW_REMOVED, &base.items[i], NULL);
	for (i = 0; i < head.len; i++)
		if (!head.items[i].matched)
			add_item(r, kind, PK_REVIEW_ADDED, NULL, &head.items[i]);
	refs_release(&base);
	refs_release(&head);
}

/* ---- other files -------------------------------------------------------- */

/* Marks the rel paths of the bank's own content files in seen. */
static void mark_docs(pk_strmap *seen, const pk_bank *bank)
{
	pk_review_kind kinds[] = { PK_REVIEW_PRACTICE, PK_REVIEW_MENTOR, PK_REVIEW_PAGE };
	size_t k, i;

	for (k = 0; k < PK_ARRAY_SIZE(kinds); k++) {
		doc_refs refs = { NULL, 0, 0 };
		collect(&refs, bank, kinds[k]);
		for (i = 0; i < refs.len; i++)
			if (refs.items[i].own)
				pk_strmap_set(seen, refs.items[i].doc->rel, strlen(refs.items[i].doc->rel),
					      (void *)1);
		refs_release(&refs);
	}
}

static bool same_bytes(pk_source *a, pk_source *b, const char *rel)
{
	pk_buf x = PK_BUF_INIT, y = PK_BUF_INIT;
	int rx = pk_source_read(a, &x, rel, NULL), ry = pk_source_read(b, &y, rel, NULL);
	bool same = rx == ry && x.len == y.len && (!x.len || !memcmp(x.ptr, y.ptr, x.len));

	pk_buf_release(&x);
	pk_buf_release(&y);
	return same;
}

static void add_file(pk_review *r, pk_review_status status, pk_source *src, const char *rel)
{
	pk_review_item *it = pk_xcalloc(1, sizeof(*it));
	pk_buf shown = PK_BUF_INIT;

	pk_source_display_path(&shown, src, rel);
	it->kind = PK_REVIEW_FILE;
	it->status = status;
	it->path = pk_buf_detach(&shown);
	it->rel = pk_xstrdup(rel);
	it->title = pk_xstrdup(it->path);
	pk_vec_push(&r->items, it);
}

static void free_paths(pk_vec *v)
{
	size_t i;
	for (i = 0; i < v->len; i++)
		free(v->items[i]);
	pk_vec_release(v);
}

/* Every file of the bank that is not a loaded content file, compared byte
 * by byte. Listing warnings (symbolic links…) were reported by the load. */
static int compare_files(pk_review *r, const pk_bank *base, const pk_bank *head, pk_diags *diags)
{
	pk_vec old = PK_VEC_INIT, now = PK_VEC_INIT;
	pk_strmap docs = PK_STRMAP_INIT, in_base = PK_STRMAP_INIT;
	size_t i;
	int rc;

	if ((rc = pk_source_list(base->src, &old, "", NULL)) < 0 ||
	    (rc = pk_source_list(head->src, &now, "", NULL)) < 0) {
		rc = pk_diag_add(diags, PK_DIAG_ERROR, "", 0, 0, "cannot list the files of the bank");
		goto done;
	}
	mark_docs(&docs, base);
	mark_docs(&docs, head);
	for (i = 0; i < old.len; i++)
		pk_strmap_add(&in_base, old.items[i], strlen(old.items[i]), (void *)1);
	for (i = 0; i < now.len; i++) {
		const char *rel = now.items[i];
		if (pk_strmap_get(&docs, rel, strlen(rel)))
			continue;
		if (!pk_strmap_get(&in_base, rel, strlen(rel)))
			add_file(r, PK_REVIEW_ADDED, head->src, rel);
		else if (!same_bytes(base->src, head->src, rel))
			add_file(r, PK_REVIEW_CHANGED, head->src, rel);
		pk_strmap_set(&in_base, rel, strlen(rel), NULL);
	}
	for (i = 0; i < old.len; i++) {
		const char *rel = old.items[i];
		if (pk_strmap_get(&in_base, rel, strlen(rel)) && !pk_strmap_get(&docs, rel, strlen(rel)))
			add_file(r, PK_REVIEW_REMOVED, base->src, rel);
	}
done:
	free_paths(&old);
	free_paths(&now);
	pk_strmap_release(&docs);
	pk_strmap_release(&in_base);
	return rc;
}

static int compare_items(const void *a, const void *b)
{
	const pk_review_item *x = *(const pk_review_item *const *)a;
	const pk_review_item *y = *(const pk_review_item *const *)b;
	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	return strcmp(x->rel ? x->rel : x->path, y->rel ? y->rel : y->path);
}

/* ---- problems ------------------------------------------------------------ */

static void copy_diag(pk_diags *to, const pk_diag *d)
{
	pk_diag_add(to, d->severity, d->path, d->line, d->col, "%s", d->msg);
}

/* The formatted text of d without the folder its bank was read from
 * (root, as diagnostics show it, e.g. "bank/"), wherever it occurs, so
 * problems of two banks read from different folders compare equal. */
static void diag_key(pk_buf *out, const pk_diag *d, const char *root)
{
	pk_buf line = PK_BUF_INIT;
	size_t n = root ? strlen(root) : 0;
	const char *p, *hit;

	pk_buf_clear(out);
	pk_diag_format(&line, d);
	for (p = line.ptr; n && (hit = strstr(p, root)); p = hit + n)
		pk_buf_put(out, p, (size_t)(hit - p));
	pk_buf_puts(out, p);
	pk_buf_release(&line);
}

/* Every diagnostic of diags as a key, into set. */
static void diag_keys(pk_strmap *set, const pk_diags *diags, const char *root)
{
	pk_buf key = PK_BUF_INIT;
	size_t i;

	for (i = 0; i < diags->len; i++) {
		diag_key(&key, &diags->items[i], root);
		pk_strmap_set(set, key.ptr, key.len, (void *)1);
	}
	pk_buf_release(&key);
}

static size_t count_missing(const pk_diags *diags, const char *root, const pk_strmap *set)
{
	pk_buf key = PK_BUF_INIT;
	size_t i, n = 0;

	for (i = 0; i < diags->len; i++) {
		diag_key(&key, &diags->items[i], root);
		if (!pk_strmap_get(set, key.ptr, key.len))
			n++;
	}
	pk_buf_release(&key);
	return n;
}

static void classify(pk_review *r, const pk_review_side *base, const pk_review_side *head)
{
	const char *base_root = base->bank->src->display_root;
	const char *head_root = head->bank->src->display_root;
	pk_strmap changed = PK_STRMAP_INIT, before = PK_STRMAP_INIT, after = PK_STRMAP_INIT;
	pk_diags sorted = PK_DIAGS_INIT;
	pk_buf key = PK_BUF_INIT;
	size_t i;

	for (i = 0; i < r->items.len; i++) {
		const pk_review_item *it = r->items.items[i];
		if (it->status != PK_REVIEW_REMOVED)
			pk_strmap_set(&changed, it->path, strlen(it->path), (void *)1);
	}
	diag_keys(&before, base->diags, base_root);
	diag_keys(&after, head->diags, head_root);
	for (i = 0; i < head->diags->len; i++)
		copy_diag(&sorted, &head->diags->items[i]);
	pk_diags_sort(&sorted);
	for (i = 0; i < sorted.len; i++) {
		const pk_diag *d = &sorted.items[i];
		diag_key(&key, d, head_root);
		if (*d->path && pk_strmap_get(&changed, d->path, strlen(d->path)))
			copy_diag(&r->in_changed, d);
		else if (pk_strmap_get(&before, key.ptr, key.len))
			copy_diag(&r->before, d);
		else
			copy_diag(&r->caused, d);
	}
	r->fixed = count_missing(base->diags, base_root, &after);
	pk_buf_release(&key);
	pk_diags_release(&sorted);
	pk_strmap_release(&changed);
	pk_strmap_release(&before);
	pk_strmap_release(&after);
}

/* ---- the review ------------------------------------------------------------ */

static char *short_commit(const char *id)
{
	return id ? pk_xstrndup(id, strnlen(id, 7)) : NULL;
}

int pk_review_compare(pk_review **out, const pk_review_side *base, const pk_review_side *head,
		      pk_diags *diags)
{
	pk_review_kind kinds[] = { PK_REVIEW_PRACTICE, PK_REVIEW_MENTOR, PK_REVIEW_PAGE };
	pk_review *r = pk_xcalloc(1, sizeof(*r));
	size_t k;
	int rc;

	*out = NULL;
	r->base_label = pk_xstrdup(base->label ? base->label : "");
	r->head_label = pk_xstrdup(head->label ? head->label : "");
	r->base_commit = short_commit(base->commit);
	r->head_commit = short_commit(head->commit);
	r->base_path = pk_xstrdup(head->bank->config.base_path ? head->bank->config.base_path : "/");
	for (k = 0; k < PK_ARRAY_SIZE(kinds); k++)
		compare_kind(r, base->bank, head->bank, kinds[k]);
	rc = compare_files(r, base->bank, head->bank, diags);
	if (rc < 0)
		goto done;
	pk_vec_sort(&r->items, compare_items);
	classify(r, base, head);
	*out = r;
	r = NULL;
done:
	pk_review_free(r);
	return rc;
}

static void free_fields(pk_vec *fields)
{
	size_t i;
	for (i = 0; i < fields->len; i++)
		pk_review_field_free(fields->items[i]);
	pk_vec_release(fields);
}

static void free_item(pk_review_item *it)
{
	free(it->path);
	free(it->old_path);
	free(it->rel);
	free(it->title);
	free(it->url_path);
	free_fields(&it->fields);
	free_fields(&it->top);
	free(it);
}

void pk_review_free(pk_review *r)
{
	size_t i;

	if (!r)
		return;
	for (i = 0; i < r->items.len; i++)
		free_item(r->items.items[i]);
	pk_vec_release(&r->items);
	pk_diags_release(&r->in_changed);
	pk_diags_release(&r->caused);
	pk_diags_release(&r->before);
	free(r->base_label);
	free(r->head_label);
	free(r->base_commit);
	free(r->head_commit);
	free(r->base_path);
	free(r);
}

size_t pk_review__errors(const pk_review *r)
{
	return r->in_changed.errors + r->caused.errors;
}

size_t pk_review__warnings(const pk_review *r)
{
	return r->in_changed.warnings + r->caused.warnings;
}

bool pk_review_has_errors(const pk_review *r)
{
	return pk_review__errors(r) > 0;
}
