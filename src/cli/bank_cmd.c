#include "cli/bank_cmd.h"
#include "core/fs.h"
#include "core/xalloc.h"
#include "text/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int bad_usage(const char *usage, const char *arg)
{
	fprintf(stderr, "praktika: error: unknown option '%s'\n%s", arg, usage);
	return -1;
}

int pk_cli_parse(pk_cli_opts *o, int argc, char **argv, bool allow_output, const char *usage)
{
	bool have_dir = false;
	int i;

	memset(o, 0, sizeof(*o));
	o->dir = ".";
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			fputs(usage, stdout);
			return 1;
		} else if (allow_output && (!strcmp(a, "-o") || !strcmp(a, "--output")) && i + 1 < argc) {
			o->out = argv[++i];
		} else if ((!strcmp(a, "-j") || !strcmp(a, "--jobs")) && i + 1 < argc) {
			if ((o->jobs = atoi(argv[++i])) < 1)
				return bad_usage(usage, argv[i]);
		} else if (!strncmp(a, "-j", 2) && a[2]) {
			if ((o->jobs = atoi(a + 2)) < 1)
				return bad_usage(usage, a);
		} else if (!strcmp(a, "--rev") && i + 1 < argc) {
			o->rev = argv[++i];
		} else if (!strcmp(a, "--repo") && i + 1 < argc) {
			o->repo = argv[++i];
		} else if (!strcmp(a, "--drafts")) {
			o->drafts = true;
		} else if (allow_output && !strcmp(a, "--force")) {
			o->force = true;
		} else if (allow_output && !strcmp(a, "--no-cache")) {
			o->no_cache = true;
		} else if (!strcmp(a, "--werror")) {
			o->werror = true;
		} else if (!strcmp(a, "--quiet") || !strcmp(a, "-q")) {
			o->quiet = true;
		} else if (!strcmp(a, "--verbose") || !strcmp(a, "-v")) {
			o->verbose = true;
		} else if (a[0] == '-' || have_dir) {
			return bad_usage(usage, a);
		} else {
			o->dir = a;
			have_dir = true;
		}
	}
	return 0;
}

/* ---- dates from git ------------------------------------------------ */

static bool same_as_head(pk_cli_bank *cb, const char *rel)
{
	pk_buf now = PK_BUF_INIT, committed = PK_BUF_INIT;
	bool same = pk_source_read(cb->src, &now, rel, NULL) == PK_OK &&
		    pk_source_read(cb->head, &committed, rel, NULL) == PK_OK &&
		    now.len == committed.len && memcmp(now.ptr, committed.ptr, now.len) == 0;
	pk_buf_release(&now);
	pk_buf_release(&committed);
	return same;
}

static pk_date mtime_date(const pk_cli_bank *cb, const char *rel)
{
	pk_buf path = PK_BUF_INIT;
	struct stat st;
	pk_date d = { 0, 0, 0 };

	pk_path_join(&path, cb->root, rel);
	if (stat(path.ptr, &st) == 0)
		d = pk_history_utc_date((int64_t)st.st_mtime);
	pk_buf_release(&path);
	return d;
}

/* pk_file_dates_fn: the history's dates, or the file's mtime for a file
 * changed since the last commit (working-tree mode). */
static bool file_dates(pk_file_dates *out, const char *rel, void *payload)
{
	pk_cli_bank *cb = payload;
	const pk_file_history *h = cb->history ? pk_history_get(cb->history, rel) : NULL;

	if (h) {
		out->created = h->created;
		out->updated = h->updated;
		out->contributors = &h->contributors;
	}
	if (cb->head && (cb->has_changed ? pk_strmap_get(&cb->changed, rel, strlen(rel)) != NULL
					  : !same_as_head(cb, rel))) {
		out->updated = mtime_date(cb, rel);
		if (!h)
			out->created = out->updated;
		out->uncommitted = true;
		pk_vec_push(&cb->uncommitted, pk_xstrdup(rel));
		return true;
	}
	return h != NULL;
}

static int open_revision(pk_cli_bank *cb, const pk_cli_opts *opts, pk_diags *diags)
{
	const char *repo = opts->repo ? opts->repo : opts->dir;
	int rc = pk_source_git_new(&cb->src, repo, opts->rev, diags);

	if (rc == PK_OK)
		rc = pk_history_load(&cb->history, repo, opts->rev, NULL, diags);
	return rc;
}

/* The working tree; its history from HEAD when it is in a git repository. */
static int open_worktree(pk_cli_bank *cb, const pk_cli_opts *opts, pk_diags *diags)
{
	int rc = pk_source_worktree_new(&cb->src, opts->dir, diags);

	if (rc < 0)
		return rc;
	cb->root = pk_xstrdup(opts->dir);
	if (pk_history_load(&cb->history, opts->dir, "HEAD", NULL, NULL) == PK_OK &&
	    pk_source_git_new(&cb->head, opts->dir, "HEAD", NULL) == PK_OK)
		/* what git status lists differs from HEAD: the index vouches for
		 * the rest, which need not be read twice (once more from HEAD) */
		cb->has_changed = pk_source_git_changed(cb->head, "content", &cb->changed) == PK_OK;
	return PK_OK;
}

static void warn_shallow(const pk_cli_bank *cb, const pk_cli_opts *opts, pk_diags *diags)
{
	if (cb->history && pk_history_is_shallow(cb->history))
		pk_diag_add(diags, PK_DIAG_WARNING, opts->repo ? opts->repo : opts->dir, 0, 0,
			    "shallow clone: the history is incomplete, so creation dates may be wrong "
			    "(run 'git fetch --unshallow')");
}

static void print_uncommitted(const pk_cli_bank *cb)
{
	size_t i;
	for (i = 0; i < cb->uncommitted.len; i++)
		fprintf(stderr, "praktika: не зафиксирован в git, дата — по времени изменения файла: %s\n",
			(const char *)cb->uncommitted.items[i]);
}

int pk_cli_open(pk_cli_bank *cb, const pk_cli_opts *opts, pk_diags *diags)
{
	pk_bank_opts bopts = PK_BANK_OPTS_INIT;
	int rc;

	memset(cb, 0, sizeof(*cb));
	rc = opts->rev ? open_revision(cb, opts, diags) : open_worktree(cb, opts, diags);
	if (rc < 0 || !cb->src)
		return rc < 0 ? rc : PK_ERROR;
	warn_shallow(cb, opts, diags);
	if (opts->drafts)
		bopts.flags |= PK_BANK_DRAFTS;
	if (opts->pack_meta)
		bopts.flags |= PK_BANK_PACK_META;
	bopts.base_dir = opts->rev ? (opts->repo ? opts->repo : opts->dir) : opts->dir;
	bopts.threads = pk_cli_jobs(opts);
	bopts.fm_cache = opts->fm_cache;
	if (cb->history || cb->head) {
		bopts.dates = file_dates;
		bopts.dates_payload = cb;
	}
	rc = pk_bank_load(&cb->bank, cb->src, &bopts, diags);
	cb->loaded = true;
	if (opts->verbose)
		print_uncommitted(cb);
	return rc;
}

void pk_cli_close(pk_cli_bank *cb)
{
	size_t i;
	if (cb->loaded)
		pk_bank_release(&cb->bank);
	pk_source_free(cb->src);
	pk_source_free(cb->head);
	pk_history_free(cb->history);
	for (i = 0; i < cb->uncommitted.len; i++)
		free(cb->uncommitted.items[i]);
	pk_vec_release(&cb->uncommitted);
	pk_strmap_release(&cb->changed);
	free(cb->root);
	memset(cb, 0, sizeof(*cb));
}

int pk_cli_jobs(const pk_cli_opts *opts)
{
	long n;
	if (opts->jobs > 0)
		return opts->jobs;
	n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 0 ? (int)(n > 64 ? 64 : n) : 1;
}

void pk_cli_count(char *out, size_t size, size_t n, const char *one, const char *few,
		  const char *many)
{
	int form = pk_text_plural("ru", (long)n);
	snprintf(out, size, "%zu %s", n, form == 0 ? one : form == 1 ? few : many);
}

int pk_cli_report(pk_diags *diags, const pk_cli_opts *opts)
{
	char errors[64], warnings[64];

	pk_diags_sort(diags);
	pk_diags_print(diags, stderr);
	if (diags->errors || diags->warnings) {
		pk_cli_count(errors, sizeof(errors), diags->errors, "ошибка", "ошибки", "ошибок");
		pk_cli_count(warnings, sizeof(warnings), diags->warnings, "предупреждение",
			    "предупреждения", "предупреждений");
		fprintf(stderr, "praktika: %s, %s\n", errors, warnings);
	}
	if (diags->errors || (opts->werror && diags->warnings))
		return 1;
	return 0;
}
