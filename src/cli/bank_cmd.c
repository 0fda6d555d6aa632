#include "cli/bank_cmd.h"
#include "text/text.h"

#include <stdio.h>
#include <string.h>

static int bad_usage(const char *usage, const char *arg)
{
	fprintf(stderr, "praktika: error: unknown option '%s'\n%s", arg, usage);
	return -1;
}

int pk_cli_parse(pk_cli_opts *o, int argc, char **argv, bool allow_output, const char *usage)
{
	bool have_dir = false;
	int i;

	memset(o, 0, sizeof(*o));
	o->dir = ".";
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			fputs(usage, stdout);
			return 1;
		} else if (allow_output && (!strcmp(a, "-o") || !strcmp(a, "--output")) && i + 1 < argc) {
			o->out = argv[++i];
		} else if (!strcmp(a, "--drafts")) {
			o->drafts = true;
		} else if (!strcmp(a, "--werror")) {
			o->werror = true;
		} else if (!strcmp(a, "--quiet") || !strcmp(a, "-q")) {
			o->quiet = true;
		} else if (!strcmp(a, "--verbose") || !strcmp(a, "-v")) {
			o->verbose = true;
		} else if (a[0] == '-' || have_dir) {
			return bad_usage(usage, a);
		} else {
			o->dir = a;
			have_dir = true;
		}
	}
	return 0;
}

int pk_cli_load(pk_bank *bank, pk_source **src, const pk_cli_opts *opts, pk_diags *diags)
{
	pk_bank_opts bopts = PK_BANK_OPTS_INIT;
	int rc;

	if ((rc = pk_source_worktree_new(src, opts->dir, diags)) < 0) {
		memset(bank, 0, sizeof(*bank));
		*src = NULL;
		return rc;
	}
	if (opts->drafts)
		bopts.flags |= PK_BANK_DRAFTS;
	return pk_bank_load(bank, *src, &bopts, diags);
}

void pk_cli_count(char *out, size_t size, size_t n, const char *one, const char *few,
		  const char *many)
{
	int form = pk_text_plural("ru", (long)n);
	snprintf(out, size, "%zu %s", n, form == 0 ? one : form == 1 ? few : many);
}

int pk_cli_report(pk_diags *diags, const pk_cli_opts *opts)
{
	char errors[64], warnings[64];

	pk_diags_sort(diags);
	pk_diags_print(diags, stderr);
	if (diags->errors || diags->warnings) {
		pk_cli_count(errors, sizeof(errors), diags->errors, "ошибка", "ошибки", "ошибок");
		pk_cli_count(warnings, sizeof(warnings), diags->warnings, "предупреждение",
			    "предупреждения", "предупреждений");
		fprintf(stderr, "praktika: %s, %s\n", errors, warnings);
	}
	if (diags->errors || (opts->werror && diags->warnings))
		return 1;
	return 0;
}
