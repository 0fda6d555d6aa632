/* praktika build: check the bank, render the site, write it atomically. */
#include "cli/bank_cmd.h"
#include "cli/cli.h"
#include "core/buf.h"
#include "core/fs.h"
#include "core/hash.h"
#include "core/parallel.h"
#include "core/record.h"
#include "core/xalloc.h"
#include "output/output.h"
#include "output/stamp.h"
#include "site/site.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Under a leak checker everything is freed before the process ends;
 * otherwise neither the site (PK_SITE_LEAVE_MEMORY) nor the build hands
 * its memory back piece by piece (end_now): the kernel takes it back
 * faster, some 60 ms of a one-edited rebuild of a 10k bank. */
#if defined(__SANITIZE_ADDRESS__)
#define LEAK_CHECKED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(leak_sanitizer)
#define LEAK_CHECKED 1
#endif
#endif
#ifndef LEAK_CHECKED
#define LEAK_CHECKED 0
#endif

static const char usage[] =
	"Использование: praktika build [КАТАЛОГ] [-o ВЫХОД] [--rev РЕВИЗИЯ [--repo ПУТЬ]]\n"
	"                              [--drafts] [--werror] [--force] [--no-cache]\n"
	"                              [--quiet] [--verbose]\n"
	"\n"
	"Собирает сайт банка практик из КАТАЛОГА (по умолчанию текущий) в папку ВЫХОД\n"
	"(по умолчанию КАТАЛОГ/public). Сначала выполняет все проверки praktika check;\n"
	"если есть ошибки, сайт не пишется. Новый сайт заменяет старый целиком и сразу;\n"
	"файлы, которые не изменились, сохраняют дату изменения. Если с прошлой сборки\n"
	"не изменились ни файлы банка и темы, ни параметры, ни сама программа, сборка\n"
	"не повторяется: praktika повторяет прежний отчёт и ничего не пишет.\n"
	"\n"
	"  -o, --output ВЫХОД  куда записать сайт\n"
	"  --rev РЕВИЗИЯ       собрать банк из ревизии git (ветка, тег, хеш, HEAD~3), а не\n"
	"                      из рабочей папки; работает и в «голом» репозитории\n"
	"  --repo ПУТЬ         репозиторий (по умолчанию КАТАЛОГ)\n"
	"  -j, --jobs N        потоков отрисовки (по умолчанию — по числу ядер); сайт от\n"
	"                      числа потоков не зависит\n"
	"  -v, --verbose       подробности: время этапов, почему сборка не пропущена,\n"
	"                      файлы, не зафиксированные в git\n"
	"  --drafts            включить черновики (draft: true)\n"
	"  --werror            считать предупреждения ошибками\n"
	"  --force             собрать заново и отрисовать все страницы, даже если\n"
	"                      ничего не изменилось\n"
	"  --no-cache          не брать из кэша прошлой сборки (~/.cache/praktika)\n"
	"                      ни разобранный YAML, ни отметки о страницах,\n"
	"                      и не сохранять их\n"
	"  -q, --quiet         не печатать итог и строку хода сборки\n";

static double seconds_since(const struct timespec *start)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - start->tv_sec) + (double)(now.tv_nsec - start->tv_nsec) / 1e9;
}

typedef struct {
	double load, link, render, commit; /* seconds of each phase */
	size_t written, unchanged, kept;
	pk_fmcache_stats cache;
} timings;

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The progress line on a terminal: rewritten in place, erased at the end. */
static void show_progress(size_t pages, void *payload)
{
	(void)payload;
	fprintf(stderr, "\rpraktika: записано страниц: %zu", pages);
	fflush(stderr);
}

/* ---- praktika's own state: the stamp, the caches ---------------------- */

/* The state files of one output folder, and the key of this build. */
typedef struct {
	pk_buf stamp, cache, pages;
	const char *key;
} state;

/* Where praktika keeps its state for out_dir: the stamp ("build-…"), the
 * front-matter cache ("frontmatter-…") and the page records ("pages-…"),
 * one file each per output folder (named by a hash of its absolute path) in
 * $XDG_CACHE_HOME/praktika, else ~/.cache/praktika, a folder only the
 * user may read. Never in the output folder or the bank: the cache holds
 * every field of every file and the stamp the build's messages, both
 * naming people who did not consent to be published. All stay empty
 * when there is no such folder to be had (then every build is a full
 * one, without a cache). */
static void state_files(state *s, const char *out_dir)
{
	const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
	pk_buf dir = PK_BUF_INIT, abs = PK_BUF_INIT;
	char *cwd;
	bool ok;

	if (xdg && xdg[0] == '/')
		pk_path_join(&dir, xdg, "praktika");
	else if (home && home[0] == '/')
		pk_path_join(&dir, home, ".cache/praktika");
	else
		return;
	ok = pk_fs_mkdirs(dir.ptr, NULL) == PK_OK && chmod(dir.ptr, 0700) == 0;
	if (out_dir[0] != '/' && (cwd = getcwd(NULL, 0))) {
		pk_path_join(&abs, cwd, out_dir);
		free(cwd);
	} else {
		pk_buf_puts(&abs, out_dir);
	}
	if (ok) {
		uint64_t hash = pk_hash64(abs.ptr, abs.len);
		pk_buf_printf(&s->stamp, "%s/build-%016" PRIx64, dir.ptr, hash);
		pk_buf_printf(&s->cache, "%s/frontmatter-%016" PRIx64, dir.ptr, hash);
		pk_buf_printf(&s->pages, "%s/pages-%016" PRIx64, dir.ptr, hash);
	}
	pk_buf_release(&abs);
	pk_buf_release(&dir);
}

/* Removes the stamp (file, or none when empty) of out_dir before its site
 * changes: it vouches for the old site only. Older versions kept it in
 * the output folder. */
static void remove_stamp(const char *stamp, const char *out_dir)
{
	pk_buf path = PK_BUF_INIT;

	if (*stamp)
		pk_stamp_remove(stamp);
	pk_path_join(&path, out_dir, PK_STAMP_LEGACY_FILE);
	pk_stamp_remove(path.ptr);
	pk_buf_release(&path);
}

/* ---- reading the old site ahead --------------------------------------- */

/* What a build reads of the old site before it writes the new one: the
 * output's manifest, each file it lists looked at (pk_output_prior_read),
 * and the page records (output/pagerec.h), unless --no-cache; last
 * build's are read unless --force (which renders every page). None of it
 * depends on the bank, so a thread of its own reads it while the bank
 * loads (with -j 1 the build's one thread reads it first). */
typedef struct {
	const char *out_dir, *pages_file;
	bool records;           /* page records are used */
	pk_output_prior prior;
	pk_pagerec old_pages;
	pk_task task;           /* read_ahead */
} lookahead;

static void *read_ahead(void *arg)
{
	lookahead *la = arg;
	pk_output_prior_read(&la->prior, la->out_dir);
	if (la->records && la->pages_file)
		pk_pagerec_read(&la->old_pages, la->pages_file);
	return NULL;
}

static void lookahead_start(lookahead *la, const pk_cli_opts *opts, const char *out_dir,
			    const state *s)
{
	memset(la, 0, sizeof(*la));
	la->out_dir = out_dir;
	la->records = !opts->no_cache && s->pages.len;
	la->pages_file = opts->force ? NULL : s->pages.ptr;
	la->prior = (pk_output_prior)PK_OUTPUT_PRIOR_INIT;
	la->old_pages = (pk_pagerec)PK_PAGEREC_INIT;
	pk_task_start(&la->task, pk_cli_jobs(opts), read_ahead, la);
}

/* Waits until the old site is read. */
static void lookahead_wait(lookahead *la)
{
	pk_task_wait(&la->task);
}

static void lookahead_release(lookahead *la)
{
	lookahead_wait(la);
	pk_output_prior_release(&la->prior);
	pk_pagerec_release(&la->old_pages);
}

/* What a built site leaves besides itself, made by a thread of its own
 * while the main one puts the new site in place and then writes the page
 * records (about as long): the front-matter cache's new file, committed,
 * and the stamp's list of inputs, encoded for save_stamp. Neither touches
 * the output folder. */
typedef struct {
	pk_fmcache *cache;          /* committed, or NULL */
	const pk_inputs *inputs;    /* encoded into inputs_text */
	pk_buf *inputs_text;
	pk_task task;               /* make_aside */
} aside;

static void *make_aside(void *arg)
{
	aside *a = arg;
	pk_fmcache_commit(a->cache);
	pk_inputs_write(a->inputs, a->inputs_text);
	return NULL;
}

static void aside_start(aside *a, pk_fmcache *cache, const pk_inputs *inputs,
			pk_buf *inputs_text, int jobs)
{
	a->cache = cache;
	a->inputs = inputs;
	a->inputs_text = inputs_text;
	pk_task_start(&a->task, jobs, make_aside, a);
}

static void aside_wait(aside *a)
{
	pk_task_wait(&a->task);
}

/* Builds the site into out_dir and puts it in place; the stamp st gets
 * the hash of the manifest left there, and stamp_inputs its inputs,
 * encoded. */
static int write_site(pk_bank *bank, const char *out_dir, const state *s, lookahead *la,
		      const pk_cli_opts *opts, pk_stamp *st, pk_buf *stamp_inputs,
		      pk_site_stats *stats, timings *t, pk_diags *diags)
{
	pk_site_opts sopts = PK_SITE_OPTS_INIT;
	pk_pagerec fresh = PK_PAGEREC_INIT;
	pk_output out;
	aside as;
	double start = now(), mark;
	int rc;

	lookahead_wait(la);
	if (la->records) {
		sopts.old_pages = &la->old_pages;
		sopts.new_pages = &fresh;
		sopts.build_key = s->key;
	}
	sopts.generator = "praktika " PK_VERSION;
	if (!LEAK_CHECKED)
		sopts.flags |= PK_SITE_LEAVE_MEMORY;
	sopts.threads = pk_cli_jobs(opts);
	if (!opts->quiet && isatty(STDERR_FILENO))
		sopts.progress = show_progress;
	if ((rc = pk_output_begin_with(&out, out_dir, &la->prior, diags)) == PK_OK)
		rc = pk_site_build(&out, bank, &sopts, stats, diags);
	if (sopts.progress)
		fputs("\r\033[K", stderr);
	mark = now();
	t->link = stats->link_seconds;
	t->render = mark - start - t->link;
	if (rc == PK_OK) {
		pk_inputs_record(NULL); /* every input is in: the aside encodes them */
		aside_start(&as, opts->fm_cache, st->inputs, stamp_inputs, sopts.threads);
		/* both vouch for the old site only */
		remove_stamp(s->stamp.ptr, out_dir);
		if (la->records)
			unlink(s->pages.ptr);
		rc = pk_output_commit(&out, diags);
		if (rc == PK_OK && la->records)
			pk_pagerec_write(&fresh, s->pages.ptr);
		if (rc == PK_OK)
			st->manifest_hash = out.manifest_hash;
		aside_wait(&as);
	} else {
		pk_output_abort(&out);
	}
	t->commit = now() - mark;
	t->written = out.files_written;
	t->unchanged = out.files_unchanged;
	t->kept = stats->pages_kept;
	pk_output_release(&out);
	pk_pagerec_release(&fresh);
	return rc;
}

static void print_timings(const timings *t)
{
	fprintf(stderr,
		"praktika: загрузка и разбор %.3f с, связывание %.3f с, отрисовка и запись %.3f с, "
		"подмена сайта %.3f с\n"
		"praktika: файлов записано: %zu, не изменилось (оставлены как были): %zu\n"
		"praktika: страниц с прежними данными (не отрисованы заново): %zu\n"
		"praktika: front matter из кэша: %zu, разобрано заново: %zu; "
		"файлов, не прочитанных заново (не изменились): %zu; "
		"практик, не проверенных заново (не изменились): %zu\n",
		t->load, t->link, t->render, t->commit, t->written, t->unchanged, t->kept,
		t->cache.found, t->cache.parsed, t->cache.known, t->cache.records);
}

/* ---- skipping a build when nothing changed --------------------------- */

static int64_t wall_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + (int64_t)ts.tv_nsec;
}

static void put_opt(pk_buf *key, const char *name, const char *value)
{
	pk_record_put_str(key, name, strlen(name));
	pk_record_put_str(key, value ? value : "", value ? strlen(value) : 0);
}

/* The program itself: a rebuilt praktika may render differently. */
static void put_program(pk_buf *key)
{
	struct stat st;

	pk_record_put_str(key, PK_VERSION, strlen(PK_VERSION));
	if (stat("/proc/self/exe", &st) == 0) {
		pk_record_put_u64(key, (uint64_t)st.st_size);
		pk_record_put_u64(key, (uint64_t)st.st_ino);
		pk_record_put_i64(key, (int64_t)st.st_mtim.tv_sec);
		pk_record_put_i64(key, (int64_t)st.st_mtim.tv_nsec);
	}
}

/* Everything besides the files read that shapes the site: a build with
 * another key is never skipped. (-j, --quiet and --verbose do not change
 * the site.) The date is in it because "today" bounds the dates allowed. */
static void build_key(pk_buf *key, const pk_cli_opts *opts, const char *out_dir)
{
	char *cwd = getcwd(NULL, 0), today[16];
	time_t t = time(NULL);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(today, sizeof(today), "%Y-%m-%d", &tm);
	put_program(key);
	put_opt(key, "cwd", cwd);
	put_opt(key, "dir", opts->dir);
	put_opt(key, "out", out_dir);
	put_opt(key, "rev", opts->rev);
	put_opt(key, "repo", opts->repo);
	put_opt(key, "drafts", opts->drafts ? "1" : "0");
	put_opt(key, "werror", opts->werror ? "1" : "0");
	put_opt(key, "today", today);
	put_opt(key, "themes", getenv("PRAKTIKA_THEMES"));
	free(cwd);
}

static void explain_rebuild(pk_stamp_verdict v, const char *changed)
{
	switch (v) {
	case PK_STAMP_KEY:
		fprintf(stderr, "praktika: полная сборка: другие параметры, программа или дата\n");
		break;
	case PK_STAMP_INPUT:
		fprintf(stderr, "praktika: полная сборка: изменился %s\n", changed);
		break;
	case PK_STAMP_OUTPUT:
		fprintf(stderr, "praktika: полная сборка: файлы сайта меняли после сборки\n");
		break;
	case PK_STAMP_HOLDS:
		break;
	}
}

/* True when the last build's stamp holds: then its report is moved into
 * diags and stats, and nothing needs doing. */
static bool unchanged_since_last_build(const pk_cli_opts *opts, const char *stamp,
				       const char *key, lookahead *la, pk_diags *diags,
				       pk_site_stats *stats)
{
	pk_stamp st;
	pk_stamp_verdict v = PK_STAMP_KEY;
	const char *changed = NULL;
	size_t i;

	pk_stamp_init(&st);
	if (*stamp && pk_stamp_read(&st, stamp) == PK_OK) {
		v = pk_stamp_check_inputs(&st, key, &changed);
		if (v == PK_STAMP_HOLDS) { /* the output folder, as the look ahead found it */
			lookahead_wait(la);
			v = pk_stamp_check_output(&st, la->prior.intact, la->prior.manifest_hash);
		}
	} else if (opts->verbose)
		fprintf(stderr, "praktika: полная сборка: нет отметки о прошлой сборке\n");
	if (opts->verbose && v != PK_STAMP_HOLDS && st.key)
		explain_rebuild(v, changed);
	if (v == PK_STAMP_HOLDS) {
		pk_diags_move(diags, &st.diags);
		stats->pages = st.pages;
		stats->files = st.files;
		for (i = 0; opts->verbose && i < st.notes.len; i++)
			fprintf(stderr, "%s\n", (const char *)st.notes.items[i]);
		if (opts->verbose)
			fprintf(stderr, "praktika: с прошлой сборки ничего не изменилось (проверено "
					"входных файлов и папок: %zu), сайт оставлен как был\n",
				pk_inputs_count(st.inputs));
	}
	pk_stamp_release(&st);
	return v == PK_STAMP_HOLDS;
}

/* Writes the stamp of a build that succeeded and reported diags (st has
 * the manifest's hash from write_site). */
static void save_stamp(pk_stamp *st, char *key, const pk_buf *inputs, const char *stamp,
		       const pk_diags *diags, const pk_site_stats *stats, const pk_cli_bank *cb)
{
	size_t i;

	st->key = key;
	st->pages = stats->pages;
	st->files = stats->files;
	for (i = 0; i < diags->len; i++)
		pk_diag_add(&st->diags, diags->items[i].severity, diags->items[i].path,
			    diags->items[i].line, diags->items[i].col, "%s", diags->items[i].msg);
	for (i = 0; i < cb->uncommitted.len; i++) {
		pk_buf line = PK_BUF_INIT;
		pk_buf_printf(&line, "praktika: не зафиксирован в git, дата — по времени изменения "
				     "файла: %s", (const char *)cb->uncommitted.items[i]);
		pk_vec_push(&st->notes, pk_buf_detach(&line));
	}
	if (st->manifest_hash && *stamp)
		pk_stamp_write_with(st, inputs->len ? inputs : NULL, stamp, NULL);
}

/* ---- the command ----------------------------------------------------- */

/* Ends the process with status rc once everything the build does outside
 * memory is done (the site and the state files are in place, temporary
 * files removed); what is left to free is only memory. */
static void end_now(int rc)
{
	fflush(stdout);
	fflush(stderr);
	_exit(rc);
}

static void print_summary(const char *out_dir, const pk_site_stats *stats,
			  const struct timespec *start)
{
	char pages[64], files[64];

	pk_cli_count(pages, sizeof(pages), stats->pages, "страница", "страницы", "страниц");
	pk_cli_count(files, sizeof(files), stats->files, "файл", "файла", "файлов");
	fprintf(stderr, "praktika: сайт собран в %s: %s, всего %s, %.2f с\n", out_dir, pages,
		files, seconds_since(start));
}

static pk_fmcache *open_cache(const pk_cli_opts *opts, const char *file)
{
	pk_buf program = PK_BUF_INIT;
	pk_fmcache *cache = NULL;

	if (!opts->no_cache && *file) {
		put_program(&program);
		cache = pk_fmcache_open(file, program.ptr, program.len);
	}
	pk_buf_release(&program);
	return cache;
}

/* Loads the bank and writes the site, recording every input into st;
 * the front matter comes from the last build's cache when it can. */
static int full_build(pk_stamp *st, pk_buf *stamp_inputs, pk_cli_opts *opts,
		      const char *out_dir, const state *s, lookahead *la,
		      pk_site_stats *stats, pk_diags *diags, pk_cli_bank *cb, timings *t)
{
	bool built = false;
	int rc;

	st->started_ns = wall_ns();
	opts->fm_cache = open_cache(opts, s->cache.ptr);
	pk_inputs_record(st->inputs);
	t->load = now();
	pk_cli_open(cb, opts, diags);
	t->load = now() - t->load;
	/* (the cache is committed by write_site once the site is built, even
	 * if putting the site in place then fails: its entries are checked
	 * by their keys when read, so they hold whatever the output) */
	if (cb->loaded && !diags->errors && !(opts->werror && diags->warnings))
		built = write_site(&cb->bank, out_dir, s, la, opts, st, stamp_inputs, stats, t,
				   diags) == PK_OK;
	t->cache = pk_fmcache_stats_of(opts->fm_cache);
	pk_fmcache_free(opts->fm_cache);
	opts->fm_cache = NULL;
	cb->bank.opts.fm_cache = NULL;
	pk_inputs_record(NULL);
	rc = pk_cli_report(diags, opts);
	return rc == 0 && !built ? 1 : rc;
}

int pk_cli_build(int argc, char **argv)
{
	pk_cli_opts opts;
	pk_diags diags = PK_DIAGS_INIT;
	pk_cli_bank cb;
	pk_buf out_dir = PK_BUF_INIT, key = PK_BUF_INIT, stamp_inputs = PK_BUF_INIT;
	state s = { PK_BUF_INIT, PK_BUF_INIT, PK_BUF_INIT, NULL };
	pk_site_stats stats = { 0, 0, 0, 0 };
	timings t = { 0, 0, 0, 0, 0, 0, 0 };
	pk_stamp st;
	lookahead la;
	struct timespec start;
	int rc = pk_cli_parse(&opts, argc, argv, true, usage);

	if (rc)
		return rc > 0 ? 0 : 2;
	opts.pack_meta = true;
	clock_gettime(CLOCK_MONOTONIC, &start);
	memset(&cb, 0, sizeof(cb));
	pk_stamp_init(&st);
	if (opts.out)
		pk_buf_puts(&out_dir, opts.out);
	else
		pk_path_join(&out_dir, opts.dir, "public");
	build_key(&key, &opts, out_dir.ptr);
	state_files(&s, out_dir.ptr);
	s.key = key.ptr;
	lookahead_start(&la, &opts, out_dir.ptr, &s);
	if (!opts.force &&
	    unchanged_since_last_build(&opts, s.stamp.ptr, key.ptr, &la, &diags, &stats)) {
		rc = pk_cli_report(&diags, &opts);
		if (!opts.quiet)
			print_summary(out_dir.ptr, &stats, &start);
		goto done;
	}
	rc = full_build(&st, &stamp_inputs, &opts, out_dir.ptr, &s, &la, &stats, &diags, &cb, &t);
	if (rc == 0) {
		save_stamp(&st, pk_buf_detach(&key), &stamp_inputs, s.stamp.ptr, &diags, &stats, &cb);
		if (!opts.quiet)
			print_summary(out_dir.ptr, &stats, &start);
		if (!opts.quiet && opts.verbose)
			print_timings(&t);
	} else {
		fprintf(stderr, "praktika: сайт не собран: исправьте ошибки выше\n");
	}
done:
	if (!LEAK_CHECKED)
		end_now(rc);
	lookahead_release(&la);
	pk_stamp_release(&st);
	pk_cli_close(&cb);
	pk_buf_release(&key);
	pk_buf_release(&stamp_inputs);
	pk_buf_release(&s.stamp);
	pk_buf_release(&s.cache);
	pk_buf_release(&s.pages);
	pk_buf_release(&out_dir);
	pk_diags_release(&diags);
	return rc;
}
