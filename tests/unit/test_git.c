/* Unit tests of src/source/git.c and history.c: fixture repositories are
 * built at test time with libgit2 (explicit authors and times, so dates are
 * deterministic), then read back through the git source and the history. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "core/fs.h"
#include "core/xalloc.h"
#include "source/git.h"
#include "source/source.h"
#include "testutil.h"

#include <git2.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

/* ------------------------------------------------------------------ */
/* Building fixture repositories */

typedef struct {
	char *dir;
	git_repository *repo;
	git_oid head;
} fixture;

/* One change of a commit: content NULL deletes path; mode 0 is a plain
 * file; for GIT_FILEMODE_COMMIT, content is the submodule's commit id. */
typedef struct {
	const char *path;
	const char *content;
	unsigned mode;
} change;

#define CHANGES(...) ((const change[]){ __VA_ARGS__ })
#define NCHANGES(...) (sizeof((const change[]){ __VA_ARGS__ }) / sizeof(change))
#define COMMIT(fx, who, when, ...) \
	commit_linear((fx), (who), (when), CHANGES(__VA_ARGS__), NCHANGES(__VA_ARGS__))

/* 07:30 UTC on the given day. Every commit is signed at -08:00, where it
 * is still the previous day, so every date checks the UTC conversion. */
static int64_t at(int y, int m, int d)
{
	struct tm tm;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d;
	tm.tm_hour = 7;
	tm.tm_min = 30;
	return (int64_t)timegm(&tm);
}

static void check_git(int rc)
{
	if (rc < 0) {
		const git_error *e = git_error_last();
		fail_msg("libgit2: %s", e ? e->message : "?");
	}
}

static void fixture_init(fixture *fx, bool bare)
{
	git_libgit2_init();
	memset(fx, 0, sizeof(*fx));
	fx->dir = pk_test_tmpdir();
	check_git(git_repository_init(&fx->repo, fx->dir, bare));
}

static void fixture_release(fixture *fx)
{
	git_repository_free(fx->repo);
	pk_test_rmtree(fx->dir);
	free(fx->dir);
	git_libgit2_shutdown();
}

static void apply_change(git_repository *repo, git_index *index, const change *ch)
{
	git_index_entry entry;

	if (!ch->content) {
		check_git(git_index_remove_bypath(index, ch->path));
		return;
	}
	memset(&entry, 0, sizeof(entry));
	entry.mode = ch->mode ? ch->mode : GIT_FILEMODE_BLOB;
	entry.path = ch->path;
	if (entry.mode == GIT_FILEMODE_COMMIT)
		check_git(git_oid_fromstr(&entry.id, ch->content));
	else
		check_git(git_blob_create_from_buffer(&entry.id, repo, ch->content,
						      strlen(ch->content)));
	check_git(git_index_add(index, &entry));
}

/* Creates a commit whose tree is the first parent's with the changes
 * applied; update_ref ("HEAD" or NULL) is moved to it. */
static git_oid commit_on(fixture *fx, const char *update_ref, const git_oid *parent_ids,
			 size_t nparents, const char *who, int64_t when, const change *changes,
			 size_t nchanges)
{
	git_index *index = NULL;
	git_commit *parents[2] = { NULL, NULL };
	git_tree *tree = NULL, *base = NULL;
	git_signature *sig = NULL;
	git_oid tree_id, id;
	size_t i;

	check_git(git_index_new(&index));
	for (i = 0; i < nparents; i++)
		check_git(git_commit_lookup(&parents[i], fx->repo, &parent_ids[i]));
	if (nparents) {
		check_git(git_commit_tree(&base, parents[0]));
		check_git(git_index_read_tree(index, base));
	}
	for (i = 0; i < nchanges; i++)
		apply_change(fx->repo, index, &changes[i]);
	check_git(git_index_write_tree_to(&tree_id, index, fx->repo));
	check_git(git_tree_lookup(&tree, fx->repo, &tree_id));
	check_git(git_signature_new(&sig, who, "someone@example.org", when, -480));
	check_git(git_commit_create(&id, fx->repo, update_ref, sig, sig, NULL, "change\n", tree,
				    nparents, (const git_commit **)parents));
	for (i = 0; i < nparents; i++)
		git_commit_free(parents[i]);
	git_signature_free(sig);
	git_tree_free(tree);
	git_tree_free(base);
	git_index_free(index);
	return id;
}

/* A commit on HEAD's branch. */
static git_oid commit_linear(fixture *fx, const char *who, int64_t when, const change *changes,
			     size_t nchanges)
{
	bool first = git_oid_is_zero(&fx->head);
	fx->head = commit_on(fx, "HEAD", &fx->head, first ? 0 : 1, who, when, changes, nchanges);
	return fx->head;
}

static char *join(const char *dir, const char *rel)
{
	pk_buf b = PK_BUF_INIT;
	pk_path_join(&b, dir, rel);
	return pk_buf_detach(&b);
}

/* ------------------------------------------------------------------ */
/* Reading back */

static char *diags_text(const pk_diags *d)
{
	pk_buf b = PK_BUF_INIT;
	pk_test_diags_text(&b, d);
	return pk_buf_detach(&b);
}

static void assert_diags(pk_diags *d, const char *expected)
{
	char *text = diags_text(d);
	assert_string_equal(text, expected);
	free(text);
	pk_diags_release(d);
}

/* Like assert_diags, with dir + "/" before each expected line. */
static void assert_diags_in(pk_diags *d, const char *dir, const char *expected)
{
	pk_buf want = PK_BUF_INIT;
	const char *line = expected, *nl;

	for (; *line; line = nl + 1) {
		nl = strchr(line, '\n');
		pk_buf_printf(&want, "%s/", dir);
		pk_buf_put(&want, line, (size_t)(nl - line) + 1);
	}
	assert_diags(d, want.ptr);
	pk_buf_release(&want);
}

/* The listing of dir, one path a line. */
static char *list_text(pk_source *src, const char *dir, pk_diags *d)
{
	pk_vec files = PK_VEC_INIT;
	pk_buf b = PK_BUF_INIT;
	size_t i;

	pk_source_list(src, &files, dir, d);
	for (i = 0; i < files.len; i++) {
		pk_buf_puts(&b, files.items[i]);
		pk_buf_putc(&b, '\n');
		free(files.items[i]);
	}
	pk_vec_release(&files);
	return pk_buf_detach(&b);
}

static void assert_list(pk_source *src, const char *dir, const char *expected)
{
	pk_diags d = PK_DIAGS_INIT;
	char *text = list_text(src, dir, &d);
	assert_string_equal(text, expected);
	assert_int_equal(d.len, 0);
	free(text);
}

static void assert_read(pk_source *src, const char *path, const char *expected)
{
	pk_buf b = PK_BUF_INIT;
	pk_diags d = PK_DIAGS_INIT;

	assert_int_equal(pk_source_read(src, &b, path, &d), PK_OK);
	assert_string_equal(b.ptr, expected);
	assert_int_equal(d.len, 0);
	pk_buf_release(&b);
}

static pk_source *open_git(const char *dir, const char *rev)
{
	pk_source *src = NULL;
	pk_diags d = PK_DIAGS_INIT;

	assert_int_equal(pk_source_git_new(&src, dir, rev, &d), PK_OK);
	assert_int_equal(d.len, 0);
	return src;
}

static pk_history *load_history(const char *dir, const char *rev, unsigned flags)
{
	pk_history_opts opts = PK_HISTORY_OPTS_INIT;
	pk_history *h = NULL;
	pk_diags d = PK_DIAGS_INIT;

	opts.flags = flags;
	assert_int_equal(pk_history_load(&h, dir, rev, &opts, &d), PK_OK);
	assert_int_equal(d.len, 0);
	return h;
}

/* "created updated name, name" for path, or "none". */
static char *history_text(const pk_history *h, const char *path)
{
	const pk_file_history *f = pk_history_get(h, path);
	pk_buf b = PK_BUF_INIT;
	size_t i;

	if (!f)
		return pk_xstrdup("none");
	pk_buf_printf(&b, "%04d-%02d-%02d %04d-%02d-%02d", f->created.year, f->created.month,
		      f->created.day, f->updated.year, f->updated.month, f->updated.day);
	for (i = 0; i < f->contributors.len; i++)
		pk_buf_printf(&b, "%s%s", i ? ", " : " ", (const char *)f->contributors.items[i]);
	return pk_buf_detach(&b);
}

static void assert_history(const pk_history *h, const char *path, const char *expected)
{
	char *text = history_text(h, path);
	assert_string_equal(text, expected);
	free(text);
}

static char *hex(const git_oid *id)
{
	char *s = pk_xmalloc(GIT_OID_HEXSZ + 1);
	git_oid_tostr(s, GIT_OID_HEXSZ + 1, id);
	return s;
}

/* ------------------------------------------------------------------ */
/* Tests */

static void test_git_utc_date(void **state)
{
	pk_date d;
	(void)state;

	d = pk_history_utc_date(0);
	assert_true(d.year == 1970 && d.month == 1 && d.day == 1);
	d = pk_history_utc_date(-1);
	assert_true(d.year == 1969 && d.month == 12 && d.day == 31);
	d = pk_history_utc_date(951782400); /* 2000-02-29 00:00:00 */
	assert_true(d.year == 2000 && d.month == 2 && d.day == 29);
	d = pk_history_utc_date(951782399);
	assert_true(d.year == 2000 && d.month == 2 && d.day == 28);
	d = pk_history_utc_date(at(2024, 3, 11));
	assert_true(d.year == 2024 && d.month == 3 && d.day == 11);
	d = pk_history_utc_date(INT64_MAX);
	assert_true(d.year == 9999 && d.month == 12 && d.day == 31);
	d = pk_history_utc_date(INT64_MIN);
	assert_true(d.year == 0 && d.month == 1 && d.day == 1);
}

static void test_git_linear_history(void **state)
{
	fixture fx;
	pk_history *h;
	(void)state;

	fixture_init(&fx, false);
	COMMIT(&fx, "Alice", at(2024, 1, 10), { "practices/a.md", "a1", 0 },
	       { "practices/b.md", "b1", 0 });
	COMMIT(&fx, "Bob", at(2024, 2, 20), { "practices/a.md", "a2", 0 });
	COMMIT(&fx, "Carol", at(2024, 3, 5), { "practices/c.md", "c1", 0 },
	       { "practices/b.md", "b2", 0 });

	h = load_history(fx.dir, "HEAD", PK_HISTORY_NO_CACHE);
	assert_history(h, "practices/a.md", "2024-01-10 2024-02-20 Alice, Bob");
	assert_history(h, "practices/b.md", "2024-01-10 2024-03-05 Alice, Carol");
	assert_history(h, "practices/c.md", "2024-03-05 2024-03-05 Carol");
	assert_history(h, "practices/d.md", "none");
	assert_history(h, "practices", "none");
	assert_false(pk_history_is_shallow(h));
	assert_false(pk_history_from_cache(h));
	pk_history_free(h);

	h = load_history(fx.dir, "HEAD~1", PK_HISTORY_NO_CACHE);
	assert_history(h, "practices/b.md", "2024-01-10 2024-01-10 Alice");
	assert_history(h, "practices/c.md", "none");
	pk_history_free(h);
	fixture_release(&fx);
}

#define LONG_TEXT \
	"A practice that is long enough for rename detection to see\n" \
	"that most of its lines stayed the same after the move.\n" \
	"line three\nline four\nline five\nline six\nline seven\n"

static void test_git_rename_followed(void **state)
{
	fixture fx;
	pk_history *h;
	(void)state;

	fixture_init(&fx, false);
	COMMIT(&fx, "Alice", at(2024, 1, 1), { "practices/old.md", LONG_TEXT, 0 },
	       { "practices/other.md", "other", 0 });
	COMMIT(&fx, "Bob", at(2024, 2, 1), { "practices/old.md", NULL, 0 },
	       { "practices/moved/new.md", LONG_TEXT "line eight\n", 0 });
	COMMIT(&fx, "Carol", at(2024, 3, 1), { "practices/moved/new.md", LONG_TEXT "changed\n", 0 });

	h = load_history(fx.dir, NULL, PK_HISTORY_NO_CACHE);
	assert_history(h, "practices/moved/new.md", "2024-01-01 2024-03-01 Alice, Bob, Carol");
	assert_history(h, "practices/old.md", "none");
	assert_history(h, "practices/other.md", "2024-01-01 2024-01-01 Alice");
	pk_history_free(h);
	fixture_release(&fx);
}

static void test_git_deleted_and_readded(void **state)
{
	fixture fx;
	pk_history *h;
	(void)state;

	fixture_init(&fx, false);
	COMMIT(&fx, "Alice", at(2024, 1, 1), { "p.md", "first life", 0 }, { "q.md", "q", 0 });
	COMMIT(&fx, "Bob", at(2024, 2, 1), { "p.md", "first life, edited", 0 });
	COMMIT(&fx, "Bob", at(2024, 3, 1), { "p.md", NULL, 0 });
	COMMIT(&fx, "Carol", at(2024, 4, 1), { "q.md", "q2", 0 });
	COMMIT(&fx, "Dana", at(2024, 5, 1), { "p.md", "second life", 0 });

	h = load_history(fx.dir, "HEAD", PK_HISTORY_NO_CACHE);
	assert_history(h, "p.md", "2024-05-01 2024-05-01 Dana");
	assert_history(h, "q.md", "2024-01-01 2024-04-01 Alice, Carol");
	pk_history_free(h);
	fixture_release(&fx);
}

/*
 *   C1 (Alice) ── C2 (Bob: b) ─────────── M (Erin: resolves c)
 *      └──────── B1 (Dana: a, x, c) ────┘
 */
static void test_git_merge(void **state)
{
	fixture fx;
	git_oid c1, b1, merge[2];
	pk_history *h;
	pk_source *src;
	(void)state;

	fixture_init(&fx, false);
	c1 = COMMIT(&fx, "Alice", at(2024, 1, 1), { "a.md", "a", 0 }, { "b.md", "b", 0 },
		    { "c.md", "c", 0 });
	b1 = commit_on(&fx, NULL, &c1, 1, "Dana", at(2024, 2, 1),
		       CHANGES({ "a.md", "a from branch", 0 }, { "x.md", "x", 0 },
			       { "c.md", "c from branch", 0 }),
		       3);
	COMMIT(&fx, "Bob", at(2024, 3, 1), { "b.md", "b on main", 0 }, { "c.md", "c on main", 0 });
	merge[0] = fx.head;
	merge[1] = b1;
	fx.head = commit_on(&fx, "HEAD", merge, 2, "Erin", at(2024, 4, 1),
			    CHANGES({ "a.md", "a from branch", 0 }, { "x.md", "x", 0 },
				    { "c.md", "c resolved", 0 }),
			    3);

	h = load_history(fx.dir, "HEAD", PK_HISTORY_NO_CACHE);
	assert_history(h, "a.md", "2024-01-01 2024-02-01 Alice, Dana");
	assert_history(h, "x.md", "2024-02-01 2024-02-01 Dana");
	assert_history(h, "b.md", "2024-01-01 2024-03-01 Alice, Bob");
	assert_history(h, "c.md", "2024-01-01 2024-04-01 Alice, Bob, Dana, Erin");
	pk_history_free(h);

	src = open_git(fx.dir, "HEAD");
	assert_read(src, "a.md", "a from branch");
	assert_read(src, "c.md", "c resolved");
	assert_list(src, "", "a.md\nb.md\nc.md\nx.md\n");
	pk_source_free(src);
	fixture_release(&fx);
}

static void test_git_bare_repository(void **state)
{
	fixture fx;
	pk_source *src;
	pk_history *h;
	char *cache;
	(void)state;

	fixture_init(&fx, true);
	COMMIT(&fx, "Alice", at(2024, 6, 1), { "site.yaml", "title: Bank\n", 0 },
	       { "practices/a.md", "# A\n", 0 });
	src = open_git(fx.dir, "HEAD");
	assert_read(src, "site.yaml", "title: Bank\n");
	assert_list(src, "", "practices/a.md\nsite.yaml\n");
	pk_source_free(src);

	h = load_history(fx.dir, "HEAD", 0);
	assert_history(h, "practices/a.md", "2024-06-01 2024-06-01 Alice");
	pk_history_free(h);
	cache = join(fx.dir, "praktika-history");
	assert_true(pk_fs_is_file(cache));
	free(cache);
	fixture_release(&fx);
}

static void test_git_old_revisions(void **state)
{
	fixture fx;
	git_oid first, second, tag_id;
	git_object *target = NULL;
	git_signature *sig = NULL;
	pk_source *src;
	char id[41], *first_hex, *second_hex;
	(void)state;

	fixture_init(&fx, false);
	first = COMMIT(&fx, "Alice", at(2024, 1, 1), { "a.md", "old", 0 });
	second = COMMIT(&fx, "Bob", at(2024, 2, 1), { "a.md", "new", 0 }, { "b.md", "b", 0 });
	first_hex = hex(&first);
	second_hex = hex(&second);
	check_git(git_object_lookup(&target, fx.repo, &first, GIT_OBJECT_COMMIT));
	check_git(git_tag_create_lightweight(&tag_id, fx.repo, "v1", target, 0));
	check_git(git_signature_new(&sig, "Alice", "a@example.org", at(2024, 1, 2), 0));
	check_git(git_tag_create(&tag_id, fx.repo, "v1-annotated", target, sig, "v1\n", 0));

	src = open_git(fx.dir, "HEAD~1");
	assert_read(src, "a.md", "old");
	assert_list(src, "", "a.md\n");
	assert_int_equal(pk_source_git_commit_id(src, id), PK_OK);
	assert_string_equal(id, first_hex);
	pk_source_free(src);

	src = open_git(fx.dir, "v1-annotated");
	assert_read(src, "a.md", "old");
	pk_source_free(src);
	src = open_git(fx.dir, "v1");
	assert_read(src, "a.md", "old");
	pk_source_free(src);
	first_hex[12] = '\0';
	src = open_git(fx.dir, first_hex);
	assert_read(src, "a.md", "old");
	pk_source_free(src);

	src = open_git(fx.dir, second_hex);
	assert_read(src, "a.md", "new");
	assert_int_equal(pk_source_git_commit_id(src, id), PK_OK);
	assert_string_equal(id, second_hex);
	pk_source_free(src);
	src = open_git(fx.dir, "master");
	assert_read(src, "b.md", "b");
	pk_source_free(src);

	git_object_free(target);
	git_signature_free(sig);
	free(first_hex);
	free(second_hex);
	fixture_release(&fx);
}

static void test_git_list_sorted(void **state)
{
	fixture fx;
	pk_source *src;
	pk_buf b = PK_BUF_INIT;
	pk_diags d = PK_DIAGS_INIT;
	(void)state;

	fixture_init(&fx, false);
	COMMIT(&fx, "Alice", at(2024, 1, 1), { "b.md", "b", 0 }, { "a-c.md", "a-c", 0 },
	       { "a/z/y.md", "y", 0 }, { "a/b.md", "ab", 0 }, { "A.md", "A", 0 },
	       { ".hidden", "h", 0 }, { "dir/.secret/x.md", "x", 0 },
	       { "practices/run.sh", "#!/bin/sh\n", GIT_FILEMODE_BLOB_EXECUTABLE });
	src = open_git(fx.dir, NULL);
	assert_list(src, "", "A.md\na/b.md\na/z/y.md\na-c.md\nb.md\npractices/run.sh\n");
	assert_list(src, "a", "a/b.md\na/z/y.md\n");
	assert_list(src, "a/z", "a/z/y.md\n");
	assert_list(src, "missing", "");
	assert_list(src, "a-c.md", "");
	assert_list(src, "../a", "");
	assert_list(src, "/a", "");
	assert_read(src, ".hidden", "h");
	assert_read(src, "practices/run.sh", "#!/bin/sh\n");
	assert_int_equal(pk_source_read(src, &b, "a", &d), PK_ENOTFOUND);
	assert_int_equal(pk_source_read(src, &b, "nope.md", &d), PK_ENOTFOUND);
	assert_int_equal(pk_source_read(src, &b, "a/b.md/x", &d), PK_ENOTFOUND);
	assert_int_equal(pk_source_read(src, &b, "../a/b.md", &d), PK_ENOTFOUND);
	assert_int_equal(pk_source_read(src, &b, "a//b.md", &d), PK_ENOTFOUND);
	assert_int_equal(b.len, 0);
	assert_int_equal(d.len, 0);
	pk_source_free(src);
	fixture_release(&fx);
}

static void test_git_links_and_submodules_skipped(void **state)
{
	fixture fx;
	pk_source *src;
	pk_history *h;
	pk_buf b = PK_BUF_INIT;
	pk_diags d = PK_DIAGS_INIT;
	char *text;
	(void)state;

	fixture_init(&fx, false);
	COMMIT(&fx, "Alice", at(2024, 1, 1), { "practices/a.md", "a", 0 },
	       { "practices/link.md", "a.md", GIT_FILEMODE_LINK },
	       { "practices/out.md", "../../../etc/passwd", GIT_FILEMODE_LINK },
	       { "vendor/lib", "0123456789abcdef0123456789abcdef01234567", GIT_FILEMODE_COMMIT });
	src = open_git(fx.dir, NULL);
	text = list_text(src, "", &d);
	assert_string_equal(text, "practices/a.md\n");
	free(text);
	assert_diags_in(&d, fx.dir, "practices/link.md: warning: symbolic link skipped\n"
			 "practices/out.md: warning: symbolic link skipped\n"
			 "vendor/lib: warning: submodule skipped\n");
	assert_int_equal(pk_source_read(src, &b, "practices/link.md", &d), PK_ENOTFOUND);
	assert_int_equal(pk_source_read(src, &b, "vendor/lib", &d), PK_ENOTFOUND);
	assert_int_equal(b.len, 0);
	assert_diags_in(&d, fx.dir, "practices/link.md: warning: symbolic link skipped\n");
	/* Callers may list without diagnostics. */
	text = list_text(src, "practices", NULL);
	assert_string_equal(text, "practices/a.md\n");
	free(text);
	pk_source_free(src);

	h = load_history(fx.dir, NULL, PK_HISTORY_NO_CACHE);
	assert_history(h, "practices/a.md", "2024-01-01 2024-01-01 Alice");
	assert_history(h, "practices/link.md", "none");
	assert_history(h, "vendor/lib", "none");
	pk_history_free(h);
	fixture_release(&fx);
}

static void test_git_lfs_pointer(void **state)
{
	fixture fx;
	pk_source *src;
	pk_buf b = PK_BUF_INIT;
	pk_diags d = PK_DIAGS_INIT;
	(void)state;

	fixture_init(&fx, false);
	COMMIT(&fx, "Alice", at(2024, 1, 1),
	       { "static/photo.jpg", "version https://git-lfs.github.com/spec/v1\n"
				     "oid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\n"
				     "size 12345\n", 0 },
	       { "static/about-lfs.txt", "version https://git-lfs.github.com/spec/v2 is not v1", 0 });
	src = open_git(fx.dir, NULL);
	assert_int_equal(pk_source_read(src, &b, "static/photo.jpg", &d), PK_ERROR);
	assert_int_equal(b.len, 0);
	assert_diags_in(&d, fx.dir, "static/photo.jpg: error: file is a Git LFS pointer, not its content "
			 "(run git lfs pull)\n");
	assert_read(src, "static/about-lfs.txt",
		    "version https://git-lfs.github.com/spec/v2 is not v1");
	pk_source_free(src);
	fixture_release(&fx);
}

static void assert_open_fails(const char *dir, const char *rev, const char *expected)
{
	pk_source *src = NULL;
	pk_history *h = NULL;
	pk_diags d = PK_DIAGS_INIT;
	pk_buf want = PK_BUF_INIT;

	pk_buf_printf(&want, "%s: error: %s\n", dir, expected);
	assert_int_equal(pk_source_git_new(&src, dir, rev, &d), PK_ERROR);
	assert_null(src);
	assert_diags(&d, want.ptr);
	assert_int_equal(pk_history_load(&h, dir, rev, NULL, &d), PK_ERROR);
	assert_null(h);
	assert_diags(&d, want.ptr);
	pk_buf_release(&want);
}

static void test_git_errors(void **state)
{
	fixture fx;
	char *plain = pk_test_tmpdir();
	(void)state;

	fixture_init(&fx, false);
	assert_open_fails(fx.dir, "HEAD", "unknown revision 'HEAD'");
	COMMIT(&fx, "Alice", at(2024, 1, 1), { "a.md", "a", 0 });
	assert_open_fails(fx.dir, "v9", "unknown revision 'v9'");
	assert_open_fails(fx.dir, "HEAD~5", "unknown revision 'HEAD~5'");
	assert_open_fails(fx.dir, "HEAD^{tree}", "revision 'HEAD^{tree}' is not a commit");
	assert_open_fails(plain, "HEAD", "git repository not found");
	pk_test_rmtree(plain);
	free(plain);
	fixture_release(&fx);
}

static void test_git_shallow(void **state)
{
	fixture fx;
	git_oid boundary, root;
	pk_history *h;
	pk_buf path = PK_BUF_INIT;
	char *id;
	(void)state;

	fixture_init(&fx, false);
	root = COMMIT(&fx, "Alice", at(2024, 1, 1), { "a.md", "a", 0 }, { "b.md", "b", 0 });
	boundary = COMMIT(&fx, "Bob", at(2024, 2, 1), { "b.md", "b2", 0 });
	COMMIT(&fx, "Carol", at(2024, 3, 1), { "a.md", "a2", 0 });

	/* git marks a shallow clone by listing its boundary commits. */
	id = hex(&boundary);
	id[GIT_OID_HEXSZ] = '\n';
	pk_path_join(&path, git_repository_path(fx.repo), "shallow");
	assert_int_equal(pk_fs_write_atomic(path.ptr, id, GIT_OID_HEXSZ + 1, NULL), PK_OK);
	free(id);

	h = load_history(fx.dir, "HEAD", 0);
	assert_true(pk_history_is_shallow(h));
	assert_false(pk_history_from_cache(h));
	assert_history(h, "a.md", "2024-02-01 2024-03-01 Bob, Carol");
	assert_history(h, "b.md", "2024-02-01 2024-02-01 Bob");
	pk_history_free(h);

	/* Like a real shallow clone, drop the commit behind the boundary. */
	id = hex(&root);
	pk_buf_clear(&path);
	pk_buf_printf(&path, "%sobjects/%.2s/%s", git_repository_path(fx.repo), id, id + 2);
	assert_int_equal(remove(path.ptr), 0);
	free(id);
	h = load_history(fx.dir, "HEAD", 0);
	assert_true(pk_history_is_shallow(h));
	assert_history(h, "a.md", "2024-02-01 2024-03-01 Bob, Carol");
	pk_history_free(h);

	/* Shallow histories are never cached. */
	pk_buf_clear(&path);
	pk_path_join(&path, git_repository_path(fx.repo), "praktika-history");
	assert_false(pk_fs_is_file(path.ptr));
	pk_buf_release(&path);
	fixture_release(&fx);
}

/* Commits the folder dir as it is on disk (like git add -A). */
static void commit_worktree(fixture *fx, const char *who, int64_t when)
{
	git_index *index = NULL;
	git_tree *tree = NULL;
	git_signature *sig = NULL;
	git_oid tree_id;

	check_git(git_repository_index(&index, fx->repo));
	check_git(git_index_add_all(index, NULL, 0, NULL, NULL));
	check_git(git_index_write(index));
	check_git(git_index_write_tree(&tree_id, index));
	check_git(git_tree_lookup(&tree, fx->repo, &tree_id));
	check_git(git_signature_new(&sig, who, "someone@example.org", when, 0));
	check_git(git_commit_create(&fx->head, fx->repo, "HEAD", sig, sig, NULL, "all\n", tree, 0,
				    NULL));
	git_signature_free(sig);
	git_tree_free(tree);
	git_index_free(index);
}

static void assert_same_listing(pk_source *a, pk_source *b, const char *dir)
{
	char *la = list_text(a, dir, NULL), *lb = list_text(b, dir, NULL);
	assert_string_equal(la, lb);
	free(la);
	free(lb);
}

static void test_git_matches_worktree(void **state)
{
	static const char *const files[] = {
		"site.yaml", "practices/a-b.md", "practices/a/b.md", "practices/Z.md",
		"practices/z.md", "mentors/anna.md", "static/img/logo.svg", ".gitignore",
		"practices/.draft.md", "README.md",
	};
	fixture fx;
	pk_source *wt = NULL, *git;
	pk_diags d = PK_DIAGS_INIT;
	pk_vec listed = PK_VEC_INIT;
	pk_buf shown_wt = PK_BUF_INIT, shown_git = PK_BUF_INIT;
	size_t i;
	(void)state;

	fixture_init(&fx, false);
	for (i = 0; i < PK_ARRAY_SIZE(files); i++) {
		pk_buf text = PK_BUF_INIT;
		pk_buf_printf(&text, "---\ntitle: %s\n---\nБанк практик \xe2\x80\x94 %zu\r\n",
			      files[i], i);
		pk_test_write(fx.dir, files[i], text.ptr);
		pk_buf_release(&text);
	}
	commit_worktree(&fx, "Alice", at(2024, 1, 1));
	assert_int_equal(pk_source_worktree_new(&wt, fx.dir, &d), PK_OK);
	git = open_git(fx.dir, "HEAD");

	assert_same_listing(wt, git, "");
	assert_same_listing(wt, git, "practices");
	assert_same_listing(wt, git, "static/img");
	pk_source_list(git, &listed, "", &d);
	assert_int_equal(listed.len, 8);
	for (i = 0; i < listed.len; i++) {
		pk_buf from_wt = PK_BUF_INIT, from_git = PK_BUF_INIT;
		assert_int_equal(pk_source_read(wt, &from_wt, listed.items[i], &d), PK_OK);
		assert_int_equal(pk_source_read(git, &from_git, listed.items[i], &d), PK_OK);
		assert_int_equal(from_wt.len, from_git.len);
		assert_memory_equal(from_wt.ptr, from_git.ptr, from_wt.len);
		pk_buf_release(&from_wt);
		pk_buf_release(&from_git);
		free(listed.items[i]);
	}
	pk_source_display_path(&shown_wt, wt, "site.yaml");
	pk_source_display_path(&shown_git, git, "site.yaml");
	assert_string_equal(shown_wt.ptr, shown_git.ptr);
	assert_int_equal(d.len, 0);

	pk_buf_release(&shown_wt);
	pk_buf_release(&shown_git);
	pk_vec_release(&listed);
	pk_source_free(wt);
	pk_source_free(git);
	fixture_release(&fx);
}

static void test_git_bank_in_subfolder(void **state)
{
	fixture fx;
	pk_source *src = NULL;
	pk_history *h;
	pk_diags d = PK_DIAGS_INIT;
	pk_buf want = PK_BUF_INIT;
	char *bank, *deeper;
	(void)state;

	fixture_init(&fx, false);
	COMMIT(&fx, "Alice", at(2024, 1, 1), { "README.md", "repo", 0 });
	COMMIT(&fx, "Bob", at(2024, 2, 1), { "bank/practices/a.md", "a", 0 },
	       { "bank/site.yaml", "s", 0 });
	COMMIT(&fx, "Carol", at(2024, 3, 1), { "README.md", "repo 2", 0 },
	       { "other/practices/a.md", "not ours", 0 });
	COMMIT(&fx, "Dana", at(2024, 4, 1), { "bank/practices/a.md", "a2", 0 });
	bank = join(fx.dir, "bank");
	deeper = join(fx.dir, "bank/practices");
	assert_int_equal(pk_fs_mkdirs(deeper, NULL), PK_OK);

	src = open_git(bank, "HEAD");
	assert_list(src, "", "practices/a.md\nsite.yaml\n");
	assert_read(src, "site.yaml", "s");
	pk_buf_printf(&want, "%s/", bank);
	assert_string_equal(src->display_root, want.ptr);
	pk_source_free(src);

	h = load_history(bank, "HEAD", 0);
	assert_history(h, "practices/a.md", "2024-02-01 2024-04-01 Bob, Dana");
	assert_history(h, "site.yaml", "2024-02-01 2024-02-01 Bob");
	assert_history(h, "bank/site.yaml", "none");
	pk_history_free(h);
	/* The cache is keyed by the bank folder too. */
	h = load_history(deeper, "HEAD", 0);
	assert_false(pk_history_from_cache(h));
	assert_history(h, "a.md", "2024-02-01 2024-04-01 Bob, Dana");
	pk_history_free(h);

	pk_buf_clear(&want);
	pk_buf_printf(&want, "%s: error: folder 'bank' not found at revision 'HEAD~3'\n", bank);
	assert_int_equal(pk_source_git_new(&src, bank, "HEAD~3", &d), PK_ERROR);
	assert_diags(&d, want.ptr);

	/* The git dir itself reads the whole tree. */
	free(bank);
	bank = join(fx.dir, ".git");
	src = open_git(bank, "HEAD");
	assert_list(src, "bank", "bank/practices/a.md\nbank/site.yaml\n");
	pk_source_free(src);

	pk_buf_release(&want);
	free(bank);
	free(deeper);
	fixture_release(&fx);
}

static void corrupt(const char *path, size_t at_byte, char c)
{
	pk_buf text = PK_BUF_INIT;
	assert_int_equal(pk_fs_read(&text, path, NULL), PK_OK);
	assert_true(at_byte < text.len);
	text.ptr[at_byte] = c;
	assert_int_equal(pk_fs_write_atomic(path, text.ptr, text.len, NULL), PK_OK);
	pk_buf_release(&text);
}

static void check_cached_history(const pk_history *h)
{
	assert_history(h, "with space.md", "2024-01-01 2024-02-01 Anna Maria, Bob");
	assert_history(h, "new\nline.md", "2024-02-01 2024-02-01 Bob");
	assert_history(h, "z.md", "2024-01-01 2024-01-01 Anna Maria");
}

static void test_git_history_cache(void **state)
{
	fixture fx;
	pk_history *h;
	pk_buf text = PK_BUF_INIT;
	char *cache;
	(void)state;

	fixture_init(&fx, false);
	COMMIT(&fx, "Anna Maria", at(2024, 1, 1), { "with space.md", "1", 0 }, { "z.md", "z", 0 });
	COMMIT(&fx, "Bob", at(2024, 2, 1), { "with space.md", "2", 0 }, { "new\nline.md", "n", 0 });
	cache = join(git_repository_path(fx.repo), "praktika-history");

	h = load_history(fx.dir, "HEAD", PK_HISTORY_NO_CACHE);
	assert_false(pk_history_from_cache(h));
	pk_history_free(h);
	assert_false(pk_fs_is_file(cache));

	h = load_history(fx.dir, "HEAD", 0);
	assert_false(pk_history_from_cache(h));
	check_cached_history(h);
	pk_history_free(h);
	assert_true(pk_fs_is_file(cache));
	h = load_history(fx.dir, "HEAD", 0);
	assert_true(pk_history_from_cache(h));
	check_cached_history(h);
	pk_history_free(h);
	h = load_history(fx.dir, "HEAD", PK_HISTORY_NO_CACHE);
	assert_false(pk_history_from_cache(h));
	pk_history_free(h);

	/* A damaged cache is recomputed and rewritten. */
	corrupt(cache, 60, 'X');
	h = load_history(fx.dir, "HEAD", 0);
	assert_false(pk_history_from_cache(h));
	check_cached_history(h);
	pk_history_free(h);
	assert_int_equal(pk_fs_read(&text, cache, NULL), PK_OK);
	assert_int_equal(pk_fs_write_atomic(cache, text.ptr, text.len / 2, NULL), PK_OK);
	h = load_history(fx.dir, "HEAD", 0);
	assert_false(pk_history_from_cache(h));
	check_cached_history(h);
	pk_history_free(h);
	assert_int_equal(pk_fs_write_atomic(cache, "", 0, NULL), PK_OK);
	h = load_history(fx.dir, "HEAD", 0);
	assert_false(pk_history_from_cache(h));
	pk_history_free(h);
	h = load_history(fx.dir, "HEAD", 0);
	assert_true(pk_history_from_cache(h));
	pk_history_free(h);

	/* Another revision replaces it. */
	h = load_history(fx.dir, "HEAD~1", 0);
	assert_false(pk_history_from_cache(h));
	assert_history(h, "new\nline.md", "none");
	pk_history_free(h);
	h = load_history(fx.dir, "HEAD", 0);
	assert_false(pk_history_from_cache(h));
	pk_history_free(h);

	pk_buf_release(&text);
	free(cache);
	fixture_release(&fx);
}

static void test_git_nesting_limit(void **state)
{
	fixture fx;
	pk_source *src;
	pk_history *h = NULL;
	pk_diags d = PK_DIAGS_INIT;
	pk_buf deep = PK_BUF_INIT, ok = PK_BUF_INIT, want = PK_BUF_INIT;
	char *text;
	int i;
	(void)state;

	for (i = 0; i < 63; i++)
		pk_buf_puts(&ok, "d/");
	pk_buf_puts(&ok, "f.md");
	for (i = 0; i < 70; i++)
		pk_buf_puts(&deep, "e/");
	pk_buf_puts(&deep, "f.md");
	fixture_init(&fx, false);
	commit_linear(&fx, "Alice", at(2024, 1, 1),
		      CHANGES({ ok.ptr, "deep but fine", 0 }, { deep.ptr, "too deep", 0 }), 2);
	src = open_git(fx.dir, NULL);
	assert_read(src, deep.ptr, "too deep");
	text = list_text(src, "d", &d);
	pk_buf_printf(&want, "%s\n", ok.ptr);
	assert_string_equal(text, want.ptr);
	assert_int_equal(d.len, 0);
	free(text);

	text = list_text(src, "e", &d);
	pk_buf_clear(&want);
	/* 64 folders under the listed "e", as the working-tree walk counts. */
	for (i = 0; i < 65; i++)
		pk_buf_puts(&want, i ? "/e" : "e");
	pk_buf_puts(&want, ": error: directories nested too deep\n");
	assert_diags_in(&d, fx.dir, want.ptr);
	assert_string_equal(text, "");
	free(text);
	pk_source_free(src);

	assert_int_equal(pk_history_load(&h, fx.dir, NULL, NULL, &d), PK_ELIMIT);
	assert_null(h);
	assert_int_equal(d.errors, 1);
	pk_diags_release(&d);

	pk_buf_release(&deep);
	pk_buf_release(&ok);
	pk_buf_release(&want);
	fixture_release(&fx);
}

static void test_git_commit_id_of_other_sources(void **state)
{
	char *dir = pk_test_tmpdir();
	pk_source *wt = NULL;
	pk_diags d = PK_DIAGS_INIT;
	char id[41] = "unchanged";
	(void)state;

	assert_int_equal(pk_source_worktree_new(&wt, dir, &d), PK_OK);
	assert_int_equal(pk_source_git_commit_id(wt, id), PK_ENOTFOUND);
	assert_string_equal(id, "unchanged");
	pk_source_free(wt);
	pk_test_rmtree(dir);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_git_utc_date),
		cmocka_unit_test(test_git_linear_history),
		cmocka_unit_test(test_git_rename_followed),
		cmocka_unit_test(test_git_deleted_and_readded),
		cmocka_unit_test(test_git_merge),
		cmocka_unit_test(test_git_bare_repository),
		cmocka_unit_test(test_git_old_revisions),
		cmocka_unit_test(test_git_list_sorted),
		cmocka_unit_test(test_git_links_and_submodules_skipped),
		cmocka_unit_test(test_git_lfs_pointer),
		cmocka_unit_test(test_git_errors),
		cmocka_unit_test(test_git_shallow),
		cmocka_unit_test(test_git_matches_worktree),
		cmocka_unit_test(test_git_bank_in_subfolder),
		cmocka_unit_test(test_git_history_cache),
		cmocka_unit_test(test_git_nesting_limit),
		cmocka_unit_test(test_git_commit_id_of_other_sources),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
