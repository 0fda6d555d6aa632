/* praktika review: what a merge request changes in a bank, its problems,
 * and a preview site with the changes marked. */
#include "cli/bank_cmd.h"
#include "cli/cli.h"
#include "output/output.h"
#include "review/review.h"
#include "site/site.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
	"Использование: praktika review БАЗА [ВЕРСИЯ] [--repo ПУТЬ] [-o ВЫХОД]\n"
	"                               [--format text|markdown] [-j N]\n"
	"\n"
	"Сравнивает банк практик в ревизии git БАЗА (например origin/main) с ревизией\n"
	"ВЕРСИЯ (по умолчанию HEAD): какие практики, наставники и страницы добавлены,\n"
	"изменены, удалены и переименованы, какие поля изменились (было → стало), и\n"
	"какие ошибки есть в изменённых файлах или появились из-за изменений в других.\n"
	"\n"
	"  --repo ПУТЬ         репозиторий или папка банка в нём (по умолчанию текущая папка)\n"
	"  -o, --output ВЫХОД  собрать в ВЫХОД предпросмотр сайта ВЕРСИИ: изменения\n"
	"                      отмечены на страницах, их список — на странице changes/\n"
	"  --format ФОРМАТ     text — текст (по умолчанию), markdown — для комментария\n"
	"                      к запросу на слияние\n"
	"  -j, --jobs N        потоков для отрисовки предпросмотра (по умолчанию по числу\n"
	"                      ядер)\n"
	"\n"
	"Итог печатается в стандартный вывод. Код выхода: 0 — в изменениях нет ошибок,\n"
	"1 — есть (в изменённых файлах или вызванные изменениями), 2 — неверный вызов.\n";

typedef struct {
	const char *base, *head;
	const char *repo;
	const char *out;
	pk_review_format format;
	int jobs;
} review_opts;

static int bad_usage(const char *what, const char *arg)
{
	fprintf(stderr, "praktika: error: %s '%s'\n%s", what, arg, usage);
	return -1;
}

static int parse_format(review_opts *o, const char *name)
{
	if (!strcmp(name, "text"))
		o->format = PK_REVIEW_TEXT;
	else if (!strcmp(name, "markdown"))
		o->format = PK_REVIEW_MARKDOWN;
	else
		return bad_usage("unknown format", name);
	return 0;
}

static int positional(review_opts *o, const char *a)
{
	if (a[0] == '-')
		return bad_usage("unknown option", a);
	if (!o->base)
		o->base = a;
	else if (!o->head)
		o->head = a;
	else
		return bad_usage("unexpected argument", a);
	return 0;
}

/* 0: go on; 1: --help printed; -1: bad usage printed. */
static int parse(review_opts *o, int argc, char **argv)
{
	int i, rc = 0;

	memset(o, 0, sizeof(*o));
	o->repo = ".";
	for (i = 1; i < argc && rc == 0; i++) {
		const char *a = argv[i];
		bool has_value = i + 1 < argc;
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			fputs(usage, stdout);
			return 1;
		} else if (!strcmp(a, "--repo") && has_value) {
			o->repo = argv[++i];
		} else if ((!strcmp(a, "-o") || !strcmp(a, "--output")) && has_value) {
			o->out = argv[++i];
		} else if (!strcmp(a, "--format") && has_value) {
			rc = parse_format(o, argv[++i]);
		} else if ((!strcmp(a, "-j") || !strcmp(a, "--jobs")) && has_value) {
			if ((o->jobs = atoi(argv[++i])) < 1)
				rc = bad_usage("bad number of jobs", argv[i]);
		} else {
			rc = positional(o, a);
		}
	}
	if (rc == 0 && !o->base) {
		fprintf(stderr, "praktika: error: name the base revision (for example origin/main)\n%s",
			usage);
		return -1;
	}
	if (!o->head)
		o->head = "HEAD";
	return rc;
}

/* Opens the bank at rev; diags collects what loading it reports. */
static int open_side(pk_cli_bank *cb, const review_opts *o, const char *rev, pk_diags *diags)
{
	pk_cli_opts copts;

	memset(&copts, 0, sizeof(copts));
	copts.dir = o->repo;
	copts.repo = o->repo;
	copts.rev = rev;
	copts.jobs = o->jobs;
	pk_cli_open(cb, &copts, diags);
	if (cb->loaded)
		return PK_OK;
	pk_diags_sort(diags);
	pk_diags_print(diags, stderr);
	fprintf(stderr, "praktika: не удалось прочитать банк в ревизии %s\n", rev);
	return PK_ERROR;
}

static pk_review_side side_of(pk_cli_bank *cb, const pk_diags *diags, const char *label,
			      char commit[41])
{
	pk_review_side s;

	commit[0] = '\0';
	pk_source_git_commit_id(cb->src, commit);
	s.bank = &cb->bank;
	s.diags = diags;
	s.label = label;
	s.commit = commit[0] ? commit : NULL;
	return s;
}

static int jobs_of(const review_opts *o)
{
	pk_cli_opts copts;
	memset(&copts, 0, sizeof(copts));
	copts.jobs = o->jobs;
	return pk_cli_jobs(&copts);
}

static int write_preview(const review_opts *o, pk_cli_bank *head, const pk_review *r,
			 pk_diags *diags)
{
	pk_site_opts sopts = PK_SITE_OPTS_INIT;
	pk_value *annotations = pk_review_annotations(r);
	pk_value *pages = pk_review_extra_pages(r, "Изменения");
	pk_site_stats stats;
	pk_output out;
	int rc;

	sopts.generator = "praktika " PK_VERSION;
	sopts.annotations = annotations;
	sopts.extra_pages = pages;
	sopts.threads = jobs_of(o);
	memset(&stats, 0, sizeof(stats));
	if ((rc = pk_output_begin(&out, o->out, diags)) == PK_OK)
		rc = pk_site_build(&out, &head->bank, &sopts, &stats, diags);
	if (rc == PK_OK)
		rc = pk_output_commit(&out, diags);
	else
		pk_output_abort(&out);
	pk_output_release(&out);
	pk_value_free(annotations);
	pk_value_free(pages);
	return rc;
}

/* The preview is built only from a bank without errors, as `build` does.
 * Returns 1 when it was asked for and failed, else 0. */
static int preview(const review_opts *o, pk_cli_bank *head, const pk_diags *head_diags,
		   const pk_review *r)
{
	pk_diags diags = PK_DIAGS_INIT;
	int status = 0;

	if (!o->out)
		return 0;
	if (head_diags->errors) {
		fprintf(stderr, "praktika: предпросмотр не собран: в банке ревизии %s есть ошибки\n",
			o->head);
		return 0;
	}
	if (write_preview(o, head, r, &diags) == PK_OK) {
		fprintf(stderr, "praktika: предпросмотр собран в %s, список изменений: %s/changes/\n",
			o->out, o->out);
	} else {
		fprintf(stderr, "praktika: предпросмотр не собран\n");
		status = 1;
	}
	pk_diags_sort(&diags);
	pk_diags_print(&diags, stderr);
	pk_diags_release(&diags);
	return status;
}

static int run(const review_opts *o, pk_cli_bank *base, pk_cli_bank *head)
{
	pk_diags base_diags = PK_DIAGS_INIT, head_diags = PK_DIAGS_INIT, diags = PK_DIAGS_INIT;
	pk_review *r = NULL;
	pk_review_side bs, hs;
	char base_id[41], head_id[41];
	pk_buf report = PK_BUF_INIT;
	int status = 1;

	if (open_side(base, o, o->base, &base_diags) < 0 || open_side(head, o, o->head, &head_diags) < 0)
		goto done;
	bs = side_of(base, &base_diags, o->base, base_id);
	hs = side_of(head, &head_diags, o->head, head_id);
	if (pk_review_compare(&r, &bs, &hs, &diags) < 0) {
		pk_diags_print(&diags, stderr);
		goto done;
	}
	pk_review_report(&report, r, o->format);
	fwrite(report.ptr, 1, report.len, stdout);
	fflush(stdout); /* before the preview's messages on stderr */
	status = pk_review_has_errors(r) ? 1 : 0;
	if (preview(o, head, &head_diags, r))
		status = 1;
done:
	pk_review_free(r);
	pk_buf_release(&report);
	pk_diags_release(&base_diags);
	pk_diags_release(&head_diags);
	pk_diags_release(&diags);
	return status;
}

int pk_cli_review(int argc, char **argv)
{
	review_opts o;
	pk_cli_bank base, head;
	int rc = parse(&o, argc, argv);

	if (rc)
		return rc > 0 ? 0 : 2;
	memset(&base, 0, sizeof(base));
	memset(&head, 0, sizeof(head));
	rc = run(&o, &base, &head);
	pk_cli_close(&base);
	pk_cli_close(&head);
	return rc;
}
