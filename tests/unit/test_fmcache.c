/* Unit tests of src/content/fmcache.c: the front-matter cache. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "content/fmcache.h"
#include "core/fs.h"
#include "testutil.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static const char practice[] =
	"---\ntitle: Клуб «Читаем вместе»\ndate: 2024-01-01\ntags: [чтение, клуб]\n"
	"indicators:\n  - name: Доля\n    numerator: 3\n    denominator: 4\n"
	"flag: true\nratio: 0.5\nnothing: ~\n---\nТекст.\n";
static const char other[] = "---\ntitle: Другая\n---\nТекст.\n";
static const char program[] = "praktika test 1";

typedef struct {
	char *tmp;   /* the test's folder */
	char *dir;   /* tmp/cache: the cache's folder */
	char *file;  /* tmp/cache/frontmatter: the cache */
} fixture;

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof(*f));
	pk_buf dir = PK_BUF_INIT, file = PK_BUF_INIT;
	f->tmp = pk_test_tmpdir();
	pk_path_join(&dir, f->tmp, "cache");
	mkdir(dir.ptr, 0700);
	pk_path_join(&file, dir.ptr, "frontmatter");
	f->dir = pk_buf_detach(&dir);
	f->file = pk_buf_detach(&file);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;
	pk_test_rmtree(f->tmp);
	free(f->tmp);
	free(f->dir);
	free(f->file);
	free(f);
	return 0;
}

/* Parses text through cache (may be NULL) and keeps what it leaves. */
static pk_value *parse(pk_fmcache *cache, const char *text, pk_frontmatter *fm, pk_diags *d)
{
	pk_fmcache_entry entry;
	pk_value *meta = NULL;
	memset(&entry, 0, sizeof(entry));
	pk_buf_init(&entry.bytes);
	pk_fmcache_parse(cache, &meta, fm, text, strlen(text), "p.md", &entry, d);
	if (cache && meta)
		assert_true(entry.cacheable);
	pk_fmcache_keep(cache, &entry, "", "p.md");
	pk_buf_release(&entry.bytes);
	return meta;
}

/* One build: the texts parsed through the output folder's cache, which
 * is then committed; returns its stats. */
static pk_fmcache_stats build(const fixture *f, const char *const *texts, size_t n)
{
	pk_fmcache *cache = pk_fmcache_open(f->file, program, strlen(program));
	pk_diags d = PK_DIAGS_INIT;
	pk_fmcache_stats stats;
	pk_frontmatter fm;
	size_t i;

	for (i = 0; i < n; i++)
		pk_value_free(parse(cache, texts[i], &fm, &d));
	pk_fmcache_commit(cache);
	stats = pk_fmcache_stats_of(cache);
	pk_fmcache_free(cache);
	pk_diags_release(&d);
	return stats;
}

static void journal_path(pk_buf *out, const fixture *f)
{
	pk_buf_printf(out, "%s.journal", f->file);
}

/* Files in the cache's folder besides the cache and its journal:
 * temporary ones left behind. */
static int leftovers(const fixture *f)
{
	DIR *dir = opendir(f->dir);
	struct dirent *e;
	int n = 0;
	if (!dir)
		return 0;
	while ((e = readdir(dir)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..") &&
		    strcmp(e->d_name, "frontmatter") && strcmp(e->d_name, "frontmatter.journal"))
			n++;
	closedir(dir);
	return n;
}

static void test_found_tree_is_the_parsed_one(void **state)
{
	fixture *f = *state;
	const char *texts[] = { practice, other };
	pk_diags d = PK_DIAGS_INIT;
	pk_frontmatter fm, fm_cached;
	pk_fmcache_stats stats;
	pk_fmcache *cache;
	pk_value *plain, *cached;
	const pk_map_entry *e;

	stats = build(f, texts, 2);
	assert_int_equal(stats.found, 0);
	assert_int_equal(stats.parsed, 2);
	assert_int_equal(stats.kept, 2);
	assert_int_equal(leftovers(f), 0);

	plain = parse(NULL, practice, &fm, &d);
	cache = pk_fmcache_open(f->file, program, strlen(program));
	cached = parse(cache, practice, &fm_cached, &d);
	stats = pk_fmcache_stats_of(cache);
	assert_int_equal(stats.found, 1);
	assert_int_equal(stats.parsed, 0);
	assert_non_null(cached);
	assert_true(pk_value_equal(plain, cached));
	e = pk_value_map_entry(cached, "indicators", 10);
	assert_non_null(e);
	assert_int_equal(e->key_pos.line, 5);
	assert_int_equal(e->key_pos.col, 1);
	assert_int_equal(pk_value_list_at(e->value, 0)->pos.line, 6);
	assert_int_equal(pk_value_map_get(cached, "ratio")->pos.line, 10);
	/* the split is the same too: the body is found where it is */
	assert_int_equal(fm_cached.body_line, fm.body_line);
	assert_int_equal(fm_cached.body.len, fm.body.len);
	assert_memory_equal(fm_cached.body.p, fm.body.p, fm.body.len);
	pk_fmcache_free(cache); /* not committed: the old cache stays */
	assert_int_equal(leftovers(f), 0);
	assert_int_equal(d.len, 0);

	pk_value_free(plain);
	pk_value_free(cached);
	pk_diags_release(&d);
}

static void test_keeps_only_what_the_build_read(void **state)
{
	fixture *f = *state;
	const char *both[] = { practice, other, practice };
	const char *one[] = { other };
	pk_fmcache_stats stats;

	stats = build(f, both, 3);
	assert_int_equal(stats.kept, 2); /* the same front matter once */
	stats = build(f, one, 1);
	assert_int_equal(stats.found, 1);
	assert_int_equal(stats.kept, 1);
	stats = build(f, both, 2);
	assert_int_equal(stats.found, 1); /* 'practice' was dropped by the last build */
	assert_int_equal(stats.parsed, 1);
}

static void test_edited_front_matter_is_parsed(void **state)
{
	fixture *f = *state;
	const char *before[] = { practice };
	const char *after[] = { "---\ntitle: Клуб «Читаем вместе», второй год\n---\nТекст.\n" };
	pk_fmcache_stats stats;

	build(f, before, 1);
	stats = build(f, after, 1);
	assert_int_equal(stats.found, 0);
	assert_int_equal(stats.parsed, 1);
}

static void test_failed_parse_is_not_kept(void **state)
{
	fixture *f = *state;
	const char *bad[] = { "---\ntitle: [unclosed\n---\n", "---\n- a list\n---\n" };
	pk_fmcache *cache = pk_fmcache_open(f->file, program, strlen(program));
	pk_diags d = PK_DIAGS_INIT;
	pk_fmcache_stats stats;
	pk_frontmatter fm;

	assert_null(parse(cache, bad[0], &fm, &d));
	assert_null(parse(cache, bad[1], &fm, &d));
	assert_int_equal(d.errors, 2);
	pk_fmcache_commit(cache);
	stats = pk_fmcache_stats_of(cache);
	assert_int_equal(stats.kept, 0);
	pk_fmcache_free(cache);
	pk_diags_release(&d);

	/* and the next build reports them again */
	stats = build(f, bad, 2);
	assert_int_equal(stats.parsed, 2);
	assert_int_equal(stats.found, 0);
}

/* Rewrites file with byte at (from the end when negative) flipped, or
 * cut to len when len >= 0. */
static void damage_file(const char *file, long at, long len)
{
	pk_buf bytes = PK_BUF_INIT;
	assert_int_equal(pk_fs_read(&bytes, file, NULL), 0);
	if (len >= 0)
		bytes.len = (size_t)len;
	else
		bytes.ptr[at < 0 ? (long)bytes.len + at : at] ^= 0x20;
	assert_int_equal(pk_fs_write_atomic(file, bytes.ptr, bytes.len, NULL), 0);
	pk_buf_release(&bytes);
}

/* The same, to the cache's base. */
static void damage(const fixture *f, long at, long len)
{
	damage_file(f->file, at, len);
}

/* Flips each byte of file (the base or the journal) in turn: every
 * build then finds text's tree the same as a plain parse, or misses. */
static void every_flip_misses_or_agrees(const fixture *f, const char *file, const char *text)
{
	pk_buf bytes = PK_BUF_INIT;
	pk_diags d = PK_DIAGS_INIT;
	pk_frontmatter fm;
	pk_value *plain, *cached;
	size_t i;

	assert_int_equal(pk_fs_read(&bytes, file, NULL), 0);
	plain = parse(NULL, text, &fm, &d);
	for (i = 0; i < bytes.len; i++) {
		pk_fmcache *cache;
		bytes.ptr[i] ^= 0x01;
		assert_int_equal(pk_fs_write_atomic(file, bytes.ptr, bytes.len, NULL), 0);
		bytes.ptr[i] ^= 0x01;
		cache = pk_fmcache_open(f->file, program, strlen(program));
		cached = parse(cache, text, &fm, &d);
		assert_true(pk_value_equal(plain, cached));
		pk_value_free(cached);
		pk_fmcache_free(cache);
	}
	assert_int_equal(d.len, 0);
	pk_value_free(plain);
	pk_buf_release(&bytes);
	pk_diags_release(&d);
}

static void test_kept_entries_read_back(void **state)
{
	fixture *f = *state;
	pk_fmcache *cache = pk_fmcache_open(f->file, program, strlen(program));
	pk_diags d = PK_DIAGS_INIT;
	pk_fmcache_entry a, b, again;
	pk_frontmatter fm;
	pk_value *meta_a = NULL, *meta_b = NULL, *back;
	uint32_t ref_a, ref_b;

	pk_buf_init(&a.bytes);
	pk_buf_init(&b.bytes);
	pk_buf_init(&again.bytes);
	pk_fmcache_parse(cache, &meta_a, &fm, practice, strlen(practice), "a.md", &a, &d);
	pk_fmcache_parse(cache, &meta_b, &fm, other, strlen(other), "b.md", &b, &d);
	pk_fmcache_parse(cache, &back, &fm, practice, strlen(practice), "c.md", &again, &d);
	pk_value_free(back);
	ref_a = pk_fmcache_keep(cache, &a, "", "a.md");
	ref_b = pk_fmcache_keep(cache, &b, "", "b.md");
	assert_true(ref_a && ref_b && ref_a != ref_b);
	assert_int_equal(pk_fmcache_keep(cache, &again, "", "a.md"), ref_a); /* the same front matter */
	assert_null(pk_fmcache_unpack(cache, ref_a)); /* not flushed yet */
	pk_fmcache_flush(cache);
	back = pk_fmcache_unpack(cache, ref_b);
	assert_true(pk_value_equal(back, meta_b));
	pk_value_free(back);
	back = pk_fmcache_unpack(cache, ref_a);
	assert_true(pk_value_equal(back, meta_a));
	pk_value_free(back);
	assert_null(pk_fmcache_unpack(cache, 0));
	assert_null(pk_fmcache_unpack(cache, 3));
	assert_null(pk_fmcache_unpack(NULL, 1));

	pk_value_free(meta_a);
	pk_value_free(meta_b);
	pk_buf_release(&a.bytes);
	pk_buf_release(&b.bytes);
	pk_buf_release(&again.bytes);
	pk_fmcache_free(cache);
	pk_diags_release(&d);
}

static void test_damaged_or_foreign_cache_is_empty(void **state)
{
	fixture *f = *state;
	const char *texts[] = { practice };
	pk_fmcache *cache;
	pk_fmcache_stats stats;
	pk_diags d = PK_DIAGS_INIT;
	pk_frontmatter fm;

	/* another program's cache */
	build(f, texts, 1);
	cache = pk_fmcache_open(f->file, "praktika test 2", 15);
	pk_value_free(parse(cache, practice, &fm, &d));
	assert_int_equal(pk_fmcache_stats_of(cache).found, 0);
	pk_fmcache_free(cache);

	/* a byte of the entry, of the index, of the footer; a cut file */
	build(f, texts, 1);
	damage(f, 30, -1);
	assert_int_equal(build(f, texts, 1).found, 0);
	damage(f, -50, -1);
	assert_int_equal(build(f, texts, 1).found, 0);
	damage(f, -3, -1);
	assert_int_equal(build(f, texts, 1).found, 0);
	damage(f, 0, 100);
	assert_int_equal(build(f, texts, 1).found, 0);
	damage(f, 0, 0);
	assert_int_equal(build(f, texts, 1).found, 0);
	stats = build(f, texts, 1);
	assert_int_equal(stats.found, 1); /* each build above wrote a good one again */

	/* every single flipped byte: a miss or the very same tree */
	every_flip_misses_or_agrees(f, f->file, practice);
	pk_diags_release(&d);
}

/* One build that read practice as the file rel with sig: parsed, its
 * file record kept, committed. */
static void build_known(const fixture *f, const char *rel, const pk_fmcache_sig *sig)
{
	pk_fmcache *cache = pk_fmcache_open(f->file, program, strlen(program));
	pk_fmcache_entry entry;
	pk_diags d = PK_DIAGS_INIT;
	pk_frontmatter fm;
	pk_value *meta = NULL;

	memset(&entry, 0, sizeof(entry));
	pk_fmcache_parse(cache, &meta, &fm, practice, strlen(practice), rel, &entry, &d);
	entry.has_file = true;
	entry.file.sig = *sig;
	entry.file.body_off = (uint64_t)(fm.body.p - practice);
	entry.file.body_len = fm.body.len;
	entry.file.body_hash = 42;
	entry.file.body_line = fm.body_line;
	assert_true(pk_fmcache_keep(cache, &entry, "school", rel) > 0);
	pk_fmcache_commit(cache);
	pk_fmcache_free(cache);
	pk_value_free(meta);
	pk_buf_release(&entry.bytes);
	pk_diags_release(&d);
}

/* True when a build finds rel of "school" known with sig; checks the
 * tree and the body's place when it does. */
static bool known(const fixture *f, const char *rel, const pk_fmcache_sig *sig)
{
	pk_fmcache *cache = pk_fmcache_open(f->file, program, strlen(program));
	pk_fmcache_entry entry;
	pk_value *meta = NULL, *plain;
	pk_frontmatter fm;
	pk_diags d = PK_DIAGS_INIT;
	bool found;

	memset(&entry, 0, sizeof(entry));
	found = pk_fmcache_known(cache, &meta, "school", rel, sig, &entry);
	if (found) {
		plain = parse(NULL, practice, &fm, &d);
		assert_true(pk_value_equal(plain, meta));
		assert_true(entry.cacheable && entry.has_file);
		assert_int_equal(entry.file.body_off, (uint64_t)(fm.body.p - practice));
		assert_int_equal(entry.file.body_len, fm.body.len);
		assert_int_equal(entry.file.body_hash, 42);
		assert_int_equal(pk_fmcache_stats_of(cache).known, 1);
		pk_value_free(plain);
	} else {
		assert_null(meta);
	}
	pk_value_free(meta);
	pk_buf_release(&entry.bytes);
	pk_fmcache_free(cache); /* not committed: the cache stays as it was */
	pk_diags_release(&d);
	return found;
}

static void test_known_files(void **state)
{
	fixture *f = *state;
	const char *rel = "content/practices/a.md";
	pk_fmcache_sig sig = { 2049, 1234, strlen(practice), 1700000000000000000LL,
			       1700000000000000000LL };
	pk_fmcache_sig other = sig;

	build_known(f, rel, &sig);
	assert_true(known(f, rel, &sig));
	assert_false(known(f, "content/practices/b.md", &sig));
	other.size++;
	assert_false(known(f, rel, &other)); /* any field of the stat differs: read it */
	other = sig, other.ino++;
	assert_false(known(f, rel, &other));
	other = sig, other.dev++;
	assert_false(known(f, rel, &other));
	other = sig, other.mtime_ns++;
	assert_false(known(f, rel, &other));
	other = sig, other.ctime_ns++; /* rewritten, its mtime set back (touch -r) */
	assert_false(known(f, rel, &other));

	/* a file changed within a second of the build that read it is racily
	 * clean: never trusted, however the next build finds it */
	other = sig;
	other.mtime_ns = other.ctime_ns = (int64_t)time(NULL) * 1000000000LL;
	build_known(f, rel, &other);
	assert_false(known(f, rel, &other));

	/* a build that does not read the file leaves no record of it */
	build_known(f, rel, &sig);
	{
		const char *texts[] = { practice };
		build(f, texts, 1);
	}
	assert_false(known(f, rel, &sig));

	/* the footer is checked whole: a flipped bit of the time the build
	 * started (word 7 of ten, before the closing magic) would move the
	 * racily-clean line, so the whole cache is refused */
	{
		pk_buf journal = PK_BUF_INIT;
		journal_path(&journal, f);
		unlink(journal.ptr);
		unlink(f->file);
		build_known(f, rel, &sig); /* a base alone */
		assert_true(known(f, rel, &sig));
		damage(f, -(8 + 3 * 8) + 1, -1);
		assert_false(known(f, rel, &sig));
		pk_buf_release(&journal);
	}

	/* a damaged record block is no records, the entries still count:
	 * records of a first build are in the base, of the next in the
	 * journal (the byte flipped is the records' seal, before the 88-byte
	 * footer) */
	{
		pk_buf journal = PK_BUF_INIT;
		journal_path(&journal, f);
		unlink(journal.ptr);
		unlink(f->file);
		build_known(f, rel, &sig);
		assert_false(pk_fs_is_file(journal.ptr));
		damage(f, -96, -1);
		assert_false(known(f, rel, &sig));
		build_known(f, rel, &sig);
		build_known(f, rel, &sig);
		assert_true(pk_fs_is_file(journal.ptr));
		assert_true(known(f, rel, &sig));
		damage_file(journal.ptr, -96, -1);
		assert_false(known(f, rel, &sig));
		pk_buf_release(&journal);
	}
}

/* ---- the journal ------------------------------------------------------ */

#define MANY 20

/* Front matter i of a bank of MANY, in its version v. */
static char *many_text(size_t i, int v)
{
	pk_buf b = PK_BUF_INIT;
	pk_buf_printf(&b, "---\ntitle: Практика %02zu, версия %d\ndate: 2024-01-01\n"
		      "tags: [чтение, клуб]\n---\nТекст.\n", i, v);
	return pk_buf_detach(&b);
}

/* Builds versions v[0..MANY) of the bank. */
static pk_fmcache_stats build_many(const fixture *f, const int *v)
{
	char *texts[MANY];
	pk_fmcache_stats stats;
	size_t i;

	for (i = 0; i < MANY; i++)
		texts[i] = many_text(i, v[i]);
	stats = build(f, (const char *const *)texts, MANY);
	for (i = 0; i < MANY; i++)
		free(texts[i]);
	return stats;
}

/* One build that finds rel of "school" known and keeps it as it is, its
 * tree read (or, lazy, left in the old cache); returns the stats. */
static pk_fmcache_stats keep_known(const fixture *f, const char *rel, const pk_fmcache_sig *sig,
				   bool lazy)
{
	pk_fmcache *cache = pk_fmcache_open(f->file, program, strlen(program));
	pk_fmcache_entry entry;
	pk_fmcache_stats stats;

	memset(&entry, 0, sizeof(entry));
	pk_buf_init(&entry.bytes);
	assert_true(pk_fmcache_known_bytes(cache, "school", rel, sig, &entry));
	assert_int_equal(entry.bytes.len == 0, lazy);
	assert_true(pk_fmcache_keep(cache, &entry, "school", rel) > 0);
	pk_fmcache_commit(cache);
	stats = pk_fmcache_stats_of(cache);
	pk_fmcache_free(cache);
	pk_buf_release(&entry.bytes);
	return stats;
}

/* A known file's tree that a journal over the base keeps where it is is
 * not read; fetched, it is checked, and damaged bytes are no tree. */
static void test_known_bytes_stay_in_the_base(void **state)
{
	fixture *f = *state;
	const char *rel = "content/practices/a.md";
	pk_fmcache_sig sig = { 2049, 1234, strlen(practice), 1700000000000000000LL,
			       1700000000000000000LL };
	pk_fmcache *cache;
	pk_fmcache_entry entry;
	pk_fmcache_stats stats;
	pk_value *tree, *plain;
	pk_frontmatter fm;
	pk_diags d = PK_DIAGS_INIT;
	int v[MANY] = { 0 };

	/* a base of much else; a journal of the file over it; then the next
	 * build uses too little of the base to append: a new base, the
	 * file's bytes read from the journal into it */
	build_many(f, v);
	build_known(f, rel, &sig);
	stats = keep_known(f, rel, &sig, false);
	assert_false(stats.journal);
	assert_int_equal(stats.written, 1);

	/* now the base is the file alone: a journal over it, nothing read */
	stats = keep_known(f, rel, &sig, true);
	assert_true(stats.journal);
	assert_int_equal(stats.written, 0);
	assert_true(known(f, rel, &sig));

	/* fetched, the bytes are the tree's */
	cache = pk_fmcache_open(f->file, program, strlen(program));
	memset(&entry, 0, sizeof(entry));
	assert_true(pk_fmcache_known_bytes(cache, "school", rel, &sig, &entry));
	assert_true(pk_fmcache_fetch(cache, &entry));
	tree = pk_fmcache_known_tree(cache, &entry);
	plain = parse(NULL, practice, &fm, &d);
	assert_non_null(tree);
	assert_true(pk_value_equal(plain, tree));
	pk_value_free(tree);
	pk_buf_release(&entry.bytes);
	pk_fmcache_free(cache);

	/* damaged in the base (just past its header): still known by its
	 * place, but fetching it fails its check, and it is no tree */
	damage(f, 24, -1);
	cache = pk_fmcache_open(f->file, program, strlen(program));
	memset(&entry, 0, sizeof(entry));
	assert_true(pk_fmcache_known_bytes(cache, "school", rel, &sig, &entry));
	assert_false(pk_fmcache_fetch(cache, &entry));
	assert_null(pk_fmcache_known_tree(cache, &entry));
	assert_int_equal(entry.found, 0);
	pk_buf_release(&entry.bytes);
	pk_fmcache_free(cache);
	pk_value_free(plain);
	pk_diags_release(&d);
}

static void read_file(pk_buf *out, const char *path)
{
	pk_buf_clear(out);
	assert_int_equal(pk_fs_read(out, path, NULL), 0);
}

static void test_an_edit_writes_a_journal_over_the_base(void **state)
{
	fixture *f = *state;
	int v[MANY] = { 0 };
	pk_buf journal = PK_BUF_INIT, base = PK_BUF_INIT, now = PK_BUF_INIT;
	pk_fmcache_stats stats;
	struct stat before, after;
	size_t i;

	journal_path(&journal, f);
	stats = build_many(f, v);
	assert_false(stats.journal);
	assert_int_equal(stats.written, MANY);
	assert_false(pk_fs_is_file(journal.ptr));
	read_file(&base, f->file);
	assert_int_equal(stat(f->file, &before), 0);

	/* one edited: the base stays, the journal has the one new entry */
	v[3] = 1;
	stats = build_many(f, v);
	assert_true(stats.journal);
	assert_int_equal(stats.found, MANY - 1);
	assert_int_equal(stats.parsed, 1);
	assert_int_equal(stats.kept, MANY);
	assert_int_equal(stats.written, 1);
	assert_int_equal(stat(f->file, &after), 0);
	assert_int_equal(after.st_ino, before.st_ino);
	read_file(&now, f->file);
	assert_int_equal(now.len, base.len);
	assert_memory_equal(now.ptr, base.ptr, base.len);
	assert_int_equal(stat(journal.ptr, &after), 0);
	assert_int_equal(after.st_mode & 0777, 0600);
	assert_int_equal(leftovers(f), 0);

	/* the next build finds all, the edited one in the journal */
	stats = build_many(f, v);
	assert_int_equal(stats.found, MANY);
	assert_int_equal(stats.parsed, 0);
	assert_true(stats.journal);
	assert_int_equal(stats.written, 1); /* carried into the new journal */

	/* a build that is not committed leaves both as they were */
	{
		pk_fmcache *cache = pk_fmcache_open(f->file, program, strlen(program));
		pk_buf j_before = PK_BUF_INIT, j_after = PK_BUF_INIT;
		pk_frontmatter fm;
		pk_diags d = PK_DIAGS_INIT;
		char *text = many_text(0, 7);

		read_file(&j_before, journal.ptr);
		pk_value_free(parse(cache, text, &fm, &d));
		pk_fmcache_flush(cache);
		pk_fmcache_free(cache);
		read_file(&j_after, journal.ptr);
		assert_int_equal(j_after.len, j_before.len);
		assert_memory_equal(j_after.ptr, j_before.ptr, j_before.len);
		read_file(&now, f->file);
		assert_int_equal(now.len, base.len);
		assert_int_equal(leftovers(f), 0);
		free(text);
		pk_buf_release(&j_before);
		pk_buf_release(&j_after);
		pk_diags_release(&d);
	}

	/* over a quarter edited: this build still writes a journal, the next
	 * one a whole new base, and the journal goes */
	for (i = 6; i < 12; i++)
		v[i] = 2;
	stats = build_many(f, v);
	assert_true(stats.journal);
	assert_int_equal(stats.parsed, 6);
	assert_int_equal(stats.written, 7);
	stats = build_many(f, v);
	assert_false(stats.journal);
	assert_int_equal(stats.found, MANY);
	assert_int_equal(stats.written, MANY);
	assert_false(pk_fs_is_file(journal.ptr));
	assert_int_equal(stat(f->file, &after), 0);
	assert_true(after.st_ino != before.st_ino);
	stats = build_many(f, v);
	assert_int_equal(stats.found, MANY);
	assert_int_equal(stats.written, 0); /* all in the new base */
	assert_int_equal(leftovers(f), 0);

	pk_buf_release(&journal);
	pk_buf_release(&base);
	pk_buf_release(&now);
}

static void test_journal_entries_read_back(void **state)
{
	fixture *f = *state;
	int v[MANY] = { 0 };
	pk_fmcache *cache;
	pk_diags d = PK_DIAGS_INIT;
	pk_frontmatter fm;
	uint32_t refs[MANY];
	pk_value *metas[MANY];
	size_t i;

	build_many(f, v);
	v[5] = 1;
	build_many(f, v); /* entry 5 in the journal, the rest in the base */
	v[9] = 1;
	cache = pk_fmcache_open(f->file, program, strlen(program));
	for (i = 0; i < MANY; i++) {
		char *text = many_text(i, v[i]);
		pk_fmcache_entry entry;
		memset(&entry, 0, sizeof(entry));
		pk_buf_init(&entry.bytes);
		pk_fmcache_parse(cache, &metas[i], &fm, text, strlen(text), "p.md", &entry, &d);
		assert_true(entry.found == 0 || i != 9);
		refs[i] = pk_fmcache_keep(cache, &entry, "", "p.md");
		assert_true(refs[i] > 0);
		pk_buf_release(&entry.bytes);
		free(text);
	}
	pk_fmcache_flush(cache);
	for (i = 0; i < MANY; i++) {
		pk_value *back = pk_fmcache_unpack(cache, refs[i]);
		assert_non_null(back);
		assert_true(pk_value_equal(back, metas[i]));
		pk_value_free(back);
		pk_value_free(metas[i]);
	}
	assert_true(pk_fmcache_stats_of(cache).journal);
	assert_int_equal(pk_fmcache_stats_of(cache).written, 2); /* 5 carried, 9 new */
	pk_fmcache_free(cache);
	assert_int_equal(d.len, 0);
	pk_diags_release(&d);
}

static void test_journal_of_another_base_is_ignored(void **state)
{
	fixture *f = *state;
	int v[MANY] = { 0 };
	pk_buf journal = PK_BUF_INIT, old_journal = PK_BUF_INIT;
	pk_fmcache_stats stats;

	journal_path(&journal, f);
	build_many(f, v);
	v[0] = 1;
	build_many(f, v); /* version 1 of entry 0 is in the journal only */
	read_file(&old_journal, journal.ptr);

	/* another build writes a new base of the same texts */
	unlink(journal.ptr);
	unlink(f->file);
	v[0] = 0;
	build_many(f, v);
	assert_int_equal(pk_fs_write_atomic(journal.ptr, old_journal.ptr, old_journal.len, NULL), 0);
	v[0] = 1;
	stats = build_many(f, v);
	assert_int_equal(stats.parsed, 1); /* the old journal's entry is not used */
	assert_int_equal(stats.found, MANY - 1);
	pk_buf_release(&journal);
	pk_buf_release(&old_journal);
}

static void test_damaged_journal_is_a_miss(void **state)
{
	fixture *f = *state;
	int v[MANY] = { 0 };
	pk_buf journal = PK_BUF_INIT, bytes = PK_BUF_INIT;
	char *text;

	journal_path(&journal, f);
	build_many(f, v);
	v[1] = 1;
	build_many(f, v);
	build_many(f, v); /* the journal has entry 1 and points into the base */

	/* cut: the base's own index counts again */
	read_file(&bytes, journal.ptr);
	damage_file(journal.ptr, 0, (long)bytes.len - 1);
	assert_int_equal(build_many(f, v).found, MANY - 1);

	/* every single flipped byte: a miss or the very same tree */
	build_many(f, v);
	build_many(f, v);
	text = many_text(1, 1);
	every_flip_misses_or_agrees(f, journal.ptr, text);
	free(text);
	pk_buf_release(&bytes);
	pk_buf_release(&journal);
}

static void test_no_cache_folder(void **state)
{
	fixture *f = *state;
	const char *texts[] = { practice };
	pk_fmcache_stats stats;
	struct stat st;

	pk_test_rmtree(f->dir); /* nowhere to put it: the build goes on without */
	stats = build(f, texts, 1);
	assert_int_equal(stats.parsed, 1);
	assert_int_equal(stats.kept, 0);
	assert_false(pk_fs_is_dir(f->dir));
	mkdir(f->dir, 0700);
	build(f, texts, 1);
	assert_int_equal(stat(f->file, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600); /* it holds unconsented fields */
	assert_int_equal(leftovers(f), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_found_tree_is_the_parsed_one, setup, teardown),
		cmocka_unit_test_setup_teardown(test_keeps_only_what_the_build_read, setup, teardown),
		cmocka_unit_test_setup_teardown(test_edited_front_matter_is_parsed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_failed_parse_is_not_kept, setup, teardown),
		cmocka_unit_test_setup_teardown(test_kept_entries_read_back, setup, teardown),
		cmocka_unit_test_setup_teardown(test_damaged_or_foreign_cache_is_empty, setup, teardown),
		cmocka_unit_test_setup_teardown(test_known_files, setup, teardown),
		cmocka_unit_test_setup_teardown(test_known_bytes_stay_in_the_base, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_cache_folder, setup, teardown),
		cmocka_unit_test_setup_teardown(test_an_edit_writes_a_journal_over_the_base, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_journal_entries_read_back, setup, teardown),
		cmocka_unit_test_setup_teardown(test_journal_of_another_base_is_ignored, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_damaged_journal_is_a_miss, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
