/*
 * test_core.c: src/core: buffers, string maps, diagnostics, UTF-8, the
 * file helpers (in a fresh temporary directory) and the arena.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/diag.h"
#include "core/fs.h"
#include "core/hash.h"
#include "core/parallel.h"
#include "core/strmap.h"
#include "core/utf8.h"
#include "core/vec.h"
#include "core/xalloc.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- buf ---- */

static void test_buf_basics(void **state)
{
	pk_buf b = PK_BUF_INIT;
	char *s;
	(void)state;

	assert_non_null(b.ptr);
	assert_string_equal(b.ptr, "");
	pk_buf_puts(&b, "ab");
	pk_buf_putc(&b, 'c');
	pk_buf_put(&b, "def", 2);
	assert_string_equal(b.ptr, "abcde");
	assert_int_equal(b.len, 5);
	pk_buf_truncate(&b, 2);
	assert_string_equal(b.ptr, "ab");
	pk_buf_clear(&b);
	assert_string_equal(b.ptr, "");
	assert_int_equal(b.len, 0);
	pk_buf_put_slice(&b, PK_SLICE("slice"));
	s = pk_buf_detach(&b);
	assert_string_equal(s, "slice");
	assert_int_equal(b.len, 0);
	assert_string_equal(b.ptr, "");
	free(s);
	/* detaching an empty buffer still gives a string to free */
	s = pk_buf_detach(&b);
	assert_string_equal(s, "");
	free(s);
	pk_buf_release(&b);
	pk_buf_release(&b); /* releasing twice is harmless */
}

static void test_buf_printf_growth(void **state)
{
	pk_buf b = PK_BUF_INIT;
	char big[1000];
	size_t i;
	(void)state;

	pk_buf_printf(&b, "%d-%s", 42, "x");
	assert_string_equal(b.ptr, "42-x");
	/* past the first allocation and several doublings */
	memset(big, 'z', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	for (i = 0; i < 10; i++)
		pk_buf_printf(&b, "[%s]", big);
	assert_int_equal(b.len, 4 + 10 * 1001);
	assert_true(b.cap > b.len);
	assert_int_equal(b.ptr[b.len], '\0');
	assert_int_equal(b.ptr[4], '[');
	assert_int_equal(b.ptr[b.len - 1], ']');
	/* an exact fit of the remaining room */
	pk_buf_clear(&b);
	pk_buf_grow(&b, 10);
	pk_buf_printf(&b, "%s", "");
	assert_int_equal(b.len, 0);
	pk_buf_printf(&b, "%0*d", (int)(b.cap - 1), 7);
	assert_int_equal(b.len, b.cap - 1);
	assert_int_equal(b.ptr[b.len - 1], '7');
	pk_buf_printf(&b, "!");
	assert_int_equal(b.ptr[b.len - 1], '!');
	pk_buf_release(&b);
}

/* Text longer than one step of the vector loop, with each special byte at
 * every offset of it: the result matches a byte-by-byte escaping. */
static void test_escaping_long_text(void)
{
	static const char specials[] = "&<>\"'";
	static const char *const entities[] = { "&amp;", "&lt;", "&gt;", "&quot;", "&#39;" };
	pk_buf got = PK_BUF_INIT, want = PK_BUF_INIT;
	char text[40];
	size_t k, at, i;

	for (k = 0; k < 5; k++) {
		for (at = 0; at < sizeof(text); at++) {
			for (i = 0; i < sizeof(text); i++)
				text[i] = (char)('a' + i % 26);
			text[at] = specials[k];
			text[sizeof(text) - 1 - at / 2] = specials[(k + 1) % 5];
			pk_buf_clear(&got);
			pk_buf_clear(&want);
			pk_buf_put_html_escaped(&got, text, sizeof(text));
			for (i = 0; i < sizeof(text); i++) {
				const char *e = strchr(specials, text[i]);
				if (e)
					pk_buf_puts(&want, entities[e - specials]);
				else
					pk_buf_putc(&want, text[i]);
			}
			assert_string_equal(got.ptr, want.ptr);
		}
	}
	pk_buf_release(&got);
	pk_buf_release(&want);
}

/* The number appenders give what printf would, at every width and edge. */
static void test_buf_numbers(void **state)
{
	static const uint64_t u[] = { 0, 7, 10, 99, 12345, 4294967295u, UINT64_MAX };
	static const int64_t v[] = { 0, -1, 5, -42, 2024, INT64_MAX, INT64_MIN };
	char want[64];
	size_t i;
	int w;
	(void)state;

	for (i = 0; i < PK_ARRAY_SIZE(u); i++)
		for (w = 0; w <= 4; w += 2) {
			pk_buf b = PK_BUF_INIT;
			pk_buf_put_uint(&b, u[i], w);
			snprintf(want, sizeof(want), "%0*" PRIu64, w, u[i]);
			assert_string_equal(b.ptr, want);
			pk_buf_clear(&b);
			pk_buf_put_hex64(&b, u[i]);
			snprintf(want, sizeof(want), "%016" PRIx64, u[i]);
			assert_string_equal(b.ptr, want);
			assert_int_equal(b.len, 16);
			pk_buf_release(&b);
		}
	for (i = 0; i < PK_ARRAY_SIZE(v); i++) {
		pk_buf b = PK_BUF_INIT;
		pk_buf_puts(&b, "x=");
		pk_buf_put_int(&b, v[i], 4);
		snprintf(want, sizeof(want), "x=%0*" PRId64, 4, v[i]);
		assert_string_equal(b.ptr, want);
		pk_buf_release(&b);
	}
}

static void test_buf_escaping(void **state)
{
	pk_buf b = PK_BUF_INIT;
	const char *s = "a & b < c > d \"e\" 'f'";
	(void)state;

	pk_buf_put_html_escaped(&b, s, strlen(s));
	assert_string_equal(b.ptr, "a &amp; b &lt; c &gt; d &quot;e&quot; &#39;f&#39;");
	pk_buf_clear(&b);
	pk_buf_put_html_escaped(&b, "<<&>>", 5);
	assert_string_equal(b.ptr, "&lt;&lt;&amp;&gt;&gt;");
	pk_buf_clear(&b);
	pk_buf_put_html_escaped(&b, "Привет", strlen("Привет"));
	assert_string_equal(b.ptr, "Привет");
	pk_buf_clear(&b);
	pk_buf_release(&b);
	test_escaping_long_text();
	pk_buf_put_url_encoded(&b, "a b/ц?x=1&y", strlen("a b/ц?x=1&y"));
	assert_string_equal(b.ptr, "a%20b/%D1%86%3Fx%3D1%26y");
	pk_buf_release(&b);
}

/* ---- strmap ---- */

static void test_strmap(void **state)
{
	pk_strmap m = PK_STRMAP_INIT;
	char key[32];
	int values[1000];
	size_t i;
	(void)state;

	assert_null(pk_strmap_get(&m, "x", 1));
	assert_int_equal(pk_strmap_find(&m, "x", 1), -1);
	for (i = 0; i < 1000; i++) {
		values[i] = (int)i;
		snprintf(key, sizeof(key), "key-%zu", i);
		assert_int_equal(pk_strmap_add(&m, key, strlen(key), &values[i]), PK_OK);
	}
	assert_int_equal(m.len, 1000);
	assert_int_equal(pk_strmap_add(&m, "key-5", 5, NULL), PK_EEXISTS);
	assert_ptr_equal(pk_strmap_get(&m, "key-5", 5), &values[5]);
	assert_ptr_equal(pk_strmap_get(&m, "key-999", 7), &values[999]);
	assert_int_equal(pk_strmap_find(&m, "key-10", 6), 10);
	assert_null(pk_strmap_get(&m, "key-1000", 8));
	/* keys are length-counted: a prefix is another key */
	assert_null(pk_strmap_get(&m, "key-1", 3));
	/* insertion order */
	assert_string_equal(m.entries[0].key, "key-0");
	assert_string_equal(m.entries[999].key, "key-999");
	assert_ptr_equal(pk_strmap_set(&m, "key-1", 5, &values[2]), &values[1]);
	assert_ptr_equal(pk_strmap_get(&m, "key-1", 5), &values[2]);
	assert_null(pk_strmap_set(&m, "new", 3, &values[3]));
	assert_int_equal(m.len, 1001);
	pk_strmap_release(&m);
	assert_int_equal(m.len, 0);
	assert_int_equal(pk_hash_bytes("", 0), 2166136261u);
}

/* ---- diagnostics ---- */

static char *format_one(const pk_diag *d)
{
	pk_buf b = PK_BUF_INIT;
	pk_diag_format(&b, d);
	return pk_buf_detach(&b);
}

static void test_diag_format(void **state)
{
	pk_diags d = PK_DIAGS_INIT;
	pk_pos pos = { 3, 7 }, line_only = { 3, 0 }, none = { 0, 0 };
	char *s;
	(void)state;

	assert_int_equal(pk_diag_error(&d, "a.md", pos, "unknown form '%s'", "teacher-techer"),
			 PK_ERROR);
	assert_int_equal(pk_diag_warning(&d, "a.md", line_only, "odd"), PK_OK);
	pk_diag_error(&d, "a.md", none, "cannot open");
	pk_diag_error(&d, NULL, pos, "no file");
	assert_int_equal(pk_diag_add(&d, PK_DIAG_NOTE, "a.md", 1, 2, "see %d", 1), PK_OK);
	assert_int_equal(d.errors, 3);
	assert_int_equal(d.warnings, 1);
	assert_int_equal(d.len, 5);

	s = format_one(&d.items[0]);
	assert_string_equal(s, "a.md:3:7: error: unknown form 'teacher-techer'");
	free(s);
	s = format_one(&d.items[1]);
	assert_string_equal(s, "a.md:3: warning: odd");
	free(s);
	s = format_one(&d.items[2]);
	assert_string_equal(s, "a.md: error: cannot open");
	free(s);
	s = format_one(&d.items[3]);
	assert_string_equal(s, "praktika: error: no file");
	free(s);
	s = format_one(&d.items[4]);
	assert_string_equal(s, "a.md:1:2: note: see 1");
	free(s);
	pk_diags_release(&d);
	assert_int_equal(d.len, 0);
	assert_int_equal(d.errors, 0);
}

static void test_diag_sort_move(void **state)
{
	pk_diags d = PK_DIAGS_INIT, other = PK_DIAGS_INIT;
	static const char *const expected[] = {
		"a.md:1:1: error: first",  "a.md:2:1: error: same 1", "a.md:2:1: error: same 2",
		"a.md:2:5: warning: later", "a.md:10:1: error: ten",  "b.md:1:1: error: b",
	};
	size_t i;
	(void)state;

	pk_diag_add(&d, PK_DIAG_ERROR, "b.md", 1, 1, "b");
	pk_diag_add(&d, PK_DIAG_ERROR, "a.md", 10, 1, "ten");
	pk_diag_add(&d, PK_DIAG_ERROR, "a.md", 2, 1, "same 1");
	pk_diag_add(&other, PK_DIAG_WARNING, "a.md", 2, 5, "later");
	pk_diag_add(&other, PK_DIAG_ERROR, "a.md", 2, 1, "same 2");
	pk_diag_add(&other, PK_DIAG_ERROR, "a.md", 1, 1, "first");
	pk_diags_move(&d, &other);
	assert_int_equal(other.len, 0);
	assert_int_equal(d.len, 6);
	assert_int_equal(d.errors, 5);
	assert_int_equal(d.warnings, 1);
	pk_diags_sort(&d);
	for (i = 0; i < PK_ARRAY_SIZE(expected); i++) {
		char *s = format_one(&d.items[i]);
		assert_string_equal(s, expected[i]);
		free(s);
	}
	pk_diags_release(&d);
	pk_diags_release(&other);
}

/* ---- UTF-8 ---- */

static void expect_bad_at(const char *s, size_t len, int line, int col)
{
	pk_pos pos = { 0, 0 };
	assert_false(pk_utf8_validate(s, len, &pos));
	assert_int_equal(pos.line, line);
	assert_int_equal(pos.col, col);
}

/* Whether s is valid, one sequence at a time: what the word-at-a-time
 * checks of pk_utf8_validate must agree with. */
static bool valid_by_decoding(const char *s, size_t len)
{
	size_t i = 0, n;
	uint32_t cp;
	while (i < len) {
		if (!(n = pk_utf8_decode(s + i, len - i, &cp)))
			return false;
		i += n;
	}
	return true;
}

/* Random texts made of ASCII, Cyrillic, longer sequences and broken
 * bytes in every alignment: the eight-byte checks never say otherwise
 * than the decoder. */
static void test_utf8_agrees_with_decoding(void **state)
{
	static const char *const pieces[] = {
		"a", " ", "\n", "ж", "Я", "ё", "\xc2\x80", "\xdf\xbf", "✓", "😀", "\xef\xbf\xbf",
		"\xc0\xaf", "\xc1\xbf", "\x80", "\xbf", "\xd0", "\xe0\x80\xaf", "\xed\xa0\x80",
		"\xf4\x90\x80\x80", "\xf8", "\xff", "\xe2\x9c", "\xd0\xd0",
	};
	char text[96];
	unsigned seed = 12345;
	size_t round;
	(void)state;

	for (round = 0; round < 200000; round++) {
		size_t len = 0, broken = 1 + round % 7;
		pk_pos pos = { 0, 0 };
		bool fast, slow;
		while (len < 64) { /* pieces are at most 4 bytes: text has room */
			size_t k, n;
			seed = seed * 1103515245u + 12345u;
			/* mostly good pieces (the first eleven), now and then a bad one */
			k = (seed >> 16) % (((seed >> 8) & 0xff) < 256 / broken ? PK_ARRAY_SIZE(pieces) : 11);
			n = strlen(pieces[k]);
			memcpy(text + len, pieces[k], n);
			len += n;
		}
		fast = pk_utf8_validate(text, len, &pos);
		slow = valid_by_decoding(text, len);
		assert_int_equal(fast, slow);
		if (!fast) /* the decoder's walk found it: where, is test_utf8's */
			assert_true(pos.line >= 1 && pos.col >= 1);
	}
}

static void test_utf8(void **state)
{
	uint32_t cp;
	char enc[4];
	(void)state;

	assert_true(pk_utf8_validate("", 0, NULL));
	assert_true(pk_utf8_validate("ascii\nПривет ✓ 😀", strlen("ascii\nПривет ✓ 😀"), NULL));
	expect_bad_at("ab\xff", 3, 1, 3);
	expect_bad_at("a\nbc\nдд\x80x", 10, 3, 3);     /* stray continuation byte */
	expect_bad_at("\xc0\xaf", 2, 1, 1);             /* overlong '/' */
	expect_bad_at("x\xe0\x80\xaf", 4, 1, 2);        /* overlong, 3 bytes */
	expect_bad_at("\xed\xa0\x80", 3, 1, 1);         /* surrogate */
	expect_bad_at("\xf4\x90\x80\x80", 4, 1, 1);     /* past U+10FFFF */
	expect_bad_at("ok\xd0", 3, 1, 3);               /* cut short */
	expect_bad_at("абвгд\xd0", 11, 1, 6);           /* cut short after Cyrillic */
	expect_bad_at("\xc1\xbf", 2, 1, 1);             /* overlong, 2 bytes */
	expect_bad_at("жж\xd0x", 6, 1, 3);              /* lead byte, no continuation */
	expect_bad_at("\xf8\x88\x80\x80\x80", 5, 1, 1); /* 5-byte form */
	assert_true(pk_utf8_validate("a\0b", 3, NULL));  /* NUL is valid UTF-8 */

	assert_int_equal(pk_utf8_decode("ж", 2, &cp), 2);
	assert_int_equal(cp, 0x436);
	assert_int_equal(pk_utf8_decode("😀", 4, &cp), 4);
	assert_int_equal(cp, 0x1F600);
	assert_int_equal(pk_utf8_decode("\xe2\x9c", 2, &cp), 0);
	assert_int_equal(pk_utf8_encode(0x436, enc), 2);
	assert_memory_equal(enc, "ж", 2);
	assert_int_equal(pk_utf8_encode(0x1F600, enc), 4);
	assert_memory_equal(enc, "😀", 4);
	assert_int_equal(pk_utf8_encode('a', enc), 1);
	assert_int_equal(pk_utf8_encode(0x2713, enc), 3);
	assert_memory_equal(enc, "✓", 3);
	assert_int_equal(pk_utf8_length("Привет!", strlen("Привет!")), 7);
}

/* ---- files ---- */

typedef struct {
	char dir[64];
} tmp_dir;

static int make_tmp(void **state)
{
	tmp_dir *t = pk_xcalloc(1, sizeof(*t));
	strcpy(t->dir, "/tmp/praktika-test-XXXXXX");
	if (!mkdtemp(t->dir)) {
		free(t);
		return -1;
	}
	*state = t;
	return 0;
}

static int remove_tmp(void **state)
{
	tmp_dir *t = *state;
	int rc = pk_fs_remove_tree(t->dir, NULL);
	free(t);
	return rc;
}

static char *join(const char *a, const char *b)
{
	pk_buf p = PK_BUF_INIT;
	pk_path_join(&p, a, b);
	return pk_buf_detach(&p);
}

static void test_fs_read_write(void **state)
{
	tmp_dir *t = *state;
	pk_diags d = PK_DIAGS_INIT;
	pk_buf b = PK_BUF_INIT;
	char *file = join(t->dir, "f.txt"), *missing = join(t->dir, "nope.txt");
	char big[200000];
	struct stat st;

	memset(big, 'q', sizeof(big));
	assert_int_equal(pk_fs_write_atomic(file, "hello\n", 6, &d), PK_OK);
	assert_int_equal(pk_fs_read(&b, file, &d), PK_OK);
	assert_string_equal(b.ptr, "hello\n");
	assert_int_equal(stat(file, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0644);
	/* replacing, with more than one read's worth */
	assert_int_equal(pk_fs_write_atomic(file, big, sizeof(big), &d), PK_OK);
	pk_buf_clear(&b);
	assert_int_equal(pk_fs_read(&b, file, &d), PK_OK);
	assert_int_equal(b.len, sizeof(big));
	assert_memory_equal(b.ptr, big, sizeof(big));
	assert_true(pk_fs_is_file(file));
	assert_false(pk_fs_is_dir(file));
	assert_int_equal(d.len, 0);

	assert_int_equal(pk_fs_read(&b, missing, &d), PK_ENOTFOUND);
	assert_int_equal(d.errors, 1);
	assert_string_equal(d.items[0].path, missing);
	assert_string_equal(d.items[0].msg, "cannot open: No such file or directory");
	assert_int_equal(pk_fs_read(&b, missing, NULL), PK_ENOTFOUND);
	free(file);
	free(missing);
	pk_buf_release(&b);
	pk_diags_release(&d);
}

static void test_fs_mkdirs(void **state)
{
	tmp_dir *t = *state;
	pk_diags d = PK_DIAGS_INIT;
	char *deep = join(t->dir, "a/b/c"), *file = join(t->dir, "a/b/c/f");
	char *under_file = join(t->dir, "a/b/c/f/x");

	assert_int_equal(pk_fs_mkdirs(deep, &d), PK_OK);
	assert_true(pk_fs_is_dir(deep));
	assert_int_equal(pk_fs_mkdirs(deep, &d), PK_OK); /* already there */
	assert_int_equal(pk_fs_write_atomic(file, "x", 1, &d), PK_OK);
	assert_int_equal(d.len, 0);
	assert_int_not_equal(pk_fs_mkdirs(under_file, &d), PK_OK);
	assert_int_equal(d.errors, 1);
	{ /* relative to a folder held open */
		int fd = open(t->dir, O_PATH | O_DIRECTORY);
		char *at = join(t->dir, "x/y/z");
		assert_true(fd >= 0);
		assert_int_equal(pk_fs_mkdirs_at(fd, "x/y/z", &d), PK_OK);
		assert_true(pk_fs_is_dir(at));
		assert_int_equal(pk_fs_mkdirs_at(fd, "x/y/z", &d), PK_OK);
		assert_int_not_equal(pk_fs_mkdirs_at(fd, "a/b/c/f/x", &d), PK_OK);
		assert_int_equal(d.errors, 2);
		assert_string_equal(d.items[1].path, "a/b/c/f/x");
		close(fd);
		free(at);
	}
	free(deep);
	free(file);
	free(under_file);
	pk_diags_release(&d);
}

static int collect(const char *rel, void *payload)
{
	pk_buf *out = payload;
	pk_buf_puts(out, rel);
	pk_buf_putc(out, ';');
	return 0;
}

static int stop_at_b(const char *rel, void *payload)
{
	(void)payload;
	return strcmp(rel, "b.md") == 0 ? 7 : 0;
}

static void test_fs_walk(void **state)
{
	tmp_dir *t = *state;
	pk_diags d = PK_DIAGS_INIT;
	pk_buf seen = PK_BUF_INIT;
	static const char *const files[] = { "b.md", "a.md", "sub/z.md", "sub/deeper/y.md",
					     ".hidden/x.md", "sub/.dot" };
	size_t i;

	for (i = 0; i < PK_ARRAY_SIZE(files); i++) {
		char *path = join(t->dir, files[i]);
		char *dir = pk_xstrdup(path);
		*strrchr(dir, '/') = '\0';
		assert_int_equal(pk_fs_mkdirs(dir, &d), PK_OK);
		assert_int_equal(pk_fs_write_atomic(path, "x", 1, &d), PK_OK);
		free(dir);
		free(path);
	}
	assert_int_equal(pk_fs_walk(t->dir, collect, NULL, &seen, &d), PK_OK);
	assert_string_equal(seen.ptr, "a.md;b.md;sub/deeper/y.md;sub/z.md;");
	{ /* links are looked at (lstat), not taken by their listed type */
		char *inside = join(t->dir, "c.md"), *outside = join(t->dir, "d.md");
		char *dir_link = join(t->dir, "linked");
		assert_int_equal(symlink("a.md", inside), 0);
		assert_int_equal(symlink("/etc/passwd", outside), 0);
		assert_int_equal(symlink("sub/deeper", dir_link), 0);
		pk_buf_clear(&seen);
		assert_int_equal(pk_fs_walk(t->dir, collect, NULL, &seen, &d), PK_OK);
		assert_string_equal(seen.ptr, "a.md;b.md;c.md;linked/y.md;sub/deeper/y.md;sub/z.md;");
		assert_int_equal(d.warnings, 1);
		unlink(inside);
		unlink(outside);
		unlink(dir_link);
		free(inside);
		free(outside);
		free(dir_link);
	}
	assert_int_equal(pk_fs_walk(t->dir, stop_at_b, NULL, NULL, &d), 7);
	assert_int_equal(d.len, 1); /* the link outside, above */
	assert_int_not_equal(pk_fs_walk("/nonexistent/praktika", collect, NULL, &seen, &d), PK_OK);
	assert_int_equal(d.errors, 1);
	pk_buf_release(&seen);
	pk_diags_release(&d);
}

static void test_path(void **state)
{
	pk_buf b = PK_BUF_INIT;
	(void)state;
	pk_path_join(&b, "a", "b");
	assert_string_equal(b.ptr, "a/b");
	pk_buf_clear(&b);
	pk_path_join(&b, "a/", "/b");
	assert_string_equal(b.ptr, "a/b");
	pk_buf_clear(&b);
	pk_path_join(&b, "", "b");
	assert_string_equal(b.ptr, "b");
	pk_buf_clear(&b);
	pk_path_join(&b, "a", "");
	assert_string_equal(b.ptr, "a");
	assert_string_equal(pk_path_basename("x/y/z.md"), "z.md");
	assert_string_equal(pk_path_basename("z.md"), "z.md");
	pk_buf_release(&b);
}

/* ---- arena, vec, xalloc ---- */

static void test_arena(void **state)
{
	pk_arena a;
	char *s, *big;
	size_t i;
	(void)state;

	pk_arena_init(&a);
	for (i = 0; i < 10000; i++) {
		long double *p = pk_arena_alloc(&a, sizeof(long double) + i % 7);
		assert_int_equal((uintptr_t)p % _Alignof(max_align_t), 0);
		assert_true(*p == 0); /* zeroed */
		*p = (long double)i;
	}
	s = pk_arena_strdup(&a, "строка");
	assert_string_equal(s, "строка");
	s = pk_arena_strndup(&a, "abcdef", 3);
	assert_string_equal(s, "abc");
	big = pk_arena_alloc(&a, 1 << 20); /* bigger than a block */
	memset(big, 1, 1 << 20);
	s = pk_arena_strdup(&a, "after big"); /* the partly used block is still used */
	assert_string_equal(s, "after big");
	pk_arena_release(&a);
	pk_arena_release(&a);
}

static void test_arena_debug_malloc(void **state)
{
	pk_arena a;
	(void)state;
	setenv("PRAKTIKA_ARENA_MALLOC", "1", 1);
	pk_arena_init(&a);
	unsetenv("PRAKTIKA_ARENA_MALLOC");
	assert_true(a.debug_malloc);
	assert_string_equal(pk_arena_strdup(&a, "x"), "x");
	assert_string_equal(pk_arena_strdup(&a, "y"), "y");
	pk_arena_release(&a);
}

static int compare_strs(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void test_vec_xalloc(void **state)
{
	pk_vec v = PK_VEC_INIT;
	static char pear[] = "pear", apple[] = "apple", fig[] = "fig";
	(void)state;

	pk_vec_push(&v, pear);
	pk_vec_push(&v, apple);
	pk_vec_push(&v, fig);
	pk_vec_sort(&v, compare_strs);
	assert_string_equal(v.items[0], "apple");
	assert_string_equal(v.items[2], "pear");
	pk_vec_release(&v);
	assert_int_equal(v.len, 0);

	assert_int_equal(pk_size_add(2, 3), 5);
	assert_int_equal(pk_size_mul(4, 5), 20);
	free(pk_xmalloc(0));
	free(pk_xcalloc(0, 0));
	{
		char *s = pk_xstrndup("hello", 2);
		assert_string_equal(s, "he");
		free(s);
	}
	assert_true(pk_slice_eq(PK_SLICE("abc"), "abc"));
	assert_false(pk_slice_eq(PK_SLICE("abc"), "ab"));
	assert_true(pk_slice_eq((pk_slice){ NULL, 0 }, ""));
}

static void count_call(void *payload, size_t i, unsigned worker)
{
	int *calls = payload;
	(void)worker;
	calls[i]++; /* item i is this call's alone */
}

/* Every item is called exactly once, whatever the number of threads. */
static void *count_run(void *arg)
{
	int *runs = arg;
	(*runs)++;
	return NULL;
}

/* A task runs its function exactly once, on a thread or at once, and
 * pk_task_wait returns only after it has. */
static void test_task(void **state)
{
	int threads, runs;
	(void)state;

	for (threads = 1; threads <= 2; threads++) {
		pk_task task;
		runs = 0;
		pk_task_start(&task, threads, count_run, &runs);
		pk_task_wait(&task);
		assert_int_equal(runs, 1);
		pk_task_wait(&task); /* waiting again is harmless */
		assert_int_equal(runs, 1);
	}
}

static void test_parallel_for(void **state)
{
	static const int threads[] = { 0, 1, 2, 4, 64, 1000 };
	static const size_t sizes[] = { 0, 1, 3, 1000 };
	int calls[1000];
	size_t t, n, i;
	(void)state;

	for (t = 0; t < sizeof(threads) / sizeof(threads[0]); t++) {
		for (n = 0; n < sizeof(sizes) / sizeof(sizes[0]); n++) {
			memset(calls, 0, sizeof(calls));
			pk_parallel_for(sizes[n], threads[t], count_call, calls);
			for (i = 0; i < 1000; i++)
				assert_int_equal(calls[i], i < sizes[n] ? 1 : 0);
		}
	}
}

/* The hash tells apart every length of zeros, every single flipped bit
 * and two seeds; the same bytes always give the same hash. */
static void test_hash64(void **state)
{
	unsigned char buf[200];
	uint64_t seen[201], h;
	size_t i, j, bit;
	(void)state;

	memset(buf, 0, sizeof(buf));
	for (i = 0; i <= sizeof(buf); i++) {
		seen[i] = pk_hash64(buf, i);
		for (j = 0; j < i; j++)
			assert_true(seen[j] != seen[i]);
	}
	for (i = 0; i < sizeof(buf); i++)
		buf[i] = (unsigned char)(i * 7 + 3);
	for (i = 1; i < 100; i += 13) { /* short and long inputs */
		h = pk_hash64(buf, i);
		assert_true(h == pk_hash64(buf, i));
		assert_true(h != pk_hash64_seeded(buf, i, 1));
		for (bit = 0; bit < 8 * i; bit++) {
			buf[bit / 8] ^= (unsigned char)(1u << (bit % 8));
			assert_true(pk_hash64(buf, i) != h);
			buf[bit / 8] ^= (unsigned char)(1u << (bit % 8));
		}
	}
}

/* A regular file is read whole (bigger than any read chunk too) with its
 * stat; a missing path, a folder or a FIFO is "not found", and opening
 * the FIFO does not wait for a writer. */
static void test_fs_read_file(void **state)
{
	char dir[] = "/tmp/pk-fs-XXXXXX";
	pk_buf path = PK_BUF_INIT, out = PK_BUF_INIT, big = PK_BUF_INIT;
	struct stat st;
	size_t i;
	(void)state;

	assert_non_null(mkdtemp(dir));
	for (i = 0; i < 200000; i++)
		pk_buf_putc(&big, (char)('a' + i % 26));
	pk_path_join(&path, dir, "big.txt");
	assert_int_equal(pk_fs_write_atomic(path.ptr, big.ptr, big.len, NULL), PK_OK);
	pk_buf_puts(&out, "kept:");
	assert_int_equal(pk_fs_read_file(&out, path.ptr, &st, NULL), PK_OK);
	assert_int_equal(st.st_size, big.len);
	assert_int_equal(out.len, 5 + big.len);
	assert_memory_equal(out.ptr + 5, big.ptr, big.len);
	assert_int_equal(out.ptr[out.len], '\0');
	pk_buf_clear(&out);
	assert_int_equal(pk_fs_read(&out, path.ptr, NULL), PK_OK);
	assert_int_equal(out.len, big.len);

	pk_buf_clear(&out);
	assert_int_equal(pk_fs_read_file(&out, dir, &st, NULL), PK_ENOTFOUND);
	pk_buf_clear(&path);
	pk_path_join(&path, dir, "missing");
	assert_int_equal(pk_fs_read_file(&out, path.ptr, &st, NULL), PK_ENOTFOUND);
	pk_buf_clear(&path);
	pk_path_join(&path, dir, "fifo");
	assert_int_equal(mkfifo(path.ptr, 0600), 0);
	assert_int_equal(pk_fs_read_file(&out, path.ptr, &st, NULL), PK_ENOTFOUND);
	assert_int_equal(out.len, 0);
	unlink(path.ptr);
	pk_buf_clear(&path);
	pk_path_join(&path, dir, "big.txt");
	unlink(path.ptr);
	rmdir(dir);
	pk_buf_release(&path);
	pk_buf_release(&out);
	pk_buf_release(&big);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hash64),
		cmocka_unit_test(test_fs_read_file),
		cmocka_unit_test(test_buf_basics),
		cmocka_unit_test(test_buf_printf_growth),
		cmocka_unit_test(test_buf_escaping),
		cmocka_unit_test(test_buf_numbers),
		cmocka_unit_test(test_task),
		cmocka_unit_test(test_strmap),
		cmocka_unit_test(test_diag_format),
		cmocka_unit_test(test_diag_sort_move),
		cmocka_unit_test(test_utf8),
		cmocka_unit_test(test_utf8_agrees_with_decoding),
		cmocka_unit_test_setup_teardown(test_fs_read_write, make_tmp, remove_tmp),
		cmocka_unit_test_setup_teardown(test_fs_mkdirs, make_tmp, remove_tmp),
		cmocka_unit_test_setup_teardown(test_fs_walk, make_tmp, remove_tmp),
		cmocka_unit_test(test_path),
		cmocka_unit_test(test_arena),
		cmocka_unit_test(test_arena_debug_malloc),
		cmocka_unit_test(test_vec_xalloc),
		cmocka_unit_test(test_parallel_for),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
