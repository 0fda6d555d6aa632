/* Unit tests of the build stamp: the record format (core/record), the
 * inputs a build read (source/inputs) and the stamp that vouches for an
 * output folder (output/stamp). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "core/fs.h"
#include "core/record.h"
#include "output/output.h"
#include "output/stamp.h"
#include "source/inputs.h"
#include "source/source.h"
#include "testutil.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <inttypes.h>

static char *join(const char *dir, const char *rel)
{
	pk_buf b = PK_BUF_INIT;
	pk_path_join(&b, dir, rel);
	return pk_buf_detach(&b);
}

/* A wall-clock time well after every file written so far, so that no
 * input counts as racy. */
static int64_t later_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return ((int64_t)ts.tv_sec + 10) * 1000000000LL + ts.tv_nsec;
}

/* Moves a file's times seconds back, as if written long before. */
static void age_by(const char *path, time_t seconds)
{
	struct timespec times[2];
	clock_gettime(CLOCK_REALTIME, &times[0]);
	times[0].tv_sec -= seconds;
	times[1] = times[0];
	assert_int_equal(utimensat(AT_FDCWD, path, times, 0), 0);
}

static void age(const char *path)
{
	age_by(path, 3600);
}

/* ---- record ----------------------------------------------------------- */

static void test_record_round_trip(void **state)
{
	pk_buf text = PK_BUF_INIT;
	pk_record_reader r;
	pk_slice s;
	(void)state;

	pk_record_put_str(&text, "a b\nc", 5);
	pk_record_put_u64(&text, 18446744073709551615ull);
	pk_record_put_i64(&text, -42);
	pk_record_end(&text);
	pk_record_put_str(&text, "", 0);
	pk_record_end(&text);
	pk_record_seal(&text);
	assert_true(pk_record_open(&r, text.ptr, text.len));
	s = pk_record_str(&r);
	assert_int_equal(s.len, 5);
	assert_memory_equal(s.p, "a b\nc", 5);
	assert_true(pk_record_u64(&r) == 18446744073709551615ull);
	assert_true(pk_record_i64(&r) == -42);
	assert_true(pk_record_at_end(&r));
	assert_int_equal(pk_record_str(&r).len, 0);
	assert_true(pk_record_at_end(&r));
	assert_true(pk_record_done(&r));
	pk_buf_release(&text);
}

/* Numbers are written as printf writes them, and read back. */
static void test_record_numbers(void **state)
{
	const int64_t signed_values[] = { 0, 1, -1, 9, 10, -10, 1234567890123LL, INT64_MAX,
					  INT64_MIN, INT64_MIN + 1 };
	const uint64_t values[] = { 0, 7, 10, 99, 100, 4294967296ull, UINT64_MAX, UINT64_MAX / 10 };
	pk_buf text = PK_BUF_INIT, expected = PK_BUF_INIT;
	pk_record_reader r;
	size_t i;
	(void)state;

	for (i = 0; i < PK_ARRAY_SIZE(signed_values); i++) {
		pk_record_put_i64(&text, signed_values[i]);
		pk_buf_printf(&expected, "%" PRId64 " ", signed_values[i]);
	}
	for (i = 0; i < PK_ARRAY_SIZE(values); i++) {
		pk_record_put_u64(&text, values[i]);
		pk_buf_printf(&expected, "%" PRIu64 " ", values[i]);
	}
	pk_record_put_str(&text, "xyz", 3);
	pk_buf_puts(&expected, "3:xyz ");
	assert_int_equal(text.len, expected.len);
	assert_memory_equal(text.ptr, expected.ptr, text.len);
	pk_record_end(&text);
	pk_record_seal(&text);
	assert_true(pk_record_open(&r, text.ptr, text.len));
	for (i = 0; i < PK_ARRAY_SIZE(signed_values); i++)
		assert_true(pk_record_i64(&r) == signed_values[i]);
	for (i = 0; i < PK_ARRAY_SIZE(values); i++)
		assert_true(pk_record_u64(&r) == values[i]);
	assert_int_equal(pk_record_str(&r).len, 3);
	assert_true(r.ok);
	pk_buf_release(&text);
	pk_buf_release(&expected);
}

/* A changed byte, a cut-off file, a length running past the end, a
 * number too big: never trusted, never read past the end. */
static void test_record_damaged(void **state)
{
	pk_buf text = PK_BUF_INIT, bad = PK_BUF_INIT;
	pk_record_reader r;
	size_t i;
	(void)state;

	pk_record_put_str(&text, "hello", 5);
	pk_record_end(&text);
	pk_record_seal(&text);
	for (i = 0; i < text.len; i++) {
		pk_buf_clear(&bad);
		pk_buf_put(&bad, text.ptr, text.len);
		bad.ptr[i] ^= 0x20;
		assert_false(pk_record_open(&r, bad.ptr, bad.len));
	}
	for (i = 0; i < text.len; i++)
		assert_false(pk_record_open(&r, text.ptr, i));

	pk_buf_clear(&bad);
	pk_buf_puts(&bad, "999:abc\n");
	pk_record_seal(&bad);
	assert_true(pk_record_open(&r, bad.ptr, bad.len));
	assert_int_equal(pk_record_str(&r).len, 0);
	assert_false(r.ok);

	pk_buf_clear(&bad);
	pk_buf_puts(&bad, "99999999999999999999999 -x\n");
	pk_record_seal(&bad);
	assert_true(pk_record_open(&r, bad.ptr, bad.len));
	assert_true(pk_record_u64(&r) == 0);
	assert_false(r.ok);
	assert_false(pk_record_done(&r));
	pk_buf_release(&text);
	pk_buf_release(&bad);
}

/* ---- inputs ----------------------------------------------------------- */

/* Reads a.md and lists content/ through a working-tree source while
 * recording; returns the record. */
static pk_inputs *record_reads(const char *dir)
{
	pk_inputs *in = pk_inputs_new();
	pk_source *src = NULL;
	pk_buf text = PK_BUF_INIT;
	pk_vec files = PK_VEC_INIT;
	size_t i;

	pk_inputs_record(in);
	assert_int_equal(pk_source_worktree_new(&src, dir, NULL), PK_OK);
	assert_int_equal(pk_source_read(src, &text, "a.md", NULL), PK_OK);
	assert_int_equal(pk_source_read(src, &text, "missing.md", NULL), PK_ENOTFOUND);
	assert_int_equal(pk_source_list(src, &files, "content", NULL), PK_OK);
	assert_int_equal(pk_source_list(src, &files, "nothing", NULL), PK_OK);
	pk_inputs_record(NULL);
	for (i = 0; i < files.len; i++)
		free(files.items[i]);
	pk_vec_release(&files);
	pk_buf_release(&text);
	pk_source_free(src);
	return in;
}

static pk_inputs *round_trip(const pk_inputs *in)
{
	pk_buf text = PK_BUF_INIT;
	pk_record_reader r;
	pk_inputs *copy = pk_inputs_new();

	pk_inputs_write(in, &text);
	pk_record_seal(&text);
	assert_true(pk_record_open(&r, text.ptr, text.len));
	pk_inputs_read(copy, &r);
	assert_true(pk_record_done(&r));
	pk_buf_release(&text);
	return copy;
}

/* Expects the first changed input of a fresh record of dir to end in
 * suffix after change() ran (NULL: nothing changed). */
static void expect_change(const char *dir, void (*change)(const char *dir), const char *suffix)
{
	pk_inputs *in = record_reads(dir), *copy = round_trip(in);
	const char *changed;

	assert_null(pk_inputs_changed(copy, later_ns()));
	change(dir);
	changed = pk_inputs_changed(copy, later_ns());
	if (!suffix) {
		assert_null(changed);
	} else {
		assert_non_null(changed);
		assert_string_equal(changed + strlen(changed) - strlen(suffix), suffix);
	}
	pk_inputs_free(in);
	pk_inputs_free(copy);
}

/* A bank whose files and folders all look an hour old, so that a change
 * within the clock's tick still changes their times. */
static char *fixture(void)
{
	static const char *const paths[] = { "a.md", "content/x/b.md", "content/x", "content", "" };
	char *dir = pk_test_tmpdir();
	size_t i;

	pk_test_write(dir, "a.md", "one");
	pk_test_write(dir, "content/x/b.md", "two");
	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		char *p = join(dir, paths[i]);
		age(p);
		free(p);
	}
	return dir;
}

static void nothing(const char *dir) { (void)dir; }
static void edit_same_size(const char *dir) { pk_test_write(dir, "a.md", "uno"); }
static void add_missing(const char *dir) { pk_test_write(dir, "missing.md", "now here"); }
static void add_listed(const char *dir) { pk_test_write(dir, "content/x/c.md", "new"); }
static void add_dir(const char *dir) { pk_test_write(dir, "nothing/d.md", "new"); }
static void remove_file(const char *dir)
{
	char *p = join(dir, "a.md");
	assert_int_equal(unlink(p), 0);
	free(p);
}

/* Every kind of change to what a build read is noticed; nothing else. */
static void test_inputs_notice_changes(void **state)
{
	static const struct {
		void (*change)(const char *dir);
		const char *changed;
	} cases[] = {
		{ nothing, NULL },
		{ edit_same_size, "a.md" },
		{ remove_file, "a.md" },
		{ add_missing, "missing.md" },
		{ add_listed, "content/x" },
		{ add_dir, "nothing" },
	};
	size_t i;
	(void)state;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *dir = fixture();
		expect_change(dir, cases[i].change, cases[i].changed);
		pk_test_rmtree(dir);
		free(dir);
	}
}

/* The record lists the inputs most recently written first, so the check
 * names (and stops at) the file edited last even when others changed. */
static void test_inputs_recent_first(void **state)
{
	char *dir = fixture(), *b = join(dir, "content/x/b.md");
	pk_inputs *in = pk_inputs_new(), *copy;
	pk_source *src = NULL;
	pk_buf text = PK_BUF_INIT;
	const char *changed;
	(void)state;

	age_by(b, 60); /* read after a.md, but written later */
	pk_inputs_record(in);
	assert_int_equal(pk_source_worktree_new(&src, dir, NULL), PK_OK);
	assert_int_equal(pk_source_read(src, &text, "a.md", NULL), PK_OK);
	assert_int_equal(pk_source_read(src, &text, "content/x/b.md", NULL), PK_OK);
	pk_inputs_record(NULL);
	copy = round_trip(in);
	assert_null(pk_inputs_changed(copy, later_ns()));
	pk_test_write(dir, "a.md", "uno");
	pk_test_write(dir, "content/x/b.md", "dos");
	changed = pk_inputs_changed(copy, later_ns());
	assert_non_null(changed);
	assert_string_equal(changed + strlen(changed) - strlen("content/x/b.md"), "content/x/b.md");
	pk_inputs_free(in);
	pk_inputs_free(copy);
	pk_buf_release(&text);
	pk_source_free(src);
	pk_test_rmtree(dir);
	free(b);
	free(dir);
}

/* A record read back is parsed as the check goes: its count is known at
 * once, and a malformed input met on the way is a change, not a crash. */
static void test_inputs_read_as_checked(void **state)
{
	char *dir = fixture();
	pk_inputs *in = record_reads(dir), *copy = round_trip(in);
	pk_buf text = PK_BUF_INIT;
	pk_record_reader r;
	pk_inputs *bad = pk_inputs_new();
	(void)state;

	assert_int_equal(pk_inputs_count(copy), pk_inputs_count(in));
	assert_null(pk_inputs_changed(copy, later_ns()));
	assert_int_equal(pk_inputs_count(copy), pk_inputs_count(in));

	pk_record_put_section(&text, "inputs", 2);
	pk_buf_puts(&text, "1:f 5:/nope 0 0 0 0 0\n"); /* a missing file, still missing */
	pk_buf_puts(&text, "1:f 3:/x oops\n");
	pk_record_seal(&text);
	assert_true(pk_record_open(&r, text.ptr, text.len));
	pk_inputs_read(bad, &r);
	assert_true(pk_record_done(&r));
	assert_int_equal(pk_inputs_count(bad), 2);
	assert_ptr_equal(pk_inputs_changed(bad, later_ns()), PK_INPUTS_DAMAGED);
	pk_inputs_free(bad);
	pk_inputs_free(in);
	pk_inputs_free(copy);
	pk_buf_release(&text);
	pk_test_rmtree(dir);
	free(dir);
}

/* A file written during the build that recorded it may have changed
 * again within the clock's tick: it is never trusted. */
static void test_inputs_racy(void **state)
{
	char *dir = pk_test_tmpdir();
	pk_inputs *in;
	struct timespec now;
	int64_t started;
	(void)state;

	pk_test_write(dir, "a.md", "one");
	pk_test_write(dir, "content/b.md", "two");
	clock_gettime(CLOCK_REALTIME, &now);
	started = (int64_t)now.tv_sec * 1000000000LL + now.tv_nsec;
	in = record_reads(dir);
	assert_non_null(pk_inputs_changed(in, started));
	assert_null(pk_inputs_changed(in, later_ns()));
	pk_inputs_free(in);
	pk_test_rmtree(dir);
	free(dir);
}

/* Nothing is noted while no recorder is active. */
static void test_inputs_off(void **state)
{
	char *dir = pk_test_tmpdir();
	pk_inputs *in = pk_inputs_new();
	pk_source *src = NULL;
	pk_buf text = PK_BUF_INIT;
	(void)state;

	pk_test_write(dir, "a.md", "one");
	assert_int_equal(pk_source_worktree_new(&src, dir, NULL), PK_OK);
	assert_int_equal(pk_source_read(src, &text, "a.md", NULL), PK_OK);
	assert_int_equal(pk_inputs_count(in), 0);
	pk_source_free(src);
	pk_buf_release(&text);
	pk_inputs_free(in);
	pk_test_rmtree(dir);
	free(dir);
}

/* ---- stamp ------------------------------------------------------------ */

static void write_site(const char *out_dir)
{
	pk_output out;
	pk_diags d = PK_DIAGS_INIT;

	assert_int_equal(pk_output_begin(&out, out_dir, &d), PK_OK);
	assert_int_equal(pk_output_write(&out, "index.html", "<p>hi</p>", 9, &d), PK_OK);
	assert_int_equal(pk_output_write(&out, "a/page.html", "page", 4, &d), PK_OK);
	assert_int_equal(pk_output_commit(&out, &d), PK_OK);
	pk_output_release(&out);
	pk_diags_release(&d);
}

static void make_stamp(pk_stamp *st, const char *bank, const char *site)
{
	pk_inputs *in = record_reads(bank);

	pk_stamp_init(st);
	pk_inputs_free(st->inputs);
	st->inputs = in;
	st->key = strdup("key 1");
	st->started_ns = later_ns(); /* ctimes are now: anything earlier is racy */
	st->manifest_hash = pk_output_manifest_hash(site);
	st->pages = 2;
	st->files = 3;
	pk_diag_add(&st->diags, PK_DIAG_WARNING, "a.md", 3, 7, "odd 'value'\nwith a newline");
	pk_vec_push(&st->notes, strdup("a note"));
}

/* A stamp reads back as written, and holds until the key, an input or
 * the site changes. */
static void test_stamp_verdicts(void **state)
{
	char *bank = fixture(), *site = join(bank, "public"), *page = join(site, "a/page.html");
	char *file = join(bank, "stamp"); /* outside the site, as a build keeps it */
	pk_stamp st, back;
	const char *changed;
	pk_buf text = PK_BUF_INIT;
	(void)state;

	write_site(site);
	make_stamp(&st, bank, site);
	assert_int_equal(pk_stamp_write(&st, file, NULL), PK_OK);
	pk_stamp_init(&back);
	assert_int_equal(pk_stamp_read(&back, file), PK_OK);
	assert_string_equal(back.key, "key 1");
	assert_true(back.started_ns == st.started_ns && back.manifest_hash == st.manifest_hash);
	assert_int_equal(back.pages, 2);
	assert_int_equal(back.files, 3);
	pk_test_diags_text(&text, &back.diags);
	assert_string_equal(text.ptr, "a.md:3:7: warning: odd 'value'\nwith a newline\n");
	assert_int_equal(back.notes.len, 1);
	assert_string_equal(back.notes.items[0], "a note");
	assert_int_equal(pk_inputs_count(back.inputs), pk_inputs_count(st.inputs));

	assert_int_equal(pk_stamp_check(&back, "key 1", site, &changed), PK_STAMP_HOLDS);
	assert_int_equal(pk_stamp_check(&back, "key 2", site, &changed), PK_STAMP_KEY);
	pk_test_write(site, "a/page.html", "edited by hand");
	assert_int_equal(pk_stamp_check(&back, "key 1", site, &changed), PK_STAMP_OUTPUT);
	write_site(site); /* puts the page back (with a new mtime, in the manifest) */
	back.manifest_hash = pk_output_manifest_hash(site);
	assert_int_equal(pk_stamp_check(&back, "key 1", site, &changed), PK_STAMP_HOLDS);
	assert_int_equal(unlink(page), 0);
	assert_int_equal(pk_stamp_check(&back, "key 1", site, &changed), PK_STAMP_OUTPUT);
	write_site(site);
	back.manifest_hash = pk_output_manifest_hash(site);
	assert_int_equal(pk_stamp_check(&back, "key 1", site, &changed), PK_STAMP_HOLDS);
	edit_same_size(bank);
	assert_int_equal(pk_stamp_check(&back, "key 1", site, &changed), PK_STAMP_INPUT);
	assert_string_equal(changed + strlen(changed) - 4, "a.md");

	pk_stamp_remove(file);
	pk_stamp_release(&back);
	pk_stamp_init(&back);
	assert_int_equal(pk_stamp_read(&back, file), PK_ENOTFOUND);
	pk_stamp_release(&back);
	pk_stamp_release(&st);
	pk_buf_release(&text);
	pk_test_rmtree(bank);
	free(page);
	free(site);
	free(file);
	free(bank);
}

/* A damaged stamp is no stamp. */
static void test_stamp_damaged(void **state)
{
	char *bank = fixture(), *site = join(bank, "public"), *file = join(bank, "stamp");
	pk_buf text = PK_BUF_INIT, path = PK_BUF_INIT;
	pk_stamp st;
	size_t i;
	(void)state;

	write_site(site);
	make_stamp(&st, bank, site);
	assert_int_equal(pk_stamp_write(&st, file, NULL), PK_OK);
	pk_stamp_release(&st);
	pk_buf_puts(&path, file);
	assert_int_equal(pk_fs_read(&text, path.ptr, NULL), PK_OK);
	for (i = 0; i < text.len; i += 7) {
		pk_buf bad = PK_BUF_INIT;
		pk_buf_put(&bad, text.ptr, i);
		assert_int_equal(pk_fs_write_atomic(path.ptr, bad.ptr, bad.len, NULL), PK_OK);
		pk_stamp_init(&st);
		assert_int_equal(pk_stamp_read(&st, file), PK_ENOTFOUND);
		pk_stamp_release(&st);
		pk_buf_release(&bad);
	}
	pk_buf_release(&text);
	pk_buf_release(&path);
	pk_test_rmtree(bank);
	free(site);
	free(file);
	free(bank);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_record_round_trip),
		cmocka_unit_test(test_record_numbers),
		cmocka_unit_test(test_record_damaged),
		cmocka_unit_test(test_inputs_notice_changes),
		cmocka_unit_test(test_inputs_recent_first),
		cmocka_unit_test(test_inputs_read_as_checked),
		cmocka_unit_test(test_inputs_racy),
		cmocka_unit_test(test_inputs_off),
		cmocka_unit_test(test_stamp_verdicts),
		cmocka_unit_test(test_stamp_damaged),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
