/* The git source: a bank read from one revision's tree through libgit2.
 * See git.h for what is read and what is skipped. */
#include "source/git.h"
#include "core/fs.h"
#include "core/parallel.h"
#include "core/xalloc.h"
#include "source/inputs.h"

#include <git2.h>

#include <stdarg.h>
#include <limits.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>

#define LFS_MAGIC "version https://git-lfs.github.com/spec/v1"
#define LFS_MAX_POINTER 1024

const char *pk_git__error(void)
{
	const git_error *e = git_error_last();
	return e && e->message ? e->message : "unknown error";
}

/* ------------------------------------------------------------------ */
/* Opening a revision */

static void display_root_of(pk_buf *out, const char *repo_path)
{
	if (strcmp(repo_path, ".") != 0)
		pk_path_join(out, repo_path, "");
	if (out->len && out->ptr[out->len - 1] != '/')
		pk_buf_putc(out, '/');
}

static bool exists(const char *dir, const char *name)
{
	pk_buf path = PK_BUF_INIT;
	struct stat st;
	bool found;
	pk_path_join(&path, dir, name);
	found = lstat(path.ptr, &st) == 0;
	pk_buf_release(&path);
	return found;
}

/* A .git in dir, or dir a bare repository. */
static bool holds_repository(const char *dir)
{
	return exists(dir, ".git") ||
	       (exists(dir, "HEAD") && exists(dir, "objects") && exists(dir, "refs"));
}

/* False only when no folder from path up to the root can be a git
 * repository and GIT_DIR is not set: then libgit2 need not start, which
 * reads every certificate of the system (some 40 ms) before it can say
 * so. True when unsure. */
static bool repository_possible(const char *path)
{
	char *dir, *slash;
	bool possible;

	if (getenv("GIT_DIR") || !(dir = realpath(path, NULL)))
		return true;
	while (!(possible = holds_repository(dir)) && (slash = strrchr(dir, '/')) && slash != dir)
		*slash = '\0';
	if (!possible && strcmp(dir, "/") != 0)
		possible = holds_repository("/");
	free(dir);
	return possible;
}

static int repository_not_found(const char *repo_path, pk_diags *diags)
{
	return pk_diag_add(diags, PK_DIAG_ERROR, repo_path, 0, 0, "git repository not found");
}

static int open_repository(git_repository **out, const char *repo_path, pk_diags *diags)
{
	int rc = git_repository_open_ext(out, repo_path, 0, NULL);

	if (rc == GIT_ENOTFOUND)
		return repository_not_found(repo_path, diags);
	if (rc < 0)
		return pk_diag_add(diags, PK_DIAG_ERROR, repo_path, 0, 0,
				   "cannot open git repository: %s", pk_git__error());
	return PK_OK;
}

static int resolve_commit(git_commit **out, git_repository *repo, const char *repo_path,
			  const char *rev, pk_diags *diags)
{
	git_object *obj = NULL;
	int rc = git_revparse_single(&obj, repo, rev);

	if (rc == GIT_ENOTFOUND || rc == GIT_EINVALIDSPEC)
		return pk_diag_add(diags, PK_DIAG_ERROR, repo_path, 0, 0, "unknown revision '%s'", rev);
	if (rc == GIT_EAMBIGUOUS)
		return pk_diag_add(diags, PK_DIAG_ERROR, repo_path, 0, 0, "ambiguous revision '%s'", rev);
	if (rc < 0)
		return pk_diag_add(diags, PK_DIAG_ERROR, repo_path, 0, 0,
				   "cannot resolve revision '%s': %s", rev, pk_git__error());
	rc = git_object_peel((git_object **)out, obj, GIT_OBJECT_COMMIT);
	git_object_free(obj);
	if (rc < 0)
		return pk_diag_add(diags, PK_DIAG_ERROR, repo_path, 0, 0,
				   "revision '%s' is not a commit", rev);
	return PK_OK;
}

/* True if path is dir or inside it; both absolute, dir without a final '/'
 * unless it is "/". *rest is then what follows dir and its slash. */
static bool path_inside(const char *path, const char *dir, const char **rest)
{
	size_t n = strlen(dir);

	if (n == 1 && dir[0] == '/')
		n = 0;
	if (strncmp(path, dir, n) != 0 || (path[n] != '/' && path[n] != '\0'))
		return false;
	*rest = path[n] == '/' ? path + n + 1 : path + n;
	return true;
}

static char *real_dir(const char *path)
{
	char *real = path ? realpath(path, NULL) : NULL;
	size_t n = real ? strlen(real) : 0;

	if (n > 1 && real[n - 1] == '/')
		real[n - 1] = '\0';
	return real;
}

/* The bank folder inside the repository: where repo_path lies within the
 * working tree, or "" (bare repository, the top, or inside the git dir). */
static char *bank_prefix(git_repository *repo, const char *repo_path)
{
	char *bank = real_dir(repo_path);
	char *top = real_dir(git_repository_workdir(repo));
	char *gitdir = real_dir(git_repository_path(repo));
	const char *rest = "";
	char *prefix;

	if (bank && gitdir && path_inside(bank, gitdir, &rest))
		rest = "";
	else if (!bank || !top || !path_inside(bank, top, &rest))
		rest = "";
	prefix = pk_xstrdup(rest);
	free(bank);
	free(top);
	free(gitdir);
	return prefix;
}

static int bank_tree(pk_git__rev *r, const char *repo_path, const char *rev, pk_diags *diags)
{
	git_tree *top = NULL;
	git_tree_entry *entry = NULL;
	int rc = git_commit_tree(&top, r->commit);

	if (rc < 0) {
		rc = pk_diag_add(diags, PK_DIAG_ERROR, repo_path, 0, 0,
				 "cannot read revision '%s': %s", rev, pk_git__error());
		goto done;
	}
	if (!*r->prefix) {
		r->tree = top;
		top = NULL;
		goto done;
	}
	rc = git_tree_entry_bypath(&entry, top, r->prefix);
	if (rc == 0 && git_tree_entry_type(entry) == GIT_OBJECT_TREE)
		rc = git_tree_lookup(&r->tree, r->repo, git_tree_entry_id(entry));
	else
		rc = GIT_ENOTFOUND;
	if (rc < 0)
		rc = pk_diag_add(diags, PK_DIAG_ERROR, repo_path, 0, 0,
				 "folder '%s' not found at revision '%s'", r->prefix, rev);
done:
	git_tree_entry_free(entry);
	git_tree_free(top);
	return rc;
}

/*
 * Process-wide libgit2 settings; praktika is libgit2's only user here.
 * History reads the same trees many times; libgit2 caches only trees
 * under 4 KiB by default, so a folder of 100 practices was inflated anew
 * for every commit. And like git itself (outside fsck) we do not re-hash
 * every object read: it cost a third of a history walk.
 */
static void tune_libgit2(void)
{
	git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, GIT_OBJECT_TREE, (size_t)1 << 20);
	git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
}

/* For the build stamp: which commit rev named (see source/inputs.h). */
static void note_revision(const char *repo_path, const char *rev, const git_commit *commit)
{
	char oid[GIT_OID_HEXSZ + 1];

	if (commit)
		git_oid_tostr(oid, sizeof(oid), git_commit_id(commit));
	pk_inputs__rev(repo_path, rev, commit ? oid : NULL);
}

int pk_source_git_resolve(char out[41], const char *repo_path, const char *rev)
{
	git_repository *repo = NULL;
	git_commit *commit = NULL;
	int rc;

	if (!repository_possible(repo_path))
		return repository_not_found(repo_path, NULL);
	git_libgit2_init();
	rc = open_repository(&repo, repo_path, NULL);
	if (rc == PK_OK)
		rc = resolve_commit(&commit, repo, repo_path, rev, NULL);
	if (rc == PK_OK)
		git_oid_tostr(out, 41, git_commit_id(commit));
	git_commit_free(commit);
	git_repository_free(repo);
	git_libgit2_shutdown();
	return rc;
}

int pk_git__rev_open(pk_git__rev *out, const char *repo_path, const char *rev,
		     pk_diags *diags)
{
	pk_buf display = PK_BUF_INIT;
	int rc;

	memset(out, 0, sizeof(*out));
	if (!rev)
		rev = "HEAD";
	if (!repository_possible(repo_path)) {
		note_revision(repo_path, rev, NULL);
		return repository_not_found(repo_path, diags);
	}
	git_libgit2_init();
	out->initialized = true;
	tune_libgit2();
	display_root_of(&display, repo_path);
	out->display_root = pk_buf_detach(&display);
	rc = open_repository(&out->repo, repo_path, diags);
	if (rc == PK_OK)
		rc = resolve_commit(&out->commit, out->repo, repo_path, rev, diags);
	note_revision(repo_path, rev, rc == PK_OK ? out->commit : NULL);
	if (rc == PK_OK) {
		out->prefix = bank_prefix(out->repo, repo_path);
		rc = bank_tree(out, repo_path, rev, diags);
	}
	return rc;
}

void pk_git__rev_release(pk_git__rev *r)
{
	git_tree_free(r->tree);
	git_commit_free(r->commit);
	git_repository_free(r->repo);
	free(r->prefix);
	free(r->display_root);
	if (r->initialized) {
		/* pool threads that read blobs hold libgit2's per-thread state,
		 * which it frees as a thread ends only while it is initialized */
		pk_parallel_shutdown();
		git_libgit2_shutdown();
	}
	memset(r, 0, sizeof(*r));
}

/* ------------------------------------------------------------------ */
/* Walking a tree */

typedef struct {
	git_tree *tree; /* owned, except in the first frame */
	size_t next;    /* index of the next entry to visit */
	size_t path_len;
} walk_frame;

typedef struct {
	git_repository *repo;
	walk_frame stack[PK_GIT__MAX_DEPTH];
	int depth;
	pk_buf path;
	const char *display_prefix;
	pk_diags *diags;
} walker;

/* Reports a problem with the folder being entered; returns rc. */
static int PK_PRINTF(3, 4) walk_error(walker *w, int rc, const char *fmt, ...)
{
	pk_buf shown = PK_BUF_INIT;
	va_list ap;

	if (!w->diags)
		return rc;
	pk_buf_puts(&shown, w->display_prefix);
	pk_buf_puts(&shown, w->path.ptr);
	va_start(ap, fmt);
	pk_diag_vadd(w->diags, PK_DIAG_ERROR, shown.ptr, 0, 0, fmt, ap);
	va_end(ap);
	pk_buf_release(&shown);
	return rc;
}

static int enter_tree(walker *w, const git_tree_entry *entry)
{
	walk_frame *f;

	if (w->depth == PK_GIT__MAX_DEPTH)
		return walk_error(w, PK_ELIMIT, "directories nested too deep");
	f = &w->stack[w->depth];
	memset(f, 0, sizeof(*f));
	if (git_tree_lookup(&f->tree, w->repo, git_tree_entry_id(entry)) < 0)
		return walk_error(w, PK_ERROR, "cannot read git tree: %s", pk_git__error());
	f->path_len = w->path.len;
	w->depth++;
	return PK_OK;
}

/* Visits the next entry of the innermost folder, or leaves that folder. */
static int walk_step(walker *w, pk_git__entry_cb cb, void *payload)
{
	walk_frame *f = &w->stack[w->depth - 1];
	const git_tree_entry *entry;
	const char *name;

	if (f->next == git_tree_entrycount(f->tree)) {
		if (w->depth > 1)
			git_tree_free(f->tree);
		w->depth--;
		return PK_OK;
	}
	entry = git_tree_entry_byindex(f->tree, f->next++);
	name = git_tree_entry_name(entry);
	if (name[0] == '.')
		return PK_OK;
	pk_buf_truncate(&w->path, f->path_len);
	if (w->path.len)
		pk_buf_putc(&w->path, '/');
	pk_buf_puts(&w->path, name);
	if (git_tree_entry_type(entry) == GIT_OBJECT_TREE)
		return enter_tree(w, entry);
	return cb(w->path.ptr, entry, payload);
}

int pk_git__walk(struct git_repository *repo, struct git_tree *tree, const char *display_prefix,
		 pk_git__entry_cb cb, void *payload, pk_diags *diags)
{
	walker w;
	int rc = PK_OK;

	memset(&w, 0, sizeof(w));
	w.repo = repo;
	w.path = (pk_buf)PK_BUF_INIT;
	w.display_prefix = display_prefix;
	w.diags = diags;
	w.stack[0].tree = tree;
	w.depth = 1;
	while (w.depth > 0 && rc == PK_OK)
		rc = walk_step(&w, cb, payload);
	for (; w.depth > 1; w.depth--)
		git_tree_free(w.stack[w.depth - 1].tree);
	pk_buf_release(&w.path);
	return rc;
}

/* ------------------------------------------------------------------ */
/* The source */

typedef struct {
	pk_source base;
	pk_git__rev rev;
	git_odb *odb; /* the repository's, for object headers; NULL until needed */
} gitsrc;

static const pk_source_ops gitsrc_ops;

/* Adds a diagnostic on the display path of path, if diags is given.
 * Returns PK_ERROR for errors and PK_OK otherwise, like pk_diag_add. */
static int PK_PRINTF(5, 6) source_diag(pk_diags *diags, pk_severity sev, const pk_source *src,
				       const char *path, const char *fmt, ...)
{
	pk_buf shown = PK_BUF_INIT;
	va_list ap;
	int rc = sev == PK_DIAG_ERROR ? PK_ERROR : PK_OK;

	if (!diags)
		return rc;
	pk_source_display_path(&shown, src, path);
	va_start(ap, fmt);
	rc = pk_diag_vadd(diags, sev, shown.ptr, 0, 0, fmt, ap);
	va_end(ap);
	pk_buf_release(&shown);
	return rc;
}

static bool is_lfs_pointer(const char *data, size_t len)
{
	return len < LFS_MAX_POINTER && len >= sizeof(LFS_MAGIC) - 1 &&
	       memcmp(data, LFS_MAGIC, sizeof(LFS_MAGIC) - 1) == 0;
}

/* A blob as a stat (pk_source_ops.stat): its object id for its identity
 * (128 bits in st_dev and st_ino, about 30 more in st_ctim's
 * nanoseconds), its size, and no times, since a blob never changes: a
 * file of another revision with the same bytes is the same file, one
 * with other bytes another. */
static void blob_stat(struct stat *st, const git_oid *id, uint64_t size)
{
	uint64_t dev, ino;
	uint32_t rest;

	memset(st, 0, sizeof(*st));
	memcpy(&dev, id->id, 8);
	memcpy(&ino, id->id + 8, 8);
	memcpy(&rest, id->id + 16, 4);
	st->st_dev = (dev_t)dev;
	st->st_ino = (ino_t)ino;
	st->st_ctim.tv_nsec = (long)(rest % 1000000000u); /* under a second: never a racy time */
	st->st_mode = S_IFREG | 0644;
	st->st_size = (off_t)size;
}

static int read_blob(gitsrc *g, pk_buf *out, const char *path, const git_tree_entry *entry,
		     struct stat *st, pk_diags *diags)
{
	git_blob *blob = NULL;
	const char *data;
	size_t len;
	int rc = git_blob_lookup(&blob, g->rev.repo, git_tree_entry_id(entry));

	if (rc < 0)
		return source_diag(diags, PK_DIAG_ERROR, &g->base, path, "cannot read file: %s",
				   pk_git__error());
	data = git_blob_rawcontent(blob);
	len = (size_t)git_blob_rawsize(blob);
	if (st)
		blob_stat(st, git_tree_entry_id(entry), len);
	if (is_lfs_pointer(data, len))
		rc = source_diag(diags, PK_DIAG_ERROR, &g->base, path,
				 "file is a Git LFS pointer, not its content (run git lfs pull)");
	else
		pk_buf_put(out, data, len);
	git_blob_free(blob);
	return rc;
}

static int gitsrc_read_stat(pk_source *src, pk_buf *out, const char *path, struct stat *st,
			    pk_diags *diags)
{
	gitsrc *g = (gitsrc *)src;
	git_tree_entry *entry = NULL;
	int rc;

	if (!pk_source_path_is_safe(path))
		return PK_ENOTFOUND;
	rc = git_tree_entry_bypath(&entry, g->rev.tree, path);
	if (rc == GIT_ENOTFOUND)
		return PK_ENOTFOUND;
	if (rc < 0)
		return source_diag(diags, PK_DIAG_ERROR, src, path, "cannot read file: %s",
				   pk_git__error());
	switch (git_tree_entry_filemode(entry)) {
	case GIT_FILEMODE_BLOB:
	case GIT_FILEMODE_BLOB_EXECUTABLE:
		rc = read_blob(g, out, path, entry, st, diags);
		break;
	case GIT_FILEMODE_LINK:
		source_diag(diags, PK_DIAG_WARNING, src, path, "symbolic link skipped");
		rc = PK_ENOTFOUND;
		break;
	default:
		rc = PK_ENOTFOUND;
		break;
	}
	git_tree_entry_free(entry);
	return rc;
}

static int gitsrc_read(pk_source *src, pk_buf *out, const char *path, pk_diags *diags)
{
	return gitsrc_read_stat(src, out, path, NULL, diags);
}

static int gitsrc_stat(pk_source *src, const char *path, struct stat *st)
{
	gitsrc *g = (gitsrc *)src;
	git_tree_entry *entry = NULL;
	git_object_t type;
	size_t size;
	int rc = PK_ENOTFOUND;

	if (!pk_source_path_is_safe(path) || git_tree_entry_bypath(&entry, g->rev.tree, path) < 0)
		return PK_ENOTFOUND;
	if ((git_tree_entry_filemode(entry) == GIT_FILEMODE_BLOB ||
	     git_tree_entry_filemode(entry) == GIT_FILEMODE_BLOB_EXECUTABLE) &&
	    (g->odb || git_repository_odb(&g->odb, g->rev.repo) == 0) &&
	    git_odb_read_header(&size, &type, g->odb, git_tree_entry_id(entry)) == 0 &&
	    type == GIT_OBJECT_BLOB) {
		blob_stat(st, git_tree_entry_id(entry), size);
		rc = PK_OK;
	}
	git_tree_entry_free(entry);
	return rc;
}

typedef struct {
	gitsrc *g;
	pk_vec *out;
	const char *dir;
	pk_diags *diags;
} list_state;

static int list_entry(const char *rel, const git_tree_entry *entry, void *payload)
{
	list_state *st = payload;
	pk_buf path = PK_BUF_INIT;

	if (*st->dir)
		pk_path_join(&path, st->dir, rel);
	else
		pk_buf_puts(&path, rel);
	switch (git_tree_entry_filemode(entry)) {
	case GIT_FILEMODE_BLOB:
	case GIT_FILEMODE_BLOB_EXECUTABLE:
		pk_vec_push(st->out, pk_buf_detach(&path));
		break;
	case GIT_FILEMODE_LINK:
		source_diag(st->diags, PK_DIAG_WARNING, &st->g->base, path.ptr,
			    "symbolic link skipped");
		break;
	case GIT_FILEMODE_COMMIT:
		source_diag(st->diags, PK_DIAG_WARNING, &st->g->base, path.ptr, "submodule skipped");
		break;
	default:
		break;
	}
	pk_buf_release(&path);
	return PK_OK;
}

/* Orders paths as the working-tree walk lists them: by name within each
 * folder, so "a/b" (inside folder "a") comes before "a-c". */
static int compare_paths(const void *a, const void *b)
{
	const unsigned char *x = *(const unsigned char *const *)a;
	const unsigned char *y = *(const unsigned char *const *)b;
	int cx, cy;

	while (*x && *x == *y) {
		x++;
		y++;
	}
	cx = *x == '/' ? 1 : *x ? *x + 1 : 0;
	cy = *y == '/' ? 1 : *y ? *y + 1 : 0;
	return cx - cy;
}

/* The folder dir of the bank as an owned tree in *out, or NULL if there is
 * no such folder. */
static int find_dir(git_tree **out, gitsrc *g, const char *dir)
{
	git_tree_entry *entry = NULL;
	int rc;

	*out = NULL;
	if (!*dir)
		return git_tree_dup(out, g->rev.tree) < 0 ? PK_ERROR : PK_OK;
	rc = git_tree_entry_bypath(&entry, g->rev.tree, dir);
	if (rc == 0 && git_tree_entry_type(entry) == GIT_OBJECT_TREE)
		rc = git_tree_lookup(out, g->rev.repo, git_tree_entry_id(entry));
	git_tree_entry_free(entry);
	return rc == 0 || rc == GIT_ENOTFOUND ? PK_OK : PK_ERROR;
}

static int gitsrc_list(pk_source *src, pk_vec *out, const char *dir, pk_diags *diags)
{
	gitsrc *g = (gitsrc *)src;
	list_state st = { g, out, dir, diags };
	git_tree *tree = NULL;
	pk_buf shown = PK_BUF_INIT;
	size_t start = out->len;
	int rc = PK_OK;

	if (*dir && !pk_source_path_is_safe(dir))
		return PK_OK;
	if (find_dir(&tree, g, dir) < 0) {
		rc = source_diag(diags, PK_DIAG_ERROR, src, dir, "cannot read folder: %s",
				 pk_git__error());
		goto done;
	}
	if (!tree)
		goto done;
	pk_source_display_path(&shown, src, dir);
	if (*dir)
		pk_buf_putc(&shown, '/');
	rc = pk_git__walk(g->rev.repo, tree, shown.ptr, list_entry, &st, diags);
	if (out->len > start)
		qsort(out->items + start, out->len - start, sizeof(*out->items), compare_paths);
done:
	git_tree_free(tree);
	pk_buf_release(&shown);
	return rc;
}

static void gitsrc_free(pk_source *src)
{
	gitsrc *g = (gitsrc *)src;
	git_odb_free(g->odb);
	pk_git__rev_release(&g->rev);
	free(g);
}

static const pk_source_ops gitsrc_ops = {
	"git", gitsrc_read, gitsrc_list, gitsrc_free, true, gitsrc_stat, gitsrc_read_stat,
};

int pk_source_git_new(pk_source **out, const char *repo_path, const char *rev, pk_diags *diags)
{
	gitsrc *g = pk_xcalloc(1, sizeof(*g));
	int rc = pk_git__rev_open(&g->rev, repo_path, rev, diags);

	if (rc < 0) {
		pk_git__rev_release(&g->rev);
		free(g);
		return rc;
	}
	g->base.ops = &gitsrc_ops;
	g->base.display_root = pk_xstrdup(g->rev.display_root);
	*out = &g->base;
	return PK_OK;
}

/* The path of a status entry (the new side: a rename's target). */
static const char *status_path(const git_status_entry *e)
{
	const git_diff_delta *d = e->index_to_workdir ? e->index_to_workdir : e->head_to_index;
	if (!d)
		return NULL;
	return d->new_file.path ? d->new_file.path : d->old_file.path;
}

int pk_source_git_changed(const pk_source *head, const char *folder, pk_strmap *out)
{
	const gitsrc *g = (const gitsrc *)head;
	git_status_options so = GIT_STATUS_OPTIONS_INIT;
	git_status_list *list = NULL;
	pk_buf spec = PK_BUF_INIT;
	char *specs[1];
	size_t i, n, skip;

	if (!head || head->ops != &gitsrc_ops)
		return PK_ENOTFOUND;
	if (git_repository_is_bare(g->rev.repo))
		return PK_ERROR;
	if (*g->rev.prefix)
		pk_buf_printf(&spec, "%s/", g->rev.prefix);
	skip = spec.len;
	pk_buf_puts(&spec, folder);
	specs[0] = spec.ptr;
	so.show = GIT_STATUS_SHOW_INDEX_AND_WORKDIR;
	so.flags = GIT_STATUS_OPT_INCLUDE_UNTRACKED | GIT_STATUS_OPT_RECURSE_UNTRACKED_DIRS |
		   GIT_STATUS_OPT_INCLUDE_IGNORED | GIT_STATUS_OPT_RECURSE_IGNORED_DIRS |
		   GIT_STATUS_OPT_EXCLUDE_SUBMODULES | GIT_STATUS_OPT_DISABLE_PATHSPEC_MATCH;
	so.pathspec.strings = specs;
	so.pathspec.count = 1;
	if (git_status_list_new(&list, g->rev.repo, &so) < 0) {
		pk_buf_release(&spec);
		return PK_ERROR;
	}
	n = git_status_list_entrycount(list);
	for (i = 0; i < n; i++) {
		const git_status_entry *e = git_status_byindex(list, i);
		const char *path = e && e->status != GIT_STATUS_CURRENT ? status_path(e) : NULL;
		if (path && strlen(path) > skip && !strncmp(path, spec.ptr, skip))
			pk_strmap_set(out, path + skip, strlen(path + skip), (void *)1);
	}
	git_status_list_free(list);
	pk_buf_release(&spec);
	return PK_OK;
}

int pk_source_git_commit_id(const pk_source *src, char out[41])
{
	const gitsrc *g = (const gitsrc *)src;

	if (!src || src->ops != &gitsrc_ops)
		return PK_ENOTFOUND;
	git_oid_tostr(out, 41, git_commit_id(g->rev.commit));
	return PK_OK;
}
