/* Unit tests of src/output and src/source: atomic writes, unchanged files,
 * refusal to replace foreign folders, safe paths. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "core/fs.h"
#include "output/output.h"
#include "output/pagerec.h"
#include "source/source.h"
#include "testutil.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char *site_path(const char *dir, const char *rel)
{
	pk_buf b = PK_BUF_INIT;
	pk_path_join(&b, dir, rel);
	return pk_buf_detach(&b);
}

static int build(const char *out_dir, const char *index, pk_diags *d)
{
	pk_output out;
	int rc = pk_output_begin(&out, out_dir, d);
	if (rc == 0)
		rc = pk_output_write(&out, "index.html", index, strlen(index), d);
	if (rc == 0)
		rc = pk_output_write(&out, "a/b/page.html", "page", 4, d);
	if (rc == 0)
		rc = pk_output_commit(&out, d);
	else
		pk_output_abort(&out);
	/* the commit knows the hash of the manifest it left */
	if (rc == 0)
		assert_true(out.manifest_hash == pk_output_manifest_hash(out_dir));
	pk_output_release(&out);
	return rc;
}

static ino_t inode_of(const char *path)
{
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	return st.st_ino;
}

/* An unchanged file is not touched (same inode, same mtime); a changed one
 * is replaced; a file the new site lacks is removed; an edit by hand is
 * noticed and undone. */
static void test_output_unchanged_untouched(void **state)
{
	char *dir = pk_test_tmpdir(), *site = site_path(dir, "public");
	char *index = site_path(site, "index.html"), *page = site_path(site, "a/b/page.html");
	pk_diags d = PK_DIAGS_INIT;
	pk_buf text = PK_BUF_INIT;
	ino_t page_inode, index_inode;
	pk_output out;
	(void)state;

	assert_int_equal(build(site, "one", &d), 0);
	assert_int_equal(pk_fs_read(&text, index, NULL), 0);
	assert_string_equal(text.ptr, "one");
	page_inode = inode_of(page);
	index_inode = inode_of(index);
	assert_int_equal(build(site, "two", &d), 0);
	pk_buf_clear(&text);
	pk_fs_read(&text, index, NULL);
	assert_string_equal(text.ptr, "two");
	assert_true(inode_of(page) == page_inode);   /* untouched */
	assert_true(inode_of(index) != index_inode); /* replaced */

	/* a hand edit of an unchanged page is undone by the next build */
	pk_fs_write_atomic(page, "edited", 6, NULL);
	assert_int_equal(build(site, "two", &d), 0);
	pk_buf_clear(&text);
	pk_fs_read(&text, page, NULL);
	assert_string_equal(text.ptr, "page");

	/* a page the new site no longer has is removed, with its folders */
	assert_int_equal(pk_output_begin(&out, site, &d), 0);
	assert_int_equal(pk_output_write(&out, "index.html", "two", 3, &d), 0);
	assert_int_equal(pk_output_commit(&out, &d), 0);
	assert_int_equal(out.files_removed, 1);
	pk_output_release(&out);
	assert_false(pk_fs_is_file(page));
	pk_buf_clear(&text);
	pk_buf_printf(&text, "%s/a", site);
	assert_false(pk_fs_is_dir(text.ptr));
	assert_int_equal(d.len, 0);
	pk_buf_release(&text);
	pk_diags_release(&d);
	pk_test_rmtree(dir);
	free(dir);
	free(site);
	free(index);
	free(page);
}

/* The same files written in another order (workers finish pages in any
 * order) leave the manifest as it was, inode and all. */
static void test_output_manifest_order(void **state)
{
	char *dir = pk_test_tmpdir(), *site = site_path(dir, "public");
	char *manifest = site_path(site, PK_OUTPUT_MARKER);
	pk_diags d = PK_DIAGS_INIT;
	pk_output out;
	ino_t inode;
	(void)state;

	assert_int_equal(build(site, "one", &d), 0);
	inode = inode_of(manifest);
	assert_int_equal(pk_output_begin(&out, site, &d), 0);
	assert_int_equal(pk_output_write(&out, "a/b/page.html", "page", 4, &d), 0);
	assert_int_equal(pk_output_write(&out, "index.html", "one", 3, &d), 0);
	assert_int_equal(pk_output_commit(&out, &d), 0);
	assert_int_equal(out.files_written, 0);
	pk_output_release(&out);
	assert_true(inode_of(manifest) == inode);
	assert_int_equal(d.len, 0);
	pk_diags_release(&d);
	pk_test_rmtree(dir);
	free(dir);
	free(site);
	free(manifest);
}

/* Nothing reaches the output folder before the commit. */
static void test_output_nothing_before_commit(void **state)
{
	char *dir = pk_test_tmpdir(), *site = site_path(dir, "public");
	char *index = site_path(site, "index.html");
	pk_diags d = PK_DIAGS_INIT;
	pk_buf text = PK_BUF_INIT;
	pk_output out;
	(void)state;

	assert_int_equal(build(site, "old", &d), 0);
	assert_int_equal(pk_output_begin(&out, site, &d), 0);
	assert_int_equal(pk_output_write(&out, "index.html", "new", 3, &d), 0);
	pk_fs_read(&text, index, NULL);
	assert_string_equal(text.ptr, "old");
	pk_output_abort(&out); /* a failed build */
	pk_output_release(&out);
	pk_buf_clear(&text);
	pk_fs_read(&text, index, NULL);
	assert_string_equal(text.ptr, "old");
	pk_buf_release(&text);
	pk_diags_release(&d);
	pk_test_rmtree(dir);
	free(dir);
	free(site);
	free(index);
}

static void test_output_refuses_foreign_folder(void **state)
{
	char *dir = pk_test_tmpdir();
	pk_diags d = PK_DIAGS_INIT;
	pk_buf text = PK_BUF_INIT;
	(void)state;

	pk_test_write(dir, "site/notes.txt", "mine");
	pk_buf_printf(&text, "%s/site", dir);
	assert_int_equal(build(text.ptr, "x", &d), PK_ERROR);
	assert_int_equal(d.errors, 1);
	assert_non_null(strstr(d.items[0].msg, "not made by praktika"));
	pk_buf_puts(&text, "/notes.txt");
	assert_true(pk_fs_is_file(text.ptr));
	pk_buf_release(&text);
	pk_diags_release(&d);
	pk_test_rmtree(dir);
	free(dir);
}

static void test_output_duplicate_path(void **state)
{
	char *dir = pk_test_tmpdir(), *site = site_path(dir, "out");
	pk_diags d = PK_DIAGS_INIT;
	pk_output out;
	(void)state;

	assert_int_equal(pk_output_begin(&out, site, &d), 0);
	assert_int_equal(pk_output_write(&out, "x.html", "a", 1, &d), 0);
	assert_int_equal(pk_output_write(&out, "x.html", "b", 1, &d), PK_ERROR);
	pk_output_abort(&out);
	pk_output_release(&out);
	assert_false(pk_fs_is_dir(site));
	pk_diags_release(&d);
	pk_test_rmtree(dir);
	free(dir);
	free(site);
}

static void test_source_paths(void **state)
{
	char *dir = pk_test_tmpdir();
	pk_diags d = PK_DIAGS_INIT;
	pk_source *src = NULL;
	pk_buf text = PK_BUF_INIT;
	pk_vec files = PK_VEC_INIT;
	size_t i;
	(void)state;

	assert_true(pk_source_path_is_safe("content/a.md"));
	assert_false(pk_source_path_is_safe("../x"));
	assert_false(pk_source_path_is_safe("a/../../x"));
	assert_false(pk_source_path_is_safe("/etc/passwd"));
	assert_false(pk_source_path_is_safe("a//b"));
	assert_false(pk_source_path_is_safe("a\\b"));
	pk_test_write(dir, "content/b.md", "b");
	pk_test_write(dir, "content/a/c.md", "c");
	pk_test_write(dir, "content/.hidden", "h");
	assert_int_equal(pk_source_worktree_new(&src, dir, &d), 0);
	assert_int_equal(pk_source_read(src, &text, "content/b.md", &d), 0);
	assert_string_equal(text.ptr, "b");
	assert_int_equal(pk_source_read(src, &text, "../etc/passwd", &d), PK_ENOTFOUND);
	assert_int_equal(pk_source_list(src, &files, "content", &d), 0);
	assert_int_equal(files.len, 2);
	assert_string_equal(files.items[0], "content/a/c.md");
	assert_string_equal(files.items[1], "content/b.md");
	for (i = 0; i < files.len; i++)
		free(files.items[i]);
	pk_vec_release(&files);
	pk_buf_release(&text);
	pk_source_free(src);
	pk_diags_release(&d);
	pk_test_rmtree(dir);
	free(dir);
}

static void test_source_symlink_outside(void **state)
{
	char *dir = pk_test_tmpdir();
	pk_diags d = PK_DIAGS_INIT;
	pk_source *src = NULL;
	pk_vec files = PK_VEC_INIT;
	pk_buf link = PK_BUF_INIT;
	(void)state;

	pk_test_write(dir, "content/a.md", "a");
	pk_buf_printf(&link, "%s/content/secret.md", dir);
	assert_int_equal(symlink("/etc/passwd", link.ptr), 0);
	pk_source_worktree_new(&src, dir, &d);
	pk_source_list(src, &files, "content", &d);
	assert_int_equal(files.len, 1);
	assert_int_equal(d.warnings, 1);
	free(files.items[0]);
	pk_vec_release(&files);
	pk_buf_release(&link);
	pk_source_free(src);
	pk_diags_release(&d);
	pk_test_rmtree(dir);
	free(dir);
}

/* A kept file stays as it was (same inode) and counts as written; a file
 * the old site lacks, or one edited by hand since, cannot be kept. */
static void test_output_keep(void **state)
{
	char *dir = pk_test_tmpdir(), *site = site_path(dir, "public");
	char *page = site_path(site, "a/b/page.html");
	pk_diags d = PK_DIAGS_INIT;
	pk_buf text = PK_BUF_INIT;
	pk_output out;
	ino_t inode;
	int rc;
	(void)state;

	assert_int_equal(pk_output_begin(&out, site, &d), 0);
	assert_false(pk_output_keep(&out, "a/b/page.html", &d, &rc)); /* a new site */
	pk_output_abort(&out);
	pk_output_release(&out);

	assert_int_equal(build(site, "one", &d), 0);
	inode = inode_of(page);
	assert_int_equal(pk_output_begin(&out, site, &d), 0);
	assert_true(pk_output_keep(&out, "a/b/page.html", &d, &rc));
	assert_int_equal(rc, PK_OK);
	assert_false(pk_output_keep(&out, "a/b/other.html", &d, &rc));
	assert_true(pk_output_has(&out, "a/b/page.html"));
	assert_int_equal(pk_output_write(&out, "index.html", "one", 3, &d), 0);
	assert_int_equal(pk_output_commit(&out, &d), 0);
	pk_output_release(&out);
	assert_true(inode_of(page) == inode);
	assert_int_equal(pk_fs_read(&text, page, NULL), 0);
	assert_string_equal(text.ptr, "page");
	{
		uint64_t hash;
		assert_true(pk_output_intact(site, &hash));
	}

	pk_fs_write_atomic(page, "edited by hand", 14, NULL);
	assert_int_equal(pk_output_begin(&out, site, &d), 0);
	assert_false(pk_output_keep(&out, "a/b/page.html", &d, &rc));
	pk_output_abort(&out);
	pk_output_release(&out);
	assert_int_equal(d.len, 0);
	pk_buf_release(&text);
	pk_test_rmtree(dir);
	free(page);
	free(site);
	free(dir);
}

/* The old site read ahead (pk_output_prior_read) keeps what is as
 * written and refuses what was edited by hand before it was read: the
 * same as pk_output_keep's own look; the output takes its files over. */
static void test_output_prior(void **state)
{
	char *dir = pk_test_tmpdir(), *site = site_path(dir, "public");
	char *page = site_path(site, "a/b/page.html"), *index = site_path(site, "index.html");
	pk_output_prior prior = PK_OUTPUT_PRIOR_INIT;
	pk_diags d = PK_DIAGS_INIT;
	pk_output out;
	int rc;
	(void)state;

	pk_output_prior_read(&prior, site); /* no site yet: nothing */
	assert_int_equal(prior.files.len, 0);
	pk_output_prior_release(&prior);

	assert_int_equal(build(site, "one", &d), 0);
	pk_fs_write_atomic(index, "edited", 6, NULL);
	pk_output_prior_read(&prior, site);
	assert_int_equal(prior.files.len, 2);
	assert_int_equal(((pk_output_entry *)pk_strmap_get(&prior.files, "a/b/page.html", 13))->state,
			 PK_OUTPUT_AS_WRITTEN);
	unlink(page); /* after the look: counts as it was then */
	assert_int_equal(pk_output_begin_with(&out, site, &prior, &d), 0);
	assert_int_equal(prior.files.len, 0);
	assert_true(pk_output_keep(&out, "a/b/page.html", &d, &rc));
	assert_int_equal(rc, PK_OK);
	assert_false(pk_output_keep(&out, "index.html", &d, &rc));
	pk_output_abort(&out);
	pk_output_release(&out);
	pk_output_prior_release(&prior);
	assert_int_equal(d.len, 0);
	pk_test_rmtree(dir);
	free(index);
	free(page);
	free(site);
	free(dir);
}

/* Page records read back as written; a damaged or truncated file is no
 * records at all. */
static void test_pagerec_round_trip(void **state)
{
	char *dir = pk_test_tmpdir(), *file = site_path(dir, "pages");
	pk_pagerec r = PK_PAGEREC_INIT, back = PK_PAGEREC_INIT;
	pk_pagerec_fp a = pk_pagerec_hash("a", 1), b = pk_pagerec_hash("b", 1);
	pk_buf text = PK_BUF_INIT;
	size_t i;
	(void)state;

	assert_false(pk_pagerec_fp_equal(a, b));
	assert_int_equal(pk_pagerec_read(&back, file), PK_ENOTFOUND);
	r.key = pk_pagerec_hash("key", 3);
	pk_pagerec_put(&r, "index.html", a);
	pk_pagerec_put(&r, "practices/x y/index.html", b);
	pk_pagerec_put(&r, "index.html", b); /* replaces */
	assert_int_equal(pk_pagerec_write(&r, file), PK_OK);
	assert_int_equal(pk_pagerec_read(&back, file), PK_OK);
	assert_true(pk_pagerec_fp_equal(back.key, r.key));
	assert_int_equal(back.pages.len, 2);
	assert_true(pk_pagerec_fp_equal(*pk_pagerec_get(&back, "index.html"), b));
	assert_true(pk_pagerec_fp_equal(*pk_pagerec_get(&back, "practices/x y/index.html"), b));
	assert_null(pk_pagerec_get(&back, "other.html"));
	pk_pagerec_release(&back);

	assert_int_equal(pk_fs_read(&text, file, NULL), PK_OK);
	for (i = 0; i < text.len; i++) {
		pk_buf bad = PK_BUF_INIT;
		pk_buf_put(&bad, text.ptr, text.len);
		bad.ptr[i] ^= 0x01;
		pk_fs_write_atomic(file, bad.ptr, i % 3 ? bad.len : i, NULL);
		assert_int_equal(pk_pagerec_read(&back, file), PK_ENOTFOUND);
		assert_int_equal(back.pages.len, 0);
		pk_buf_release(&bad);
	}
	pk_buf_release(&text);
	pk_pagerec_release(&r);
	pk_test_rmtree(dir);
	free(file);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_output_unchanged_untouched),
		cmocka_unit_test(test_output_manifest_order),
		cmocka_unit_test(test_output_nothing_before_commit),
		cmocka_unit_test(test_output_refuses_foreign_folder),
		cmocka_unit_test(test_output_duplicate_path),
		cmocka_unit_test(test_output_keep),
		cmocka_unit_test(test_output_prior),
		cmocka_unit_test(test_pagerec_round_trip),
		cmocka_unit_test(test_source_paths),
		cmocka_unit_test(test_source_symlink_outside),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
