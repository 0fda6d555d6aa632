/* The link phase: sorting, URLs, bodies, taxonomies. */
#include "site/site_internal.h"
#include "core/parallel.h"
#include "core/xalloc.h"
#include "markdown/markdown.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- sorting ------------------------------------------------------- */

static pk_site *sort_site; /* qsort has no payload; the link phase is single-threaded */

static int compare_practices(const void *a, const void *b)
{
	const pk_practice *x = *(pk_practice *const *)a, *y = *(pk_practice *const *)b;
	int c = pk_date_compare(y->date, x->date);
	if (c)
		return c;
	c = pk_text_compare(sort_site->collator, x->title ? x->title : "", x->title ? strlen(x->title) : 0,
			    y->title ? y->title : "", y->title ? strlen(y->title) : 0);
	return c ? c : strcmp(x->doc.slug, y->doc.slug);
}

/* Orders two ICU sort keys (bytes, compared as unsigned, shorter first). */
static int compare_sort_keys(const pk_buf *a, const pk_buf *b)
{
	size_t n = a->len < b->len ? a->len : b->len;
	int c = memcmp(a->ptr, b->ptr, n);
	if (c || a->len == b->len)
		return c;
	return a->len < b->len ? -1 : 1;
}

static int compare_mentors(const void *a, const void *b)
{
	const pk_mentor *x = *(pk_mentor *const *)a, *y = *(pk_mentor *const *)b;
	const pk_site_mentor *sx = x->site_data, *sy = y->site_data;
	int c = compare_sort_keys(&sx->sort_key, &sy->sort_key);
	return c ? c : strcmp(x->doc.slug, y->doc.slug);
}

static int compare_terms_by_key(const void *a, const void *b)
{
	const pk_site_term *x = *(pk_site_term *const *)a, *y = *(pk_site_term *const *)b;
	int c = compare_sort_keys(&x->sort_key, &y->sort_key);
	return c ? c : strcmp(x->id, y->id);
}

static int compare_years_desc(const void *a, const void *b)
{
	const pk_site_term *x = *(pk_site_term *const *)a, *y = *(pk_site_term *const *)b;
	return strcmp(y->id, x->id);
}

/* ---- URLs and bodies ------------------------------------------------ */

/* Files of different sources may share a path: keys carry the source. */
static void source_key(pk_buf *out, const pk_bank_source *origin, const char *rel)
{
	if (origin && *origin->name)
		pk_buf_printf(out, "%s\x1f", origin->name);
	pk_buf_puts(out, rel);
}

static void register_url(pk_site *site, const pk_doc *doc, const char *url_path)
{
	pk_buf key = PK_BUF_INIT;
	source_key(&key, doc->origin, doc->rel);
	pk_strmap_set(&site->url_by_rel, key.ptr, key.len, (void *)url_path);
	pk_buf_release(&key);
}

const char *pk_site__url_of(const pk_site *site, const pk_bank_source *origin, const char *rel)
{
	pk_buf key = PK_BUF_INIT;
	const char *url;
	source_key(&key, origin, rel);
	url = pk_strmap_get(&site->url_by_rel, key.ptr, key.len);
	pk_buf_release(&key);
	return url;
}

/* Every file of every source's content/, listed once, the first time a
 * body links to a file: a rebuild whose pages were all kept from the
 * last build (no body rendered) never lists content/ at all. Called
 * with files_lock held. */
static void list_content_files(pk_site *site)
{
	size_t i, j;
	for (i = 0; i < site->bank->sources.len; i++) {
		const pk_bank_source *origin = site->bank->sources.items[i];
		pk_vec files = PK_VEC_INIT;
		pk_source_list(origin->src, &files, "content", NULL);
		for (j = 0; j < files.len; j++) {
			pk_buf key = PK_BUF_INIT;
			source_key(&key, origin, files.items[j]);
			pk_strmap_set(&site->content_files, key.ptr, key.len, (void *)1);
			pk_buf_release(&key);
			free(files.items[j]);
		}
		pk_vec_release(&files);
	}
	site->content_listed = true;
}

int pk_site__publish(pk_buf *out, pk_site *site, const pk_bank_source *origin, const char *rel)
{
	pk_buf key = PK_BUF_INIT, path = PK_BUF_INIT;
	bool exists;

	if (strncmp(rel, "content/", 8) || !pk_source_path_is_safe(rel))
		return PK_ENOTFOUND;
	source_key(&key, origin, rel);
	pthread_mutex_lock(&site->files_lock);
	if (!site->content_listed)
		list_content_files(site);
	exists = pk_strmap_get(&site->content_files, key.ptr, key.len) != NULL;
	pk_buf_release(&key);
	if (!exists) {
		pthread_mutex_unlock(&site->files_lock);
		return PK_ENOTFOUND;
	}
	if (*origin->name)
		pk_buf_printf(&path, "sources/%s/", origin->name);
	pk_buf_puts(&path, rel + 8);
	if (!pk_strmap_get(&site->files, path.ptr, path.len)) {
		pk_site_file *file = pk_xcalloc(1, sizeof(*file));
		file->src = origin->src;
		file->src_rel = pk_xstrdup(rel);
		pk_strmap_add(&site->files, path.ptr, path.len, file);
	}
	pthread_mutex_unlock(&site->files_lock);
	pk_buf_put(out, path.ptr, path.len);
	pk_buf_release(&path);
	return PK_OK;
}

typedef struct {
	pk_site *site;
	const pk_doc *doc;
	pk_diags *diags; /* the caller's: rendering may run on a worker */
	bool published;  /* a link published a file */
} link_ctx;

static bool is_external(const char *url)
{
	const char *p = url;
	if (url[0] == '#' || url[0] == '?' || url[0] == '\0' || !strncmp(url, "//", 2))
		return true;
	while (*p && *p != '/' && *p != '?' && *p != '#') {
		if (*p == ':')
			return true;
		p++;
	}
	return false;
}

/* Resolves url against the folder of from ("content/practices/x.md") into
 * out, dropping "." and "..". False when it climbs out of the bank. */
static bool resolve_relative(pk_buf *out, const char *from, const char *url, size_t url_len)
{
	const char *slash = strrchr(from, '/');
	pk_buf joined = PK_BUF_INIT;
	char *segment, *save = NULL;
	bool ok = true;

	pk_buf_put(&joined, from, slash ? (size_t)(slash - from + 1) : 0);
	pk_buf_put(&joined, url, url_len);
	for (segment = strtok_r(joined.ptr, "/", &save); segment; segment = strtok_r(NULL, "/", &save)) {
		if (!strcmp(segment, "."))
			continue;
		if (!strcmp(segment, "..")) {
			char *last = out->len ? strrchr(out->ptr, '/') : NULL;
			if (!out->len) {
				ok = false;
				break;
			}
			pk_buf_truncate(out, last ? (size_t)(last - out->ptr) : 0);
			continue;
		}
		if (out->len)
			pk_buf_putc(out, '/');
		pk_buf_puts(out, segment);
	}
	pk_buf_release(&joined);
	return ok;
}

static int publish_file(pk_site *site, const pk_doc *doc, pk_buf *out, const char *rel)
{
	pk_buf path = PK_BUF_INIT;
	int rc = pk_site__publish(&path, site, doc->origin, rel);
	if (rc == PK_OK)
		pk_site__href(out, site, path.ptr);
	pk_buf_release(&path);
	return rc;
}

static int rewrite_link(pk_buf *out, const char *url, pk_pos where, void *payload)
{
	link_ctx *ctx = payload;
	pk_buf rel = PK_BUF_INIT;
	size_t len = strcspn(url, "#?");
	const char *target;
	int rc = PK_ENOTFOUND;

	if (is_external(url))
		goto done;
	if (url[0] == '/') { /* from the site's root: add the sub-folder */
		if (strncmp(url, ctx->site->cfg->base_path, strlen(ctx->site->cfg->base_path)) != 0)
			pk_site__href(out, ctx->site, url + 1);
		else
			pk_buf_puts(out, url);
		rc = PK_OK;
		goto done;
	}
	if (!resolve_relative(&rel, ctx->doc->rel, url, len))
		goto done;
	if ((target = pk_site__url_of(ctx->site, ctx->doc->origin, rel.ptr))) {
		pk_site__href(out, ctx->site, target);
		pk_buf_puts(out, url + len);
		rc = PK_OK;
	} else if (len > 3 && !strncmp(url + len - 3, ".md", 3)) {
		pk_diag_warning(ctx->diags, ctx->doc->path, where,
				"link to '%.*s' leads to no published page", (int)len, url);
	} else {
		rc = publish_file(ctx->site, ctx->doc, out, rel.ptr);
		if (rc == PK_OK)
			ctx->published = true;
		if (rc == PK_OK)
			pk_buf_puts(out, url + len);
		else
			pk_diag_warning(ctx->diags, ctx->doc->path, where,
					"link to '%.*s' leads to no file in the bank", (int)len, url);
	}
done:
	pk_buf_release(&rel);
	return rc;
}

/* Renders a doc's Markdown body; *plain (if given) gets its plain text.
 * heading_shift: 1 where the body sits under the page's own h2 sections
 * (practices, biographies), 0 on free pages where "##" is a section. */
static int render_body_to(pk_site *site, const pk_doc *doc, int heading_shift, char **html,
			  char **plain, bool *published, pk_diags *diags)
{
	pk_markdown_opts opts = PK_MARKDOWN_OPTS_INIT;
	pk_markdown_info info = PK_MARKDOWN_INFO_INIT;
	pk_buf out = PK_BUF_INIT, text = PK_BUF_INIT;
	link_ctx ctx = { site, doc, diags, false };
	pk_slice body;
	int rc;

	*html = NULL;
	if (plain)
		*plain = NULL;
	if ((rc = pk_doc_body(doc, &text, &body, diags)) < 0)
		return rc;
	opts.allow_raw_html = site->cfg->allow_raw_html;
	opts.heading_shift = heading_shift;
	opts.rewrite_link = rewrite_link;
	opts.payload = &ctx;
	opts.path = doc->path;
	opts.first_line = doc->body_line;
	opts.utf8_checked = true; /* the whole file was checked when it was loaded */
	rc = pk_markdown_render(&out, body.p, body.len, &opts, plain ? &info : NULL, diags);
	pk_buf_release(&text);
	*html = pk_buf_detach(&out);
	if (plain)
		*plain = pk_buf_detach(&info.plain_text);
	if (published)
		*published = ctx.published;
	pk_markdown_info_release(&info);
	return rc;
}

static int render_body(pk_site *site, const pk_doc *doc, int heading_shift, char **html,
		       char **plain)
{
	return render_body_to(site, doc, heading_shift, html, plain, NULL, site->diags);
}

int pk_site__practice_html(pk_site *site, const pk_practice *p, char **html, bool *published,
			   pk_diags *diags)
{
	return render_body_to(site, &p->doc, 1, html, NULL, published, diags);
}

void pk_site__link_key(const pk_site *site, pk_buf *out)
{
	size_t i;

	pk_buf_printf(out, "base %zu:%s raw %d\n", strlen(site->cfg->base_path),
		      site->cfg->base_path, site->cfg->allow_raw_html ? 1 : 0);
	for (i = 0; i < site->url_by_rel.len; i++) { /* "LEN:KEY LEN:URL\n", a line per file */
		const pk_strmap_entry *e = &site->url_by_rel.entries[i];
		const char *url = e->value;
		size_t url_len = strlen(url);
		pk_buf_put_uint(out, e->key_len, 0);
		pk_buf_putc(out, ':');
		pk_buf_put(out, e->key, e->key_len);
		pk_buf_putc(out, ' ');
		pk_buf_put_uint(out, url_len, 0);
		pk_buf_putc(out, ':');
		pk_buf_put(out, url, url_len);
		pk_buf_putc(out, '\n');
	}
}

/* ---- practices and mentors ------------------------------------------ */

static void assign_urls(pk_site *site)
{
	size_t i;
	for (i = 0; i < site->practices.len; i++) {
		pk_practice *p = site->practices.items[i];
		pk_site_practice *sp = pk_xcalloc(1, sizeof(*sp));
		pk_buf url = PK_BUF_INIT;
		pk_buf_puts(&url, "practices/");
		pk_buf_puts(&url, p->doc.slug);
		pk_buf_putc(&url, '/');
		sp->url_path = pk_buf_detach(&url);
		sp->order = i;
		p->site_data = sp;
		register_url(site, &p->doc, sp->url_path);
	}
	for (i = 0; i < site->mentors.len; i++) {
		pk_mentor *m = site->mentors.items[i];
		pk_site_mentor *sm = m->site_data;
		pk_buf url = PK_BUF_INIT;
		pk_buf_puts(&url, "mentors/");
		pk_buf_puts(&url, m->doc.slug);
		pk_buf_putc(&url, '/');
		sm->url_path = pk_buf_detach(&url);
		register_url(site, &m->doc, sm->url_path);
	}
	for (i = 0; i < site->bank->pages.len; i++) {
		pk_page *pg = site->bank->pages.items[i];
		register_url(site, &pg->doc, pg->url_path);
	}
}

static void collect_mentors(pk_site *site)
{
	size_t i;
	for (i = 0; i < site->bank->mentors.len; i++) {
		pk_mentor *m = site->bank->mentors.items[i];
		pk_site_mentor *sm;
		if (!m->published)
			continue;
		sm = pk_xcalloc(1, sizeof(*sm));
		pk_text_sort_key(&sm->sort_key, site->collator, m->name, strlen(m->name));
		m->site_data = sm;
		pk_vec_push(&site->mentors, m);
	}
	pk_vec_sort(&site->mentors, compare_mentors);
}

/* Bodies rendered on all threads, one message list each, kept in order. */
typedef struct {
	pk_site *site;
	pk_diags *diags; /* one per item */
	bool *failed;    /* one per item */
} bodies_job;

/* The plain text of a practice without a goal, for its summary; the
 * bodies themselves are rendered by the workers with their pages. */
static void practice_plain_of(void *payload, size_t i, unsigned worker)
{
	bodies_job *job = payload;
	pk_practice *p = job->site->practices.items[i];
	pk_site_practice *sp = p->site_data;
	const char *goal = pk_doc_text(&p->doc, "goal");
	char *html = NULL;

	(void)worker;
	if (goal && *goal)
		return;
	job->failed[i] = render_body_to(job->site, &p->doc, 1, &html, &sp->plain, NULL,
					&job->diags[i]) < 0;
	free(html);
}

static void mentor_bio_of(void *payload, size_t i, unsigned worker)
{
	bodies_job *job = payload;
	pk_mentor *m = job->site->mentors.items[i];
	pk_site_mentor *sm = m->site_data;

	(void)worker;
	if (pk_mentor_consents(m, "bio"))
		job->failed[i] = render_body_to(job->site, &m->doc, 1, &sm->bio_html, NULL, NULL,
						&job->diags[i]) < 0;
}

/* Runs fn for n items on all threads, then hands their messages to the
 * site in item order, so they read the same whatever the threads. */
static int render_in_parallel(pk_site *site, size_t n, pk_parallel_fn fn)
{
	bodies_job job = { site, pk_xcalloc(n ? n : 1, sizeof(pk_diags)),
			   pk_xcalloc(n ? n : 1, sizeof(bool)) };
	size_t i;
	int rc = PK_OK;

	pk_parallel_for(n, site->threads, fn, &job);
	for (i = 0; i < n; i++) {
		pk_diags_move(site->diags, &job.diags[i]);
		if (job.failed[i])
			rc = PK_ERROR;
	}
	free(job.diags);
	free(job.failed);
	return rc;
}

static int render_bodies(pk_site *site)
{
	size_t i;
	int rc = render_in_parallel(site, site->practices.len, practice_plain_of);

	for (i = 0; i < site->bank->pages.len; i++) {
		pk_page *pg = site->bank->pages.items[i];
		pk_site_page *spg = pk_xcalloc(1, sizeof(*spg));
		pg->site_data = spg;
		spg->url_path = pg->url_path;
		if (render_body(site, &pg->doc, 0, &spg->html, NULL) < 0)
			rc = PK_ERROR;
	}
	if (render_in_parallel(site, site->mentors.len, mentor_bio_of) < 0)
		rc = PK_ERROR;
	if (site->bank->home) {
		pk_site_page *spg = pk_xcalloc(1, sizeof(*spg));
		site->bank->home->site_data = spg;
		if (render_body(site, &site->bank->home->doc, 0, &spg->html, NULL) < 0)
			rc = PK_ERROR;
	}
	return rc;
}

/* ---- taxonomies ----------------------------------------------------- */

static void taxonomy_init(pk_site_taxonomy *t, const char *name, const char *term_kind,
			  const char *index_kind, bool keep_empty)
{
	memset(t, 0, sizeof(*t));
	t->name = name;
	t->term_kind = term_kind;
	t->index_kind = index_kind;
	t->keep_empty = keep_empty;
}

static pk_site_term *term_get(pk_site *site, pk_site_taxonomy *t, const char *id,
			      const char *title, const pk_vocab_entry *entry)
{
	pk_site_term *term = pk_strmap_get(&t->by_id, id, strlen(id));
	pk_buf url = PK_BUF_INIT;

	if (term)
		return term;
	term = pk_xcalloc(1, sizeof(*term));
	term->id = id;
	term->title = title;
	term->entry = entry;
	pk_buf_puts(&url, t->name);
	pk_buf_putc(&url, '/');
	pk_buf_puts(&url, id);
	pk_buf_putc(&url, '/');
	term->url_path = pk_buf_detach(&url);
	pk_text_sort_key(&term->sort_key, site->collator, title, strlen(title));
	pk_strmap_add(&t->by_id, id, strlen(id), term);
	pk_vec_push(&t->terms, term);
	return term;
}

/* (The term's cards follow once the cards are made: add_cards.) */
static void term_add(pk_site_term *term, pk_practice *p)
{
	pk_vec_push(&term->practices, p);
}

static void add_cards(pk_site_taxonomy *t)
{
	size_t i, j;
	for (i = 0; i < t->terms.len; i++) {
		pk_site_term *term = t->terms.items[i];
		for (j = 0; j < term->practices.len; j++) {
			const pk_practice *p = term->practices.items[j];
			pk_vec_push(&term->cards, ((const pk_site_practice *)p->site_data)->card);
		}
	}
}

static void seed_vocab_terms(pk_site *site, pk_site_taxonomy *t, const pk_vocab *v)
{
	size_t i;
	for (i = 0; i < v->len; i++)
		term_get(site, t, v->items[i].id, v->items[i].title, &v->items[i]);
}

/* A copy of s that lives as long as the site. */
static const char *keep_string(pk_site *site, const char *s, size_t len)
{
	pk_value *keep = pk_value_new_string(s, len, (pk_pos){ 0, 0 });
	pk_value_list_push(site->owned, keep);
	return keep->as.str.ptr;
}

/* The term of a free-form taxonomy (years, tags) with this slug. */
static pk_site_term *free_term(pk_site *site, pk_site_taxonomy *t, const char *slug,
			       const char *title)
{
	pk_site_term *term = pk_strmap_get(&t->by_id, slug, strlen(slug));
	if (term)
		return term;
	return term_get(site, t, keep_string(site, slug, strlen(slug)),
			keep_string(site, title, strlen(title)), NULL);
}

/* A tag's slug, made once for every practice with that tag: a bank has
 * a few hundred tags on tens of thousands of practices. */
static const char *tag_slug(pk_site *site, const char *tag)
{
	size_t len = strlen(tag);
	const char *slug = pk_strmap_get(&site->tag_slugs, tag, len);
	pk_buf made = PK_BUF_INIT;

	if (slug)
		return slug;
	pk_text_slugify(&made, tag, len);
	slug = keep_string(site, made.ptr, made.len);
	pk_strmap_set(&site->tag_slugs, tag, len, (void *)slug);
	pk_buf_release(&made);
	return slug;
}

static void add_year_and_tags(pk_site *site, pk_practice *p)
{
	char year[16];
	size_t i;

	snprintf(year, sizeof(year), "%d", p->year);
	term_add(free_term(site, &site->years, year, year), p);
	for (i = 0; i < p->tags.len; i++) {
		const char *tag = p->tags.items[i];
		pk_site_term *term = free_term(site, &site->tags, tag_slug(site, tag), tag);
		if (!term->practices.len || term->practices.items[term->practices.len - 1] != p)
			term_add(term, p);
	}
}

const char *pk_site__tag_slug(const pk_site *site, const char *tag)
{
	return pk_strmap_get(&site->tag_slugs, tag, strlen(tag));
}

static void build_taxonomies(pk_site *site)
{
	size_t i, j;

	seed_vocab_terms(site, &site->forms, &site->bank->forms);
	seed_vocab_terms(site, &site->kinds, &site->bank->kinds);
	for (i = 0; i < site->practices.len; i++) {
		pk_practice *p = site->practices.items[i];
		if (p->form)
			term_add(term_get(site, &site->forms, p->form->id, p->form->title, p->form), p);
		for (j = 0; j < p->kinds.len; j++) {
			const pk_vocab_entry *k = p->kinds.items[j];
			term_add(term_get(site, &site->kinds, k->id, k->title, k), p);
		}
		if (p->region)
			term_add(term_get(site, &site->regions, p->region->id, p->region->title, p->region), p);
		add_year_and_tags(site, p);
	}
	pk_vec_sort(&site->regions.terms, compare_terms_by_key);
	pk_vec_sort(&site->tags.terms, compare_terms_by_key);
	pk_vec_sort(&site->years.terms, compare_years_desc);
}

/* Cards only read the linked practices and the site's strings, so they
 * are built on all threads; each goes to its own practice. */
static void build_card_of(void *payload, size_t i, unsigned worker)
{
	pk_site *site = payload;
	(void)worker;
	pk_site__build_card(site, site->practices.items[i]);
}

/* Each mentor's list of practices touches only that mentor's value. */
static void finish_mentor_of(void *payload, size_t i, unsigned worker)
{
	pk_site *site = payload;
	(void)worker;
	pk_site__finish_mentor_value(site, site->mentors.items[i]);
}

int pk_site__link(pk_site *site)
{
	pk_site_taxonomy *taxonomies[] = { &site->forms, &site->kinds, &site->regions,
					   &site->years, &site->tags };
	pk_parallel_job *cards;
	size_t i;
	int rc = PK_OK;

	taxonomy_init(&site->forms, "forms", "form", "forms", true);
	taxonomy_init(&site->kinds, "kinds", "kind", "kinds", true);
	taxonomy_init(&site->regions, "regions", "region", "regions", false);
	taxonomy_init(&site->years, "years", "year", "years", false);
	taxonomy_init(&site->tags, "tags", "tag", "tags", false);
	for (i = 0; i < site->bank->practices.len; i++)
		pk_vec_push(&site->practices, site->bank->practices.items[i]);
	sort_site = site;
	pk_vec_sort(&site->practices, compare_practices);
	collect_mentors(site);
	assign_urls(site);
	if (render_bodies(site) < 0)
		rc = PK_ERROR;
	pk_site__build_entry_refs(site);
	/* the pool makes the cards while this thread makes what reads none
	 * (with one thread, the cards are made in pk_parallel_finish) */
	cards = pk_parallel_start(site->practices.len, site->threads, build_card_of, site);
	for (i = 0; i < site->mentors.len; i++)
		pk_site__build_mentor_value(site, site->mentors.items[i]);
	build_taxonomies(site);
	pk_parallel_finish(cards);
	for (i = 0; i < site->practices.len; i++) {
		pk_practice *p = site->practices.items[i];
		pk_vec_push(&site->cards, ((pk_site_practice *)p->site_data)->card);
	}
	for (i = 0; i < PK_ARRAY_SIZE(taxonomies); i++)
		add_cards(taxonomies[i]);
	pk_parallel_for(site->mentors.len, site->threads, finish_mentor_of, site);
	return rc;
}
