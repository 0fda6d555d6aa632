/* Rendering: one function per page kind, all through render_page. */
#include "site/site_internal.h"
#include "site/objects.h"
#include "core/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NOPOS ((pk_pos){ 0, 0 })
#define HOME_LATEST 6

typedef struct {
	const char *kind;        /* page kind: "practice", "forms", … */
	const char *tmpl;        /* template name */
	const char *title;
	const char *description; /* NULL: the site's */
	const char *url_path;    /* "practices/x/", "" for home, "404.html" */
	pk_value *crumbs;        /* owned list of {title, url} */
	pk_value *scope;         /* owned root scope; the caller adds its names */
	pk_site_work work;       /* for the worker (queue.c), all NULL when none */
} page_job;

static void put(pk_value *map, const char *key, pk_value *v)
{
	pk_value_map_set(map, key, v ? v : pk_value_new_null(NOPOS));
}

static pk_value *str(const char *s)
{
	return s ? pk_value_new_cstr(s) : pk_value_new_null(NOPOS);
}

static void job_init(page_job *job, const char *kind, const char *tmpl, const char *title,
		     const char *url_path)
{
	memset(job, 0, sizeof(*job));
	job->kind = kind;
	job->tmpl = tmpl;
	job->title = title;
	job->url_path = url_path;
	job->crumbs = pk_value_new_list(NOPOS);
	job->scope = pk_site_scope_new(NULL);
}

static void crumb(pk_site *site, page_job *job, const char *title, const char *path)
{
	pk_value *c = pk_value_new_map(NOPOS);
	put(c, "title", str(title));
	put(c, "url", pk_site__url_value(site, path));
	pk_value_list_push(job->crumbs, c);
}

static void crumb_home(pk_site *site, page_job *job)
{
	crumb(site, job, pk_site__string(site, "nav.home", "Главная"), "");
}

/* ---- the frame every page shares ------------------------------------ */

static bool is_external_url(const char *url)
{
	return strstr(url, "://") != NULL || !strncmp(url, "mailto:", 7);
}

static pk_value *menu_item(pk_site *site, const pk_value *entry, const char *page_path)
{
	const char *title = pk_value_str(pk_value_map_get(entry, "title"));
	const char *url = pk_value_str(pk_value_map_get(entry, "url"));
	pk_value *item = pk_value_new_map(NOPOS);
	const char *path;
	bool current = false, exact = false;

	put(item, "title", str(title));
	if (!url || is_external_url(url)) {
		put(item, "url", str(url));
	} else {
		path = url + (url[0] == '/');
		put(item, "url", pk_site__url_value(site, path));
		current = *path ? !strncmp(page_path, path, strlen(path)) : !*page_path;
		exact = !strcmp(page_path, path);
	}
	put(item, "current", pk_value_new_bool(current, NOPOS));
	put(item, "exact", pk_value_new_bool(exact, NOPOS));
	return item;
}

static pk_value *menu_value(pk_site *site, const char *page_path)
{
	const pk_value *src = site->cfg->menu;
	pk_value *menu = pk_value_new_list(NOPOS);
	size_t i;

	if (!src) {
		src = site->strings ? pk_value_map_get(site->strings, "menu") : NULL;
	}
	for (i = 0; i < pk_value_len(src); i++)
		pk_value_list_push(menu, menu_item(site, pk_value_list_at(src, i), page_path));
	return menu;
}

/* Every page has page.is_<kind> for each of these, true for its own. */
static const char *const page_kinds[][2] = {
	{ "home", "is_home" }, { "practice", "is_practice" }, { "practices", "is_practices" },
	{ "form", "is_form" }, { "kind", "is_kind" }, { "region", "is_region" },
	{ "year", "is_year" }, { "tag", "is_tag" }, { "forms", "is_forms" },
	{ "kinds", "is_kinds" }, { "regions", "is_regions" }, { "years", "is_years" },
	{ "tags", "is_tags" }, { "mentors", "is_mentors" }, { "mentor", "is_mentor" },
	{ "page", "is_page" }, { "404", "is_404" }, { "extra", "is_extra" },
};

static pk_value *page_value(pk_site *site, pk_site_frame *frame)
{
	size_t i;
	pk_value *page = pk_value_new_map(NOPOS);
	pk_buf url = PK_BUF_INIT;
	bool has_crumbs = pk_value_len(frame->crumbs) > 0;

	put(page, "kind", str(frame->kind));
	for (i = 0; i < PK_ARRAY_SIZE(page_kinds); i++)
		put(page, page_kinds[i][1], pk_value_new_bool(!strcmp(page_kinds[i][0], frame->kind), NOPOS));
	put(page, "title", str(frame->title));
	put(page, "description", str(frame->description ? frame->description : site->cfg->description));
	put(page, "url", pk_site__url_value(site, frame->url_path));
	pk_site__permalink(&url, site, frame->url_path);
	put(page, "permalink", pk_value_new_string(url.ptr, url.len, NOPOS));
	put(page, "breadcrumbs", frame->crumbs);
	put(page, "has_breadcrumbs", pk_value_new_bool(has_crumbs, NOPOS));
	frame->crumbs = NULL;
	pk_buf_release(&url);
	return page;
}

void pk_site__frame_put(pk_site *site, pk_value *scope, pk_site_frame *frame)
{
	pk_value *site_scope = pk_site_scope_new(site->site_value);

	pk_site_scope_own(site_scope, "menu", menu_value(site, frame->url_path));
	pk_site_scope_own(scope, "site", site_scope);
	pk_site_scope_own(scope, "page", page_value(site, frame));
}

void pk_site__frame_release(pk_site_frame *frame)
{
	free(frame->title);
	free(frame->description);
	free(frame->url_path);
	pk_value_free(frame->crumbs);
	memset(frame, 0, sizeof(*frame));
}

static char *copy_or_null(const char *s)
{
	return s ? pk_xstrdup(s) : NULL;
}

/* Prepares the page (its template, and its data but for the frame the
 * worker adds) and queues it for the workers (queue.c); the page is
 * written when its batch is flushed. */
static int render_page(pk_site *site, page_job *job)
{
	pk_site_frame frame = { job->kind, copy_or_null(job->title), copy_or_null(job->description),
				pk_xstrdup(job->url_path), job->crumbs };
	pk_buf file = PK_BUF_INIT;
	pk_tmpl *tmpl = NULL;
	int rc;

	job->crumbs = NULL;
	pk_site_scope_set(job->scope, "t", site->strings);
	if ((rc = pk_theme_template(&tmpl, &site->theme, job->tmpl, site->diags)) < 0) {
		pk_value_free(job->scope);
		pk_site__frame_release(&frame);
		if (job->work.drop)
			job->work.drop(job->work.arg);
		goto done;
	}
	pk_buf_puts(&file, job->url_path);
	if (!*job->url_path || job->url_path[strlen(job->url_path) - 1] == '/')
		pk_buf_puts(&file, "index.html");
	pk_site__queue_push(site, tmpl, job->tmpl, job->scope, file.ptr, &frame, &job->work);
	rc = pk_site__queue_maybe_flush(site);
done:
	pk_buf_release(&file);
	return rc;
}

/* ---- lists with pages ----------------------------------------------- */

static void page_path(pk_buf *out, const char *base, size_t number)
{
	pk_buf_puts(out, base);
	if (number > 1) {
		pk_buf_puts(out, "page/");
		pk_buf_put_uint(out, number, 0);
		pk_buf_putc(out, '/');
	}
}

#define PAGER_WINDOW 2

/* An entry standing for the pages left out of the pager. */
static pk_value *pager_gap(void)
{
	pk_value *p = pk_value_new_map(NOPOS);
	put(p, "number", NULL);
	put(p, "url", NULL);
	put(p, "current", pk_value_new_bool(false, NOPOS));
	put(p, "gap", pk_value_new_bool(true, NOPOS));
	return p;
}

static pk_value *pager_value(pk_site *site, const char *base, size_t current, size_t total)
{
	pk_value *pager, *pages;
	pk_buf path = PK_BUF_INIT;
	size_t i;

	if (total < 2)
		return pk_value_new_null(NOPOS);
	pager = pk_value_new_map(NOPOS);
	pages = pk_value_new_list(NOPOS);
	put(pager, "current", pk_value_new_int((int64_t)current, NOPOS));
	put(pager, "total", pk_value_new_int((int64_t)total, NOPOS));
	put(pager, "has_prev", pk_value_new_bool(current > 1, NOPOS));
	page_path(&path, base, current - 1);
	put(pager, "prev_url", current > 1 ? pk_site__url_value(site, path.ptr) : NULL);
	pk_buf_clear(&path);
	page_path(&path, base, current + 1);
	put(pager, "has_next", pk_value_new_bool(current < total, NOPOS));
	put(pager, "next_url", current < total ? pk_site__url_value(site, path.ptr) : NULL);
	/* The first and last pages and a window around the current one, with
	 * gaps between: a list of 800 pages must not link all 800 from each. */
	for (i = 1; i <= total; i++) {
		pk_value *p;
		bool shown = i == 1 || i == total || (i + PAGER_WINDOW >= current && i <= current + PAGER_WINDOW);
		if (!shown) {
			if (i == 2 || i == current + PAGER_WINDOW + 1)
				pk_value_list_push(pages, pager_gap());
			continue;
		}
		p = pk_value_new_map(NOPOS);
		pk_buf_clear(&path);
		page_path(&path, base, i);
		put(p, "number", pk_value_new_int((int64_t)i, NOPOS));
		put(p, "url", pk_site__url_value(site, path.ptr));
		put(p, "current", pk_value_new_bool(i == current, NOPOS));
		put(p, "gap", pk_value_new_bool(false, NOPOS));
		pk_value_list_push(pages, p);
	}
	put(pager, "pages", pages);
	pk_buf_release(&path);
	return pager;
}

/* Pages needed for count items, per to a page (an empty list has one). */
static size_t page_count(size_t count, size_t per)
{
	return count ? (count + per - 1) / per : 1;
}

/* Items on page number (from 1) of a list of count items. */
static size_t items_on_page(size_t count, size_t per, size_t number)
{
	size_t first = (number - 1) * per;
	return count - first < per ? count - first : per;
}

/* "Title", or "Title — страница 2" past the first page. */
static void page_title(pk_buf *out, const pk_site *site, const char *title, size_t number)
{
	pk_buf_puts(out, title);
	if (number > 1)
		pk_buf_printf(out, " — %s %zu", pk_site__string(site, "list.page", "страница"), number);
}

typedef struct {
	const char *kind;         /* "practices", "form", … */
	const char *title;
	const char *base;         /* URL path of the first page */
	const pk_value *term;     /* borrowed term value or NULL */
	const pk_vec *cards;
	const char *parent_title; /* breadcrumb between home and the list */
	const char *parent_path;
} list_spec;

/* One page of a list, its data made on the worker: what the spec points
 * to (titles, the term, the cards) lives as long as the site. */
typedef struct {
	list_spec spec;
	size_t number, total;
	pk_value *scope;
} list_job;

static pk_value *int_value(size_t n)
{
	return pk_value_new_int((int64_t)n, NOPOS);
}

/* With page records: what the page's list is made of, standing in for
 * it in the fingerprint (pk_site_work.inputs): the title, the term and
 * the cards on the page by reference, the counts and where the page is.
 * The rest (count_text, the pager's URLs, the has_ flags) follows from
 * these and from what the page key holds (the strings, the base path). */
static bool list_inputs(pk_site *site, void *arg)
{
	list_job *job = arg;
	const list_spec *spec = &job->spec;
	size_t per = (size_t)site->cfg->per_page, first = (job->number - 1) * per;
	pk_value *in = pk_value_new_map(NOPOS);

	put(in, "title", str(spec->title));
	put(in, "term", spec->term ? pk_site_ref_new(spec->term) : NULL);
	pk_value_map_set(in, "items",
			 pk_site_refs_slice(spec->cards, first,
					    items_on_page(spec->cards->len, per, job->number)));
	put(in, "base", str(spec->base));
	put(in, "count", int_value(spec->cards->len));
	put(in, "number", int_value(job->number));
	put(in, "total", int_value(job->total));
	pk_site_scope_own(job->scope, "list", in);
	return true;
}

static int list_data(pk_site *site, void *arg, pk_buf *extra, pk_diags *diags)
{
	list_job *job = arg;
	const list_spec *spec = &job->spec;
	size_t per = (size_t)site->cfg->per_page, first = (job->number - 1) * per;
	size_t n = items_on_page(spec->cards->len, per, job->number);
	pk_value *list = pk_value_new_map(NOPOS);

	(void)extra;
	(void)diags;
	put(list, "title", str(spec->title));
	put(list, "term", spec->term ? pk_value_clone(spec->term) : NULL);
	pk_value_map_set(list, "items", pk_site_refs_slice(spec->cards, first, n));
	put(list, "count", pk_value_new_int((int64_t)spec->cards->len, NOPOS));
	put(list, "count_text", pk_site__count_text(site, "practices", spec->cards->len));
	put(list, "pager", pager_value(site, spec->base, job->number, job->total));
	put(list, "empty", pk_value_new_bool(spec->cards->len == 0, NOPOS));
	pk_site__add_has_flags(list);
	pk_site_scope_own(job->scope, "list", list);
	return PK_OK;
}

static int render_list_page(pk_site *site, const list_spec *spec, size_t number, size_t total)
{
	list_job *lj = pk_xcalloc(1, sizeof(*lj));
	pk_buf path = PK_BUF_INIT, title = PK_BUF_INIT;
	page_job job;
	int rc;

	page_path(&path, spec->base, number);
	page_title(&title, site, spec->title, number);
	job_init(&job, spec->kind, "list", title.ptr, path.ptr);
	crumb_home(site, &job);
	if (spec->parent_title)
		crumb(site, &job, spec->parent_title, spec->parent_path);
	lj->spec = *spec;
	lj->spec.parent_title = lj->spec.parent_path = NULL; /* the crumbs have them */
	lj->number = number;
	lj->total = total;
	lj->scope = job.scope;
	job.work.inputs = list_inputs;
	job.work.data = list_data;
	job.work.drop = free;
	job.work.arg = lj;
	rc = render_page(site, &job);
	pk_buf_release(&path);
	pk_buf_release(&title);
	return rc;
}

static int render_list(pk_site *site, const list_spec *spec)
{
	size_t per = (size_t)site->cfg->per_page;
	size_t total = page_count(spec->cards->len, per);
	size_t i;
	int rc = PK_OK;

	for (i = 1; i <= total && rc == PK_OK; i++)
		rc = render_list_page(site, spec, i, total);
	return rc;
}

/* ---- taxonomies ----------------------------------------------------- */

static const char *taxonomy_title(pk_site *site, const pk_site_taxonomy *t)
{
	pk_buf key = PK_BUF_INIT;
	const char *title;
	pk_buf_printf(&key, "terms.%s", t->name);
	title = pk_site__string(site, key.ptr, t->name);
	pk_buf_release(&key);
	return title;
}

static int render_terms_index(pk_site *site, pk_site_taxonomy *t)
{
	pk_value *terms = pk_value_new_map(NOPOS);
	pk_vec values = PK_VEC_INIT;
	const char *title = taxonomy_title(site, t);
	pk_buf path = PK_BUF_INIT;
	page_job job;
	size_t i;
	int rc;

	for (i = 0; i < t->terms.len; i++) {
		pk_site_term *term = t->terms.items[i];
		if (term->practices.len || t->keep_empty)
			pk_vec_push(&values, term->value);
	}
	pk_buf_printf(&path, "%s/", t->name);
	job_init(&job, t->index_kind, "terms", title, path.ptr);
	crumb_home(site, &job);
	put(terms, "title", str(title));
	pk_value_map_set(terms, "items", pk_site_refs_new(&values));
	pk_site__add_has_flags(terms);
	pk_site_scope_own(job.scope, "terms", terms);
	rc = render_page(site, &job);
	pk_vec_release(&values);
	pk_buf_release(&path);
	return rc;
}

static int render_taxonomy(pk_site *site, pk_site_taxonomy *t)
{
	pk_buf parent = PK_BUF_INIT;
	size_t i;
	int rc = render_terms_index(site, t);

	pk_buf_printf(&parent, "%s/", t->name);
	for (i = 0; i < t->terms.len && rc == PK_OK; i++) {
		pk_site_term *term = t->terms.items[i];
		list_spec spec = { t->term_kind, term->title, term->url_path, term->value,
				   &term->cards, taxonomy_title(site, t), parent.ptr };
		rc = render_list(site, &spec);
	}
	pk_buf_release(&parent);
	return rc;
}

/* ---- practices ------------------------------------------------------ */

typedef struct {
	pk_practice *practice;
	pk_value *scope;    /* the page's data, which gets `practice` */
	pk_value *full;     /* the owned map of `practice`, to take the body */
} practice_job;

/* On the worker, with page records: what the practice's data is made of
 * stands in for it in the fingerprint, so a kept page makes none. */
static bool practice_inputs(pk_site *site, void *arg)
{
	practice_job *job = arg;
	pk_value *in = pk_site__practice_inputs(site, job->practice);

	if (in)
		pk_site_scope_own(job->scope, "practice", in);
	return in != NULL;
}

/* On the worker: the practice's data (its fields, attachments,
 * neighbours) into its page's data; its body, not rendered yet, stands in
 * the fingerprint as the hash of its Markdown (what its links resolve
 * against is in the page key). Everything it reads of the site is
 * complete and read-only by now; sources it reads take their locks. */
static int practice_data(pk_site *site, void *arg, pk_buf *extra, pk_diags *diags)
{
	practice_job *job = arg;
	const pk_doc *doc = &job->practice->doc;
	pk_value *meta = pk_doc_unpack_meta(doc); /* the loader packed it */
	pk_value *practice;

	if (!meta)
		return pk_diag_error(diags, doc->path, (pk_pos){ 1, 1 },
				     "the parsed front matter kept for this build could not be read "
				     "back; build again");
	practice = pk_site__practice_full(site, job->practice, meta, NULL);
	job->full = pk_site_overlay_top(practice);
	pk_site_scope_own(job->scope, "practice", practice);
	pk_buf_puts(extra, "body ");
	pk_buf_put_uint(extra, doc->body_len, 0);
	pk_buf_putc(extra, ' ');
	pk_buf_put_hex64(extra, doc->body_hash);
	pk_value_free(meta);
	return PK_OK;
}

/* On the worker, when the page is rendered: the body as HTML. */
static int practice_body(pk_site *site, void *arg, bool *pure, pk_diags *diags)
{
	practice_job *job = arg;
	bool published = false;
	char *html = NULL;
	int rc = pk_site__practice_html(site, job->practice, &html, &published, diags);

	pk_value_map_set(job->full, "content", str(html));
	free(html);
	if (published)
		*pure = false;
	return rc < 0 && rc != PK_ERROR ? PK_OK : rc;
}

static int render_practice(pk_site *site, pk_practice *p)
{
	pk_site_practice *sp = p->site_data;
	practice_job *pj = pk_xcalloc(1, sizeof(*pj));
	page_job job;

	job_init(&job, "practice", "practice", p->title, sp->url_path);
	job.description = pk_value_str(pk_value_map_get(sp->card, "summary"));
	crumb_home(site, &job);
	crumb(site, &job, pk_site__string(site, "list.all_practices", "Практики"), "practices/");
	pj->practice = p;
	pj->scope = job.scope;
	job.work.inputs = practice_inputs;
	job.work.data = practice_data;
	job.work.finish = practice_body;
	job.work.drop = free;
	job.work.arg = pj;
	return render_page(site, &job);
}

static int render_practices(pk_site *site)
{
	list_spec all = { "practices", pk_site__string(site, "list.all_practices", "Практики"),
			  "practices/", NULL, &site->cards, NULL, NULL };
	size_t i;
	int rc = render_list(site, &all);

	for (i = 0; i < site->practices.len && rc == PK_OK; i++)
		rc = render_practice(site, site->practices.items[i]);
	return rc;
}

/* ---- mentors -------------------------------------------------------- */

typedef struct {
	const char *id, *title, *url_path;
	pk_vec values;
} mentor_group;

static mentor_group *group_get(pk_vec *groups, const char *id, const char *title,
			       const char *folder)
{
	mentor_group *g;
	pk_buf url = PK_BUF_INIT;
	size_t i;

	for (i = 0; i < groups->len; i++)
		if (!strcmp(((mentor_group *)groups->items[i])->id, id))
			return groups->items[i];
	g = pk_xcalloc(1, sizeof(*g));
	g->id = id;
	g->title = title;
	pk_buf_printf(&url, "mentors/%s/%s/", folder, id);
	g->url_path = pk_buf_detach(&url);
	pk_vec_push(groups, g);
	return g;
}

static void groups_free(pk_vec *groups)
{
	size_t i;
	for (i = 0; i < groups->len; i++) {
		mentor_group *g = groups->items[i];
		free((char *)g->url_path);
		pk_vec_release(&g->values);
		free(g);
	}
	pk_vec_release(groups);
}

static void group_mentors(pk_site *site, pk_vec *by_form, pk_vec *by_region)
{
	size_t i, j;
	for (i = 0; i < site->mentors.len; i++) {
		pk_mentor *m = site->mentors.items[i];
		pk_value *v = ((pk_site_mentor *)m->site_data)->value;
		if (pk_mentor_consents(m, "forms"))
			for (j = 0; j < m->forms.len; j++) {
				const pk_vocab_entry *f = m->forms.items[j];
				pk_vec_push(&group_get(by_form, f->id, f->title, "forms")->values, v);
			}
		if (pk_mentor_consents(m, "region") && m->region)
			pk_vec_push(&group_get(by_region, m->region->id, m->region->title, "regions")->values, v);
	}
}

static pk_value *filter_links(pk_site *site, const pk_vec *groups, const char *current)
{
	pk_value *list = pk_value_new_list(NOPOS);
	size_t i;
	for (i = 0; i < groups->len; i++) {
		const mentor_group *g = groups->items[i];
		pk_value *link = pk_value_new_map(NOPOS);
		put(link, "id", str(g->id));
		put(link, "title", str(g->title));
		put(link, "url", pk_site__url_value(site, g->url_path));
		put(link, "count", pk_value_new_int((int64_t)g->values.len, NOPOS));
		put(link, "count_text", pk_site__count_text(site, "mentors", g->values.len));
		put(link, "current", pk_value_new_bool(current == g->url_path, NOPOS));
		pk_value_list_push(list, link);
	}
	return list;
}

/* Mentors a page: lists show four times as many mentors as practices. */
static size_t mentors_per_page(const pk_site *site)
{
	return (size_t)site->cfg->per_page * 4;
}

/* The groups mentors are filtered by (forms, then regions) as lines of
 * what their links show: standing in for every list page's filter links
 * in its fingerprint. */
static char *groups_text(const pk_vec *by_form, const pk_vec *by_region)
{
	const pk_vec *all[2] = { by_form, by_region };
	pk_buf text = PK_BUF_INIT;
	size_t i, j;

	for (i = 0; i < 2; i++) {
		for (j = 0; j < all[i]->len; j++) {
			const mentor_group *g = all[i]->items[j];
			pk_buf_printf(&text, "%s %s %zu %s\n", g->id, g->url_path, g->values.len,
				      g->title);
		}
		pk_buf_puts(&text, "--\n");
	}
	return pk_buf_detach(&text);
}

/* What a mentor list page shows, known on the main thread; its data is
 * made on the worker (everything it points to lives until the queue is
 * flushed at the end of render_mentors). */
typedef struct {
	const char *title;
	const mentor_group *filter; /* NULL: all mentors */
	const pk_vec *values, *by_form, *by_region;
	const char *groups;         /* groups_text */
	size_t number, total;
	pk_value *scope;
} mentors_job;

static void mentors_slice(const pk_site *site, const mentors_job *job, size_t *first, size_t *n)
{
	size_t per = mentors_per_page(site);
	*first = (job->number - 1) * per;
	*n = items_on_page(job->values->len, per, job->number);
}

static bool mentors_inputs(pk_site *site, void *arg)
{
	mentors_job *job = arg;
	pk_value *in = pk_value_new_map(NOPOS);
	size_t first, n;

	mentors_slice(site, job, &first, &n);
	put(in, "title", str(job->title));
	put(in, "filter", str(job->filter ? job->filter->url_path : NULL));
	pk_value_map_set(in, "items", pk_site_refs_slice(job->values, first, n));
	put(in, "count", int_value(job->values->len));
	put(in, "groups", str(job->groups));
	put(in, "number", int_value(job->number));
	put(in, "total", int_value(job->total));
	pk_site_scope_own(job->scope, "mentors", in);
	return true;
}

static int mentors_data(pk_site *site, void *arg, pk_buf *extra, pk_diags *diags)
{
	mentors_job *job = arg;
	const char *base = job->filter ? job->filter->url_path : "mentors/";
	pk_value *mentors = pk_value_new_map(NOPOS);
	size_t first, n;

	(void)extra;
	(void)diags;
	mentors_slice(site, job, &first, &n);
	put(mentors, "title", str(job->title));
	put(mentors, "filter_title", str(job->filter ? job->filter->title : NULL));
	pk_value_map_set(mentors, "items", pk_site_refs_slice(job->values, first, n));
	put(mentors, "count", int_value(job->values->len));
	put(mentors, "count_text", pk_site__count_text(site, "mentors", job->values->len));
	put(mentors, "forms", filter_links(site, job->by_form, base));
	put(mentors, "regions", filter_links(site, job->by_region, base));
	put(mentors, "pager", pager_value(site, base, job->number, job->total));
	pk_site__add_has_flags(mentors);
	pk_site_scope_own(job->scope, "mentors", mentors);
	return PK_OK;
}

static int render_mentor_page(pk_site *site, const mentors_job *spec, size_t number)
{
	mentors_job *mj = pk_xmalloc(sizeof(*mj));
	const char *base = spec->filter ? spec->filter->url_path : "mentors/";
	pk_buf path = PK_BUF_INIT, heading = PK_BUF_INIT;
	page_job job;
	int rc;

	page_path(&path, base, number);
	page_title(&heading, site, spec->filter ? spec->filter->title : spec->title, number);
	job_init(&job, "mentors", "mentors", heading.ptr, path.ptr);
	crumb_home(site, &job);
	if (spec->filter)
		crumb(site, &job, spec->title, "mentors/");
	*mj = *spec;
	mj->number = number;
	mj->scope = job.scope;
	job.work.inputs = mentors_inputs;
	job.work.data = mentors_data;
	job.work.drop = free;
	job.work.arg = mj;
	rc = render_page(site, &job);
	pk_buf_release(&path);
	pk_buf_release(&heading);
	return rc;
}

static int render_mentor_list(pk_site *site, const pk_vec *values, const mentor_group *filter,
			      const pk_vec *by_form, const pk_vec *by_region, const char *groups)
{
	mentors_job spec = { pk_site__string(site, "mentors.title", "Наши наставники"),
			     filter, values, by_form, by_region, groups, 0, 0, NULL };
	size_t i;
	int rc = PK_OK;

	spec.total = page_count(values->len, mentors_per_page(site));
	for (i = 1; i <= spec.total && rc == PK_OK; i++)
		rc = render_mentor_page(site, &spec, i);
	return rc;
}

static int render_mentor(pk_site *site, pk_mentor *m)
{
	pk_site_mentor *sm = m->site_data;
	page_job job;

	job_init(&job, "mentor", "mentor", pk_value_str(pk_mentor_field(m, "name")), sm->url_path);
	crumb_home(site, &job);
	crumb(site, &job, pk_site__string(site, "mentors.title", "Наши наставники"), "mentors/");
	pk_site_scope_set(job.scope, "mentor", sm->value);
	return render_page(site, &job);
}

static int render_mentors(pk_site *site)
{
	pk_vec by_form = PK_VEC_INIT, by_region = PK_VEC_INIT;
	char *groups;
	size_t i;
	int rc, rc2;

	group_mentors(site, &by_form, &by_region);
	groups = groups_text(&by_form, &by_region);
	rc = render_mentor_list(site, &site->mentor_values, NULL, &by_form, &by_region, groups);
	for (i = 0; i < by_form.len && rc == PK_OK; i++) {
		mentor_group *g = by_form.items[i];
		rc = render_mentor_list(site, &g->values, g, &by_form, &by_region, groups);
	}
	for (i = 0; i < by_region.len && rc == PK_OK; i++) {
		mentor_group *g = by_region.items[i];
		rc = render_mentor_list(site, &g->values, g, &by_form, &by_region, groups);
	}
	for (i = 0; i < site->mentors.len && rc == PK_OK; i++)
		rc = render_mentor(site, site->mentors.items[i]);
	/* the list pages' work points into the groups */
	rc2 = pk_site__queue_flush(site);
	groups_free(&by_form);
	groups_free(&by_region);
	free(groups);
	return rc == PK_OK ? rc2 : rc;
}

/* ---- home, free pages, 404 ------------------------------------------ */

static pk_value *terms_with_practices(const pk_site_taxonomy *t)
{
	pk_vec values = PK_VEC_INIT;
	pk_value *refs;
	size_t i;
	for (i = 0; i < t->terms.len; i++) {
		const pk_site_term *term = t->terms.items[i];
		if (term->practices.len)
			pk_vec_push(&values, term->value);
	}
	refs = pk_site_refs_new(&values);
	pk_vec_release(&values);
	return refs;
}

static size_t count_organizations(const pk_site *site)
{
	pk_strmap seen = PK_STRMAP_INIT;
	size_t i, n;
	for (i = 0; i < site->practices.len; i++) {
		const char *org = pk_value_str(pk_value_map_get(site->cards.items[i], "organization"));
		if (org)
			pk_strmap_add(&seen, org, strlen(org), (void *)1);
	}
	n = seen.len;
	pk_strmap_release(&seen);
	return n;
}

static pk_value *stats_value(pk_site *site)
{
	pk_value *s = pk_value_new_map(NOPOS);
	size_t regions = 0, organizations = count_organizations(site), i;
	for (i = 0; i < site->regions.terms.len; i++)
		regions += ((pk_site_term *)site->regions.terms.items[i])->practices.len > 0;
	put(s, "practices", pk_value_new_int((int64_t)site->practices.len, NOPOS));
	put(s, "practices_text", pk_site__count_text(site, "practices", site->practices.len));
	put(s, "mentors", pk_value_new_int((int64_t)site->mentors.len, NOPOS));
	put(s, "mentors_text", pk_site__count_text(site, "mentors", site->mentors.len));
	put(s, "regions", pk_value_new_int((int64_t)regions, NOPOS));
	put(s, "regions_text", pk_site__count_text(site, "regions", regions));
	put(s, "organizations", pk_value_new_int((int64_t)organizations, NOPOS));
	put(s, "organizations_text", pk_site__count_text(site, "organizations", organizations));
	return s;
}

static int render_home(pk_site *site)
{
	const pk_page *home = site->bank->home;
	size_t n = site->cards.len < HOME_LATEST ? site->cards.len : HOME_LATEST;
	page_job job;

	job_init(&job, "home", "home", site->cfg->title, "");
	if (home && home->title)
		job.title = home->title;
	if (home && home->description)
		job.description = home->description;
	pk_site_scope_own(job.scope, "content",
			  str(home ? ((pk_site_page *)home->site_data)->html : NULL));
	pk_site_scope_own(job.scope, "latest", pk_site_refs_slice(&site->cards, 0, n));
	pk_site_scope_own(job.scope, "has_latest", pk_value_new_bool(n > 0, NOPOS));
	pk_site_scope_own(job.scope, "forms", terms_with_practices(&site->forms));
	pk_site_scope_own(job.scope, "regions", terms_with_practices(&site->regions));
	pk_site_scope_own(job.scope, "stats", stats_value(site));
	return render_page(site, &job);
}

static int render_free_page(pk_site *site, pk_page *pg)
{
	page_job job;

	job_init(&job, "page", "page", pg->title, pg->url_path);
	job.description = pg->description;
	crumb_home(site, &job);
	pk_site_scope_own(job.scope, "content", str(((pk_site_page *)pg->site_data)->html));
	pk_site_scope_own(job.scope, "review", pk_site__annotation(site, pg->doc.rel));
	return render_page(site, &job);
}

static int render_not_found(pk_site *site)
{
	page_job job;
	job_init(&job, "404", "404", pk_site__string(site, "not_found.title", "Страница не найдена"),
		 "404.html");
	pk_site_scope_own(job.scope, "content", pk_value_new_null(NOPOS));
	return render_page(site, &job);
}

/* Pages a caller adds (see pk_site_opts.extra_pages), e.g. the list of
 * changes of a review preview. */
static int render_extra_pages(pk_site *site)
{
	const pk_value *list = site->opts->extra_pages;
	size_t i;
	int rc = PK_OK;

	for (i = 0; i < pk_value_len(list) && rc == PK_OK; i++) {
		const pk_value *spec = pk_value_list_at(list, i);
		const char *path = pk_value_str(pk_value_map_get(spec, "url_path"));
		const char *tmpl = pk_value_str(pk_value_map_get(spec, "template"));
		const pk_value *data = pk_value_map_get(spec, "data");
		page_job job;
		if (!path || !tmpl)
			continue;
		job_init(&job, "extra", tmpl, pk_value_str(pk_value_map_get(spec, "title")), path);
		crumb_home(site, &job);
		if (data)
			pk_site_scope_set(job.scope, "review", data);
		else
			pk_site_scope_own(job.scope, "review", pk_value_new_null(NOPOS));
		rc = render_page(site, &job);
	}
	return rc;
}

int pk_site__render_all(pk_site *site)
{
	pk_site_taxonomy *taxonomies[] = { &site->forms, &site->kinds, &site->regions,
					   &site->years, &site->tags };
	size_t i, j;
	int rc;

	for (i = 0; i < PK_ARRAY_SIZE(taxonomies); i++)
		for (j = 0; j < taxonomies[i]->terms.len; j++)
			pk_site__build_term_value(site, taxonomies[i]->terms.items[j]);
	for (i = 0; i < site->mentors.len; i++)
		pk_vec_push(&site->mentor_values, ((pk_site_mentor *)((pk_mentor *)site->mentors.items[i])->site_data)->value);
	rc = render_home(site);
	if (rc == PK_OK)
		rc = render_practices(site);
	for (i = 0; i < PK_ARRAY_SIZE(taxonomies) && rc == PK_OK; i++)
		rc = render_taxonomy(site, taxonomies[i]);
	if (rc == PK_OK)
		rc = render_mentors(site);
	for (i = 0; i < site->bank->pages.len && rc == PK_OK; i++)
		rc = render_free_page(site, site->bank->pages.items[i]);
	if (rc == PK_OK)
		rc = render_not_found(site);
	if (rc == PK_OK)
		rc = render_extra_pages(site);
	if (rc == PK_OK)
		rc = pk_site__queue_flush(site);
	return rc;
}
