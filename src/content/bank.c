#include "content/bank.h"
#include "core/fs.h"
#include "core/hash.h"
#include "core/parallel.h"
#include "core/xalloc.h"
#include "source/git.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

static bool ends_with_md(const char *path)
{
	size_t n = strlen(path);
	return n > 3 && !strcmp(path + n - 3, ".md");
}

static void set_today(pk_bank *bank)
{
	time_t now;
	struct tm tm;

	if (bank->opts.today.year)
		return;
	now = time(NULL);
	gmtime_r(&now, &tm);
	bank->opts.today = (pk_date){ tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday };
}

static int load_vocabs(pk_bank *bank, pk_diags *diags)
{
	int rc = PK_OK;
	if (pk_vocab_load(&bank->forms, "forms", "form", bank->src, diags) < 0)
		rc = PK_ERROR;
	if (pk_vocab_load(&bank->kinds, "kinds", "kind", bank->src, diags) < 0)
		rc = PK_ERROR;
	if (pk_vocab_load(&bank->regions, "regions", "region", bank->src, diags) < 0)
		rc = PK_ERROR;
	return rc;
}

typedef int (*load_fn)(pk_bank *, const pk_bank_source *, const char *, pk_diags *);

/* Calls load(rel) for every .md file under dir of one source. */
static int load_each(pk_bank *bank, const pk_bank_source *origin, const char *dir, load_fn load,
		     pk_diags *diags)
{
	pk_vec files = PK_VEC_INIT;
	size_t i;
	int rc = pk_source_list(origin->src, &files, dir, diags);

	for (i = 0; i < files.len; i++) {
		if (ends_with_md(files.items[i]) && load(bank, origin, files.items[i], diags) < 0)
			rc = PK_ERROR;
		free(files.items[i]);
	}
	pk_vec_release(&files);
	return rc;
}

/* Loads the practices or mentors of every source. */
static int load_all(pk_bank *bank, const char *dir, pk_bank_kind kind, pk_diags *diags)
{
	size_t i;
	int rc = PK_OK;
	for (i = 0; i < bank->sources.len; i++)
		if (pk_bank__load_files(bank, bank->sources.items[i], dir, kind, diags) < 0)
			rc = PK_ERROR;
	return rc;
}

static int load_page(pk_bank *bank, const pk_bank_source *origin, const char *rel,
		     pk_diags *diags)
{
	pk_page *p = pk_xcalloc(1, sizeof(*p));
	int rc = pk_page_load(p, origin, rel, diags);

	if (!p->doc.meta || (p->draft && !(bank->opts.flags & PK_BANK_DRAFTS))) {
		pk_page_release(p);
		free(p);
		return rc;
	}
	pk_vec_push(&bank->pages, p);
	return rc;
}

static int load_home(pk_bank *bank, pk_diags *diags)
{
	pk_buf probe = PK_BUF_INIT;
	int rc = pk_source_read(bank->src, &probe, "content/_index.md", NULL);

	pk_buf_release(&probe);
	if (rc == PK_ENOTFOUND)
		return PK_OK;
	bank->home = pk_xcalloc(1, sizeof(*bank->home));
	rc = pk_page_load_home(bank->home, bank->sources.items[0], "content/_index.md", diags);
	if (!bank->home->doc.meta) {
		pk_page_release(bank->home);
		free(bank->home);
		bank->home = NULL;
	}
	return rc;
}

/* " in source 'x'" for a doc from another bank, "" for the bank's own. */
static const char *source_note(const pk_doc *doc, pk_buf *out)
{
	pk_buf_clear(out);
	if (doc->origin && *doc->origin->name)
		pk_buf_printf(out, " in source '%s'", doc->origin->name);
	return out->ptr;
}

/* Two docs with one slug: an error at the second, naming the first and,
 * for banks joined from several sources, both sources. */
static int report_duplicate(const pk_doc *doc, const pk_doc *other, const char *what,
			    pk_diags *diags)
{
	pk_buf a = PK_BUF_INIT, b = PK_BUF_INIT;
	bool sources = (doc->origin && *doc->origin->name) || (other->origin && *other->origin->name);
	int rc = pk_diag_error(diags, doc->path, doc->slug_pos,
			       "duplicate %s slug '%s'%s (also used by %s%s)%s", what, doc->slug,
			       source_note(doc, &a), other->path, source_note(other, &b),
			       sources ? "; give a source a 'prefix' to keep them apart" : "");
	pk_buf_release(&a);
	pk_buf_release(&b);
	return rc;
}

static int check_unique(pk_strmap *seen, const pk_doc *doc, const char *what, pk_diags *diags)
{
	const pk_doc *other = pk_strmap_get(seen, doc->slug, strlen(doc->slug));
	if (!other) {
		pk_strmap_add(seen, doc->slug, strlen(doc->slug), (void *)doc);
		return PK_OK;
	}
	return report_duplicate(doc, other, what, diags);
}

static int check_slugs(pk_bank *bank, pk_diags *diags)
{
	pk_strmap seen = PK_STRMAP_INIT;
	size_t i;
	int rc = PK_OK;

	for (i = 0; i < bank->all_practices.len; i++)
		if (check_unique(&seen, &((pk_practice *)bank->all_practices.items[i])->doc, "practice",
				 diags) < 0)
			rc = PK_ERROR;
	pk_strmap_release(&seen);
	for (i = 0; i < bank->mentors.len; i++) {
		pk_mentor *m = bank->mentors.items[i];
		if (pk_strmap_add(&bank->mentor_by_slug, m->doc.slug, strlen(m->doc.slug), m) < 0)
			rc = report_duplicate(&m->doc, &pk_bank_mentor(bank, m->doc.slug)->doc, "mentor",
					      diags);
	}
	return rc;
}

/* A practice names mentors of its own source: with a prefix, "ivanova"
 * in source "sch12-" is "sch12-ivanova". */
static pk_mentor *find_mentor(const pk_bank *bank, const pk_practice *p, const char *ref)
{
	const char *prefix = p->doc.origin ? p->doc.origin->prefix : NULL;
	pk_mentor *m = NULL;
	if (prefix && *prefix) {
		pk_buf slug = PK_BUF_INIT;
		pk_buf_printf(&slug, "%s%s", prefix, ref);
		m = pk_bank_mentor(bank, slug.ptr);
		pk_buf_release(&slug);
	}
	return m ? m : pk_bank_mentor(bank, ref);
}

/* What one practice links to, found on a worker: the mentors it names
 * (to link in order afterwards) and what is wrong with its links. */
typedef struct {
	pk_vec mentors;  /* pk_mentor *, to link */
	pk_diags diags;
	int rc;
} practice_links;

static int find_link(const pk_bank *bank, const pk_practice *p, const pk_value *ref,
		     bool published, practice_links *out)
{
	pk_mentor *m = find_mentor(bank, p, ref->as.str.ptr);

	if (!m)
		return pk_diag_error(&out->diags, p->doc.path, ref->pos,
				     "unknown mentor '%s': no profile content/mentors/%s.md",
				     ref->as.str.ptr, ref->as.str.ptr);
	if (!m->published) {
		if (!published)
			return PK_OK;
		return pk_diag_error(&out->diags, p->doc.path, ref->pos,
				     "mentor '%s' has not consented to publication (%s), so a published practice must not name them",
				     ref->as.str.ptr, m->doc.path);
	}
	if (published)
		pk_vec_push(&out->mentors, m);
	return PK_OK;
}

static bool is_published(const pk_bank *bank, const pk_practice *p)
{
	return !p->draft || (bank->opts.flags & PK_BANK_DRAFTS);
}

/* An attachment must be a file under content/ that exists. */
static int check_attachment(const pk_practice *p, const pk_value *att, pk_diags *diags)
{
	const pk_value *file = pk_value_map_get(att, "file");
	pk_buf rel = PK_BUF_INIT, probe = PK_BUF_INIT;
	int rc = PK_OK;

	if (!file || file->type != PK_VALUE_STRING)
		return PK_OK;
	pk_buf_puts(&rel, "content/");
	pk_buf_puts(&rel, file->as.str.ptr);
	if (!pk_source_path_is_safe(file->as.str.ptr))
		rc = pk_diag_error(diags, p->doc.path, file->pos,
				   "attachment '%s' must be a path inside content/", file->as.str.ptr);
	else if (pk_source_read(p->doc.origin->src, &probe, rel.ptr, NULL) < 0)
		rc = pk_diag_error(diags, p->doc.path, file->pos,
				   "attachment '%s' not found: no file %s", file->as.str.ptr, rel.ptr);
	pk_buf_release(&rel);
	pk_buf_release(&probe);
	return rc;
}

typedef struct {
	const pk_bank *bank;
	practice_links *links; /* one per practice */
} links_job;

/* The mentors and attachments of practice i, on a worker: the bank is
 * only read (sources read under their own lock, see source.h). */
static void find_links(void *payload, size_t i, unsigned worker)
{
	links_job *job = payload;
	const pk_practice *p = job->bank->all_practices.items[i];
	practice_links *out = &job->links[i];
	const pk_value *refs = pk_value_map_get(p->doc.meta, "mentors");
	const pk_value *list = pk_value_map_get(p->doc.meta, "attachments");
	size_t j;

	(void)worker;
	for (j = 0; j < pk_value_len(refs); j++) {
		const pk_value *ref = pk_value_list_at(refs, j);
		if (ref->type == PK_VALUE_STRING &&
		    find_link(job->bank, p, ref, is_published(job->bank, p), out) < 0)
			out->rc = PK_ERROR;
	}
	for (j = 0; j < pk_value_len(list); j++)
		if (check_attachment(p, pk_value_list_at(list, j), &out->diags) < 0)
			out->rc = PK_ERROR;
}

/* Links every practice with its mentors and checks its attachments: the
 * lookups on all threads, the links and messages in practice order. */
static int link_practices(pk_bank *bank, pk_diags *diags)
{
	size_t n = bank->all_practices.len, i, j;
	links_job job = { bank, pk_xcalloc(n ? n : 1, sizeof(practice_links)) };
	int rc = PK_OK;

	pk_parallel_for(n, bank->opts.threads, find_links, &job);
	for (i = 0; i < n; i++) {
		pk_practice *p = bank->all_practices.items[i];
		practice_links *l = &job.links[i];
		for (j = 0; j < l->mentors.len; j++) {
			pk_mentor *m = l->mentors.items[j];
			pk_vec_push(&p->mentors, m);
			pk_vec_push(&m->practices, p);
		}
		pk_diags_move(diags, &l->diags);
		if (l->rc < 0)
			rc = PK_ERROR;
		pk_vec_release(&l->mentors);
	}
	free(job.links);
	return rc;
}

/* ---- sources -------------------------------------------------------- */

/* The history of a source's files; its paths start at the repository's
 * root, so a bank in a sub-folder looks them up under that folder. */
typedef struct {
	pk_history *history;
	char *folder; /* "bank/" or "" */
} source_history;

static void add_own_source(pk_bank *bank)
{
	pk_bank_source *own = pk_xcalloc(1, sizeof(*own));
	own->name = "";
	own->src = bank->src;
	own->dates = bank->opts.dates;
	own->dates_payload = bank->opts.dates_payload;
	pk_vec_push(&bank->sources, own);
}

static void free_source(pk_bank_source *s, bool owned)
{
	if (owned)
		pk_source_free(s->src);
	if (s->history) {
		source_history *sh = s->history;
		pk_history_free(sh->history);
		free(sh->folder);
		free(sh);
	}
	free(s);
}

static bool history_dates(pk_file_dates *out, const char *rel, void *payload)
{
	source_history *sh = payload;
	pk_buf path = PK_BUF_INIT;
	const pk_file_history *h;

	pk_buf_printf(&path, "%s%s", sh->folder, rel);
	h = pk_history_get(sh->history, path.ptr);
	pk_buf_release(&path);
	if (!h)
		return false;
	out->created = h->created;
	out->updated = h->updated;
	out->contributors = &h->contributors;
	return true;
}

/* Opens the repository (or folder) of one `sources:` entry. */
static int open_source(pk_bank *bank, pk_bank_source *s, const pk_value *entry, pk_diags *diags)
{
	const char *repo = pk_value_str(pk_value_map_get(entry, "repo"));
	const char *rev = pk_value_str(pk_value_map_get(entry, "rev"));
	const char *folder = pk_value_str(pk_value_map_get(entry, "path"));
	pk_buf path = PK_BUF_INIT;
	pk_source *src = NULL;
	int rc;

	if (repo[0] != '/' && bank->opts.base_dir && strcmp(bank->opts.base_dir, "."))
		pk_path_join(&path, bank->opts.base_dir, repo);
	else
		pk_buf_puts(&path, repo);
	if (rev) {
		pk_history *history = NULL;
		rc = pk_source_git_new(&src, path.ptr, rev, diags);
		if (rc == PK_OK && pk_history_load(&history, path.ptr, rev, NULL, NULL) == PK_OK) {
			source_history *sh = pk_xcalloc(1, sizeof(*sh));
			pk_buf prefix = PK_BUF_INIT;
			if (folder && *folder)
				pk_buf_printf(&prefix, "%s/", folder);
			sh->history = history;
			sh->folder = pk_buf_detach(&prefix);
			s->history = sh;
			s->dates = history_dates;
			s->dates_payload = sh;
		}
	} else {
		rc = pk_source_worktree_new(&src, path.ptr, diags);
	}
	if (rc == PK_OK && folder && *folder) {
		if (!pk_source_path_is_safe(folder))
			rc = pk_diag_error(diags, bank->config.path, pk_value_map_get(entry, "path")->pos,
					   "source path '%s' must be a folder inside the repository", folder);
		else
			pk_source_subdir_new(&src, src, folder);
	}
	if (rc == PK_OK)
		s->src = src;
	else
		pk_source_free(src);
	pk_buf_release(&path);
	return rc;
}

static int open_sources(pk_bank *bank, pk_diags *diags)
{
	const pk_value *list = pk_value_map_get(bank->config.doc, "sources");
	size_t i;
	int rc = PK_OK;

	for (i = 0; i < pk_value_len(list); i++) {
		const pk_value *entry = pk_value_list_at(list, i);
		pk_bank_source *s;
		const char *repo = pk_value_str(pk_value_map_get(entry, "repo"));
		const pk_value *defaults = pk_value_map_get(entry, "defaults");
		if (entry->type != PK_VALUE_MAP || !repo)
			continue; /* the schema has reported it */
		s = pk_xcalloc(1, sizeof(*s));
		s->name = pk_value_str(pk_value_map_get(entry, "name"));
		if (!s->name)
			s->name = pk_path_basename(repo);
		s->prefix = pk_value_str(pk_value_map_get(entry, "prefix"));
		s->defaults = defaults && defaults->type == PK_VALUE_MAP ? defaults : NULL;
		if (open_source(bank, s, entry, diags) < 0) {
			free_source(s, false);
			rc = PK_ERROR;
			continue;
		}
		pk_vec_push(&bank->sources, s);
	}
	return rc;
}

/* Each source's record context (bank.h): its name, prefix and defaults
 * and the vocabularies, packed (positions too: a record keeps them). 0
 * for all when something cannot be packed: then no record is used. */
static void set_record_contexts(pk_bank *bank)
{
	pk_buf bytes = PK_BUF_INIT;
	bool ok = pk_value_pack(&bytes, bank->forms.docs) && pk_value_pack(&bytes, bank->kinds.docs) &&
		  pk_value_pack(&bytes, bank->regions.docs);
	size_t shared = bytes.len, i;

	for (i = 0; i < bank->sources.len; i++) {
		pk_bank_source *s = bank->sources.items[i];
		bool packed = ok;
		pk_buf_truncate(&bytes, shared);
		pk_buf_put(&bytes, s->name, strlen(s->name) + 1);
		pk_buf_put(&bytes, s->prefix ? s->prefix : "", strlen(s->prefix ? s->prefix : "") + 1);
		if (s->defaults)
			packed = packed && pk_value_pack(&bytes, s->defaults);
		s->record_context = packed ? pk_hash64(bytes.ptr, bytes.len) | 1 : 0;
	}
	pk_buf_release(&bytes);
}

int pk_bank_load(pk_bank *bank, pk_source *src, const pk_bank_opts *opts, pk_diags *diags)
{
	int rc = PK_OK;

	memset(bank, 0, sizeof(*bank));
	bank->src = src;
	if (opts)
		bank->opts = *opts;
	set_today(bank);
	add_own_source(bank);
	if (pk_config_load(&bank->config, src, diags) < 0)
		rc = PK_ERROR;
	if (!bank->config.doc)
		return PK_ERROR;
	if (load_vocabs(bank, diags) < 0)
		rc = PK_ERROR;
	if (bank->config.region && !pk_vocab_find(&bank->regions, bank->config.region,
						  strlen(bank->config.region)))
		rc = pk_diag_error(diags, bank->config.path, bank->config.region_pos,
				   "unknown region '%s'", bank->config.region);
	/* Every step runs whatever the earlier ones found (no short-circuit):
	 * one run reports every problem of the bank. */
	if (open_sources(bank, diags) < 0)
		rc = PK_ERROR;
	set_record_contexts(bank);
	pk_mentor_intern_keys();
	pk_practice_intern_keys();
	if (load_all(bank, "content/mentors", PK_BANK_MENTORS, diags) < 0)
		rc = PK_ERROR;
	if (load_all(bank, "content/practices", PK_BANK_PRACTICES, diags) < 0)
		rc = PK_ERROR;
	if (load_each(bank, bank->sources.items[0], "content/pages", load_page, diags) < 0)
		rc = PK_ERROR;
	if (load_home(bank, diags) < 0)
		rc = PK_ERROR;
	if (check_slugs(bank, diags) < 0)
		rc = PK_ERROR;
	if (link_practices(bank, diags) < 0)
		rc = PK_ERROR;
	return rc;
}

void pk_bank_release(pk_bank *bank)
{
	size_t i;

	for (i = 0; i < bank->sources.len; i++)
		free_source(bank->sources.items[i], i > 0);
	pk_vec_release(&bank->sources);
	for (i = 0; i < bank->all_practices.len; i++) {
		pk_practice_release(bank->all_practices.items[i]);
		free(bank->all_practices.items[i]);
	}
	for (i = 0; i < bank->mentors.len; i++) {
		pk_mentor_release(bank->mentors.items[i]);
		free(bank->mentors.items[i]);
	}
	for (i = 0; i < bank->pages.len; i++) {
		pk_page_release(bank->pages.items[i]);
		free(bank->pages.items[i]);
	}
	if (bank->home) {
		pk_page_release(bank->home);
		free(bank->home);
	}
	pk_vec_release(&bank->all_practices);
	pk_vec_release(&bank->practices);
	pk_vec_release(&bank->mentors);
	pk_vec_release(&bank->pages);
	pk_strmap_release(&bank->mentor_by_slug);
	pk_vocab_release(&bank->forms);
	pk_vocab_release(&bank->kinds);
	pk_vocab_release(&bank->regions);
	pk_config_release(&bank->config);
}

pk_mentor *pk_bank_mentor(const pk_bank *bank, const char *slug)
{
	return pk_strmap_get(&bank->mentor_by_slug, slug, strlen(slug));
}
