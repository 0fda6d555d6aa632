/*
 * git.h: a bank read from a git revision, and the history of its files,
 * through libgit2. No `git` program is run. Only src/source/ includes
 * <git2.h>; this header does not.
 *
 * Invariants:
 * - repo_path may be a working tree, a folder inside one, or a bare
 *   repository; the repository is found by searching upwards from it.
 *   When repo_path is a folder inside the working tree, the bank is that
 *   folder of the revision's tree, so paths stay relative to the bank root
 *   exactly as with the working-tree source, and diagnostics show them
 *   with the same prefix that source shows (repo_path + "/", or nothing
 *   for ".").
 * - Everything is read from the revision's objects, never from the
 *   working tree or the index. File bytes are the raw blobs: no
 *   .gitattributes filters (end-of-line conversion, LFS smudge) are run.
 * - rev is anything git_revparse_single accepts (a branch, a tag, a
 *   commit id or a prefix of one, "HEAD~3"); NULL means "HEAD". It must
 *   name a commit (tags are peeled).
 * - Like the working-tree source, listings skip names that start with a
 *   dot and are sorted the same way (by name within each folder).
 *   Symbolic links (mode 120000) are not followed, even when they point
 *   inside the tree: list() and read() skip them with the warning
 *   "symbolic link skipped". Submodules (mode 160000) are skipped with
 *   the warning "submodule skipped". Folders nest at most 64 deep.
 * - A Git LFS pointer (a blob under 1024 bytes starting with
 *   "version https://git-lfs.github.com/spec/v1") is never published as
 *   text: read() reports "file is a Git LFS pointer, not its content (run
 *   git lfs pull)" and returns PK_ERROR.
 */
#ifndef PK_SOURCE_GIT_H
#define PK_SOURCE_GIT_H

#include "core/buf.h"
#include "core/diag.h"
#include "core/vec.h"
#include "core/strmap.h"
#include "source/source.h"
#include "value/value.h"

#include <stdbool.h>

/*
 * A source reading the bank at revision rev of the repository holding
 * repo_path (see the invariants above). On success *out belongs to the
 * caller (pk_source_free). Errors are diagnostics on repo_path, line 0:
 * "git repository not found", "unknown revision 'v9'", "ambiguous
 * revision 'abc'", "revision 'x' is not a commit", "folder 'docs' not
 * found at revision 'v1'", or "cannot open git repository: <reason>".
 */
int pk_source_git_new(pk_source **out, const char *repo_path, const char *rev, pk_diags *diags);

/*
 * Writes the 40-digit hex id of the commit src reads, NUL-terminated, to
 * out. Returns PK_ENOTFOUND (out untouched) if src is not a git source.
 */
int pk_source_git_commit_id(const pk_source *src, char out[41]);

/*
 * Adds to out (path → (void *)1, keys copied) every file under folder (a
 * bank path, "content") of the working tree of head's repository that is
 * not as head's commit has it — changed, staged, new, or ignored: what
 * `git status --ignored` lists, without reading the files whose stat the
 * index vouches for. Paths are bank paths, as head reads them. head must
 * be a git source opened at HEAD; PK_ENOTFOUND if it is not a git source,
 * PK_ERROR if git cannot tell (a bare repository).
 */
int pk_source_git_changed(const pk_source *head, const char *folder, pk_strmap *out);

/*
 * Writes the 40-digit hex id of the commit rev names in the repository
 * holding repo_path (as pk_source_git_new finds it) to out. Returns
 * PK_OK, or an error when there is no repository or no such commit; no
 * diagnostics.
 */
int pk_source_git_resolve(char out[41], const char *repo_path, const char *rev);

/* ------------------------------------------------------------------ */
/* History: when each file of the bank was created and last updated, and
 * by whom. */

/*
 * The history of one file. Dates are the commit author's time as a UTC
 * calendar date. contributors holds the distinct author names (char *) of
 * every commit that changed the file, sorted bytewise; the names belong
 * to the pk_history.
 */
typedef struct {
	pk_date created;
	pk_date updated;
	pk_vec contributors;
} pk_file_history;

typedef struct pk_history pk_history;

enum {
	/* Neither read nor write the history cache file. */
	PK_HISTORY_NO_CACHE = 1u << 0,
};

typedef struct {
	unsigned flags; /* PK_HISTORY_* */
} pk_history_opts;

#define PK_HISTORY_OPTS_INIT { 0 }

/*
 * Computes the history of every file of the bank at rev (repo_path and rev
 * as for pk_source_git_new) in one walk of the commits reachable from rev,
 * newest first, children before parents.
 *
 * Each commit is diffed against its first parent with rename detection
 * (50% similarity):
 * - updated: the newest date of a commit that added, changed or renamed
 *   the file;
 * - created: the date of the commit that added it, following renames
 *   back (a file renamed a -> b keeps the date a was added); a file deleted
 *   and added again later was created by the later add;
 * - contributors: the authors of those commits.
 * A merge commit counts only for the files whose merged version differs
 * from every parent's (a conflict resolution); the other changes it
 * brings are credited to the commits of the merged branch, which the
 * walk visits too. History is exact for linear history and a best effort
 * across merges (one global rename map, as `git log --follow`). A file
 * that entered the bank folder by a rename from outside it counts as
 * added then.
 *
 * A shallow repository is walked down to its boundary commits, which
 * count as adding every file they hold; pk_history_is_shallow tells the
 * caller to warn that dates may be too recent.
 *
 * Cache: unless opts has PK_HISTORY_NO_CACHE, the result is stored in
 * "<git dir>/praktika-history" (one file, keyed inside by commit id and
 * bank folder) and reused when the same revision and folder are loaded
 * again. A cache that is missing, stale, unreadable or corrupt is
 * silently recomputed and rewritten; failing to write it is not an
 * error. Shallow repositories are never cached (deepening one changes the
 * history of the same commit). opts may be NULL for the defaults.
 *
 * On success *out belongs to the caller (pk_history_free). Errors are
 * diagnostics as for pk_source_git_new, or "cannot read git history:
 * <reason>".
 */
int pk_history_load(pk_history **out, const char *repo_path, const char *rev,
		    const pk_history_opts *opts, pk_diags *diags);

/* The history of path (relative to the bank root, as the source lists
 * it), borrowed from h; NULL for any path the git source would not list
 * (missing, a folder, a symbolic link, a name starting with a dot). */
const pk_file_history *pk_history_get(const pk_history *h, const char *path);

/* True if the repository is shallow, so the oldest dates are unreliable. */
bool pk_history_is_shallow(const pk_history *h);

/* True if h was read from the cache file rather than computed. */
bool pk_history_from_cache(const pk_history *h);

/* Frees h and everything it owns; NULL is a no-op. */
void pk_history_free(pk_history *h);

/* Converts seconds since 1970-01-01 UTC to the UTC calendar date. */
pk_date pk_history_utc_date(int64_t seconds);

/* ------------------------------------------------------------------ */
/* Internal to src/source/ (git.c and history.c), which include <git2.h>. */

struct git_repository;
struct git_commit;
struct git_tree;
struct git_tree_entry;

/* Folders nest at most this deep in a tree walk. */
#define PK_GIT__MAX_DEPTH 64

/* A repository opened at one revision. Every field is owned. */
typedef struct {
	struct git_repository *repo;
	struct git_commit *commit;
	struct git_tree *tree; /* the bank folder of the commit's tree */
	char *prefix;          /* that folder inside the repository: "" or "a/b" */
	char *display_root;    /* shown before bank paths in diagnostics */
	bool initialized;      /* holds a libgit2 reference */
} pk_git__rev;

/* Initialises libgit2 (counted), opens the repository holding repo_path
 * and resolves rev; see pk_source_git_new for the diagnostics. On error
 * *out holds nothing; either way release it with pk_git__rev_release. */
int pk_git__rev_open(pk_git__rev *out, const char *repo_path, const char *rev,
		     pk_diags *diags);
/* Frees the contents of r and drops its libgit2 reference. */
void pk_git__rev_release(pk_git__rev *r);

/* Called for every entry that is not a folder, with its path relative to
 * the walked tree. A non-zero return stops the walk with that code. */
typedef int (*pk_git__entry_cb)(const char *path, const struct git_tree_entry *entry,
				void *payload);
/* Walks tree without recursion, skipping names that start with a dot.
 * Folders deeper than PK_GIT__MAX_DEPTH stop the walk with the error
 * "directories nested too deep" on display_prefix + the folder's path. */
int pk_git__walk(struct git_repository *repo, struct git_tree *tree, const char *display_prefix,
		 pk_git__entry_cb cb, void *payload, pk_diags *diags);

/* The message of libgit2's last error, or "unknown error". Borrowed. */
const char *pk_git__error(void);

#endif
