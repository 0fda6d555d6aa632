/* praktika build: check the bank, render the site, write it atomically. */
#include "cli/bank_cmd.h"
#include "cli/cli.h"
#include "core/buf.h"
#include "core/fs.h"
#include "output/output.h"
#include "site/site.h"

#include <stdio.h>
#include <time.h>
#include <unistd.h>

static const char usage[] =
	"Использование: praktika build [КАТАЛОГ] [-o ВЫХОД] [--rev РЕВИЗИЯ [--repo ПУТЬ]]\n"
	"                              [--drafts] [--werror] [--quiet] [--verbose]\n"
	"\n"
	"Собирает сайт банка практик из КАТАЛОГА (по умолчанию текущий) в папку ВЫХОД\n"
	"(по умолчанию КАТАЛОГ/public). Сначала выполняет все проверки praktika check;\n"
	"если есть ошибки, сайт не пишется. Новый сайт заменяет старый целиком и сразу;\n"
	"файлы, которые не изменились, сохраняют дату изменения.\n"
	"\n"
	"  -o, --output ВЫХОД  куда записать сайт\n"
	"  --rev РЕВИЗИЯ       собрать банк из ревизии git (ветка, тег, хеш, HEAD~3), а не\n"
	"                      из рабочей папки; работает и в «голом» репозитории\n"
	"  --repo ПУТЬ         репозиторий (по умолчанию КАТАЛОГ)\n"
	"  -j, --jobs N        потоков отрисовки (по умолчанию — по числу ядер); сайт от\n"
	"                      числа потоков не зависит\n"
	"  -v, --verbose       подробности: время этапов, файлы, не зафиксированные в git\n"
	"  --drafts            включить черновики (draft: true)\n"
	"  --werror            считать предупреждения ошибками\n"
	"  -q, --quiet         не печатать итог и строку хода сборки\n";

static double seconds_since(const struct timespec *start)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - start->tv_sec) + (double)(now.tv_nsec - start->tv_nsec) / 1e9;
}

typedef struct {
	double load, link, render, commit; /* seconds of each phase */
	size_t written, unchanged;
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

static int write_site(pk_bank *bank, const char *out_dir, const pk_cli_opts *opts,
		      pk_site_stats *stats, timings *t, pk_diags *diags)
{
	pk_site_opts sopts = PK_SITE_OPTS_INIT;
	pk_output out;
	double start = now(), mark;
	int rc;

	sopts.generator = "praktika " PK_VERSION;
	sopts.threads = pk_cli_jobs(opts);
	if (!opts->quiet && isatty(STDERR_FILENO))
		sopts.progress = show_progress;
	if ((rc = pk_output_begin(&out, out_dir, diags)) == PK_OK)
		rc = pk_site_build(&out, bank, &sopts, stats, diags);
	if (sopts.progress)
		fputs("\r\033[K", stderr);
	mark = now();
	t->link = stats->link_seconds;
	t->render = mark - start - t->link;
	if (rc == PK_OK)
		rc = pk_output_commit(&out, diags);
	else
		pk_output_abort(&out);
	t->commit = now() - mark;
	t->written = out.files_written;
	t->unchanged = out.files_unchanged;
	pk_output_release(&out);
	return rc;
}

static void print_timings(const timings *t)
{
	fprintf(stderr,
		"praktika: загрузка и разбор %.3f с, связывание %.3f с, отрисовка и запись %.3f с, "
		"подмена сайта %.3f с\n"
		"praktika: файлов записано: %zu, не изменилось (оставлены как были): %zu\n",
		t->load, t->link, t->render, t->commit, t->written, t->unchanged);
}

int pk_cli_build(int argc, char **argv)
{
	pk_cli_opts opts;
	pk_diags diags = PK_DIAGS_INIT;
	pk_cli_bank cb;
	pk_buf out_dir = PK_BUF_INIT;
	pk_site_stats stats = { 0, 0, 0 };
	timings t = { 0, 0, 0, 0, 0, 0 };
	struct timespec start;
	int rc = pk_cli_parse(&opts, argc, argv, true, usage);

	if (rc)
		return rc > 0 ? 0 : 2;
	clock_gettime(CLOCK_MONOTONIC, &start);
	t.load = now();
	if (opts.out)
		pk_buf_puts(&out_dir, opts.out);
	else
		pk_path_join(&out_dir, opts.dir, "public");
	pk_cli_open(&cb, &opts, &diags);
	t.load = now() - t.load;
	if (cb.loaded && !diags.errors && !(opts.werror && diags.warnings))
		write_site(&cb.bank, out_dir.ptr, &opts, &stats, &t, &diags);
	rc = pk_cli_report(&diags, &opts);
	if (rc == 0 && !opts.quiet) {
		char pages[64], files[64];
		pk_cli_count(pages, sizeof(pages), stats.pages, "страница", "страницы", "страниц");
		pk_cli_count(files, sizeof(files), stats.files, "файл", "файла", "файлов");
		fprintf(stderr, "praktika: сайт собран в %s: %s, всего %s, %.2f с\n", out_dir.ptr,
			pages, files, seconds_since(&start));
		if (opts.verbose)
			print_timings(&t);
	}
	else if (rc)
		fprintf(stderr, "praktika: сайт не собран: исправьте ошибки выше\n");
	pk_cli_close(&cb);
	pk_buf_release(&out_dir);
	pk_diags_release(&diags);
	return rc;
}
