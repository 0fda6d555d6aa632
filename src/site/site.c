/* pk_site_build: the link, render and write phases in order. */
#include "site/site_internal.h"
#include "core/xalloc.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

static void free_terms(pk_site_taxonomy *t)
{
	size_t i;
	for (i = 0; i < t->terms.len; i++) {
		pk_site_term *term = t->terms.items[i];
		free(term->url_path);
		pk_vec_release(&term->practices);
		pk_vec_release(&term->cards);
		pk_value_free(term->value);
		pk_buf_release(&term->sort_key);
		free(term);
	}
	pk_vec_release(&t->terms);
	pk_strmap_release(&t->by_id);
}

static void free_practice_data(pk_practice *p)
{
	pk_site_practice *sp = p->site_data;
	if (!sp)
		return;
	free(sp->url_path);
	pk_value_free(sp->card);
	free(sp->plain);
	free(sp);
	p->site_data = NULL;
}

static void free_mentor_data(pk_mentor *m)
{
	pk_site_mentor *sm = m->site_data;
	if (!sm)
		return;
	free(sm->url_path);
	pk_value_free(sm->value);
	pk_value_free(sm->ref);
	pk_buf_release(&sm->sort_key);
	free(sm->bio_html);
	free(sm);
	m->site_data = NULL;
}

static void free_page_data(pk_page *pg)
{
	pk_site_page *spg = pg ? pg->site_data : NULL;
	if (!spg)
		return;
	free(spg->html);
	free(spg);
	pg->site_data = NULL;
}

static void site_release(pk_site *site)
{
	size_t i;
	/* first: a build that stopped early may have pages on the workers,
	 * reading everything below */
	pk_site__queue_release(site);
	for (i = 0; i < site->practices.len; i++)
		free_practice_data(site->practices.items[i]);
	for (i = 0; i < site->mentors.len; i++)
		free_mentor_data(site->mentors.items[i]);
	for (i = 0; i < site->bank->pages.len; i++)
		free_page_data(site->bank->pages.items[i]);
	free_page_data(site->bank->home);
	free_terms(&site->forms);
	free_terms(&site->kinds);
	free_terms(&site->regions);
	free_terms(&site->years);
	free_terms(&site->tags);
	pk_vec_release(&site->practices);
	pk_vec_release(&site->cards);
	pk_vec_release(&site->mentors);
	pk_vec_release(&site->mentor_values);
	pk_strmap_release(&site->url_by_rel);
	pk_value_fp_memo_free(site->fp_memo);
	pk_site__free_entry_refs(site);
	for (i = 0; i < site->files.len; i++) {
		pk_site_file *f = site->files.entries[i].value;
		free(f->src_rel);
		free(f);
	}
	pk_strmap_release(&site->files);
	pk_strmap_release(&site->content_files);
	pk_strmap_release(&site->tag_slugs);
	pthread_mutex_destroy(&site->files_lock);
	pk_value_free(site->site_value);
	pk_value_free(site->owned);
	pk_text_collator_free(site->collator);
	pk_theme_close(&site->theme);
}

/* ---- static files --------------------------------------------------- */

static int copy_file(pk_site *site, pk_source *src, const char *src_path, const char *rel)
{
	pk_buf data = PK_BUF_INIT;
	int rc = pk_source_read(src, &data, src_path, site->diags);
	if (rc == PK_OK && !pk_output_has(site->out, rel)) {
		rc = pk_output_write(site->out, rel, data.ptr, data.len, site->diags);
		site->stats->files++;
	}
	pk_buf_release(&data);
	return rc;
}

static int copy_theme_static(pk_source *src, const char *src_path, const char *rel, void *payload)
{
	return copy_file(payload, src, src_path, rel);
}

static bool has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && !strcmp(s + n - m, suffix);
}

/* Finds the stylesheets among the theme's static files for the `site`
 * value: every .css in assets/css/, print.css separately. */
static int note_stylesheet(pk_source *src, const char *src_path, const char *rel, void *payload)
{
	pk_site *site = payload;
	pk_value *url, *item;
	(void)src;
	(void)src_path;
	if (strncmp(rel, "assets/css/", 11) || !has_suffix(rel, ".css") || strchr(rel + 11, '/'))
		return PK_OK;
	url = pk_site__url_value(site, rel);
	item = pk_value_new_map((pk_pos){ 0, 0 });
	pk_value_map_set(item, "url", url);
	if (!strcmp(rel, "assets/css/print.css"))
		pk_value_map_set(site->site_value, "print_stylesheet", item);
	else
		pk_value_list_push(pk_value_map_get(site->site_value, "stylesheets"), item);
	return PK_OK;
}

static int copy_bank_static(pk_site *site)
{
	pk_vec files = PK_VEC_INIT;
	size_t i;
	int rc = pk_source_list(site->bank->src, &files, "static", site->diags);

	for (i = 0; i < files.len; i++) {
		if (rc == PK_OK)
			rc = copy_file(site, site->bank->src, files.items[i], (char *)files.items[i] + 7);
		free(files.items[i]);
	}
	pk_vec_release(&files);
	return rc;
}

static int copy_content_files(pk_site *site)
{
	size_t i;
	int rc = PK_OK;
	for (i = 0; i < site->files.len && rc == PK_OK; i++) {
		const pk_site_file *f = site->files.entries[i].value;
		rc = copy_file(site, f->src, f->src_rel, site->files.entries[i].key);
	}
	return rc;
}

/* ---- the build ------------------------------------------------------ */

static double now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Digests of what many pages show: the vocabulary entries cards refer
 * to, the cards, the mentors (whose values hold their cards), each kind
 * in one go on all threads. */
static void remember_shared_values(pk_site *site)
{
	pk_value_fp ctx = { NULL, site->fp_shared, PK_ARRAY_SIZE(site->fp_shared), NULL, 0 };
	pk_vec values = PK_VEC_INIT, refs = PK_VEC_INIT;
	size_t i;

	site->fp_memo = pk_value_fp_memo_new();
	for (i = 0; i < site->entry_refs.len; i++)
		pk_value_fp_memo_add(site->fp_memo, &ctx, site->entry_refs.entries[i].value);
	pk_value_fp_memo_add_all(site->fp_memo, &ctx, (const pk_value *const *)site->cards.items,
				 site->cards.len, site->threads);
	for (i = 0; i < site->mentors.len; i++) {
		const pk_site_mentor *sm = ((const pk_mentor *)site->mentors.items[i])->site_data;
		pk_vec_push(&values, sm->value);
		pk_vec_push(&refs, sm->ref);
	}
	pk_value_fp_memo_add_all(site->fp_memo, &ctx, (const pk_value *const *)values.items,
				 values.len, site->threads);
	pk_value_fp_memo_add_all(site->fp_memo, &ctx, (const pk_value *const *)refs.items, refs.len,
				 site->threads);
	pk_vec_release(&values);
	pk_vec_release(&refs);
}

/* The key of this build's page records: what every page's data depends
 * on besides itself (the build's own key, the templates, the `site` map
 * and the strings, what body links resolve against). Last build's records
 * count only under the same key. No records when the shared values
 * cannot be described. */
static void start_page_records(pk_site *site)
{
	pk_buf bytes = PK_BUF_INIT;
	pk_value_fp fp = { &bytes, NULL, 0, NULL, 0 };
	pk_pagerec *recs = site->opts->new_pages;
	bool ok;

	if (!recs)
		return;
	pk_buf_printf(&bytes, "%s\n", site->opts->build_key ? site->opts->build_key : "");
	pk_theme_key(&site->theme, &bytes);
	pk_site__link_key(site, &bytes);
	/* what every page's frame is made of besides its own (queue.c) */
	pk_buf_printf(&bytes, "%s\n", site->cfg->description ? site->cfg->description : "");
	ok = pk_value_fingerprint(&fp, site->site_value) && pk_value_fingerprint(&fp, site->strings) &&
	     (!site->cfg->menu || pk_value_fingerprint(&fp, site->cfg->menu));
	recs->key = pk_pagerec_hash(bytes.ptr, bytes.len);
	pk_buf_release(&bytes);
	if (!ok)
		return;
	site->new_pages = recs;
	site->fp_shared[0] = site->site_value;
	site->fp_shared[1] = site->strings;
	remember_shared_values(site);
	if (site->opts->old_pages && pk_pagerec_fp_equal(site->opts->old_pages->key, recs->key))
		site->old_pages = site->opts->old_pages;
}

static int open_site(pk_site *site, pk_output *out, pk_bank *bank, const pk_site_opts *opts,
		     pk_site_stats *stats, pk_diags *diags)
{
	unsigned flags = (opts->flags & PK_SITE_STRICT) ? PK_TMPL_STRICT : 0;
	int rc;

	memset(site, 0, sizeof(*site));
	site->bank = bank;
	site->cfg = &bank->config;
	site->opts = opts;
	site->out = out;
	site->diags = diags;
	site->stats = stats;
	site->owned = pk_value_new_list((pk_pos){ 0, 0 });
	pthread_mutex_init(&site->files_lock, NULL);
	site->threads = opts->threads > 0 ? opts->threads : 1;
	site->progress = opts->progress;
	site->progress_payload = opts->progress_payload;
	rc = pk_theme_open(&site->theme, bank->src, site->cfg->theme, site->cfg->language, flags, diags);
	site->strings = site->theme.strings;
	if (rc == PK_OK)
		rc = pk_text_collator_new(&site->collator, site->cfg->language);
	return rc;
}

int pk_site_build(pk_output *out, pk_bank *bank, const pk_site_opts *opts,
		  pk_site_stats *stats, pk_diags *diags)
{
	pk_site_opts defaults = PK_SITE_OPTS_INIT;
	pk_site_stats ignored = { 0, 0, 0, 0 };
	pk_site site;
	int rc;

	rc = open_site(&site, out, bank, opts ? opts : &defaults, stats ? stats : &ignored, diags);
	if (rc == PK_OK) {
		double start = now_seconds();
		rc = pk_site__link(&site);
		site.stats->link_seconds = now_seconds() - start;
	}
	if (rc == PK_OK) {
		site.site_value = pk_site__build_site_value(&site);
		rc = pk_theme_each_static(&site.theme, note_stylesheet, &site, diags);
	}
	if (rc == PK_OK) {
		start_page_records(&site);
		rc = pk_site__render_all(&site);
	}
	if (rc == PK_OK)
		rc = pk_site__write_feeds(&site);
	if (rc == PK_OK)
		rc = copy_bank_static(&site);
	if (rc == PK_OK)
		rc = pk_theme_each_static(&site.theme, copy_theme_static, &site, diags);
	if (rc == PK_OK)
		rc = copy_content_files(&site);
	site.stats->files += site.stats->pages + 3;
	/* A build that stopped early may still have pages on the workers,
	 * which site_release waits for; after a whole build it only frees. */
	if (rc != PK_OK || !(site.opts->flags & PK_SITE_LEAVE_MEMORY))
		site_release(&site);
	return rc;
}
