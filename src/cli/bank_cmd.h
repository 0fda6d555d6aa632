/*
 * bank_cmd.h: what `build` and `check` share: their options, loading the
 * bank, and printing diagnostics with a summary line.
 */
#ifndef PK_CLI_BANK_CMD_H
#define PK_CLI_BANK_CMD_H

#include "content/bank.h"
#include "core/diag.h"

typedef struct {
	const char *dir;       /* the bank folder, "." by default */
	const char *out;       /* -o: the output folder (build only) */
	bool drafts;
	bool werror;
	bool quiet;
	bool verbose;
} pk_cli_opts;

/* Parses argv (after the command name). usage is printed on --help (to
 * stdout, returns 1) or on a bad option (to stderr, returns -1); 0 = go on. */
int pk_cli_parse(pk_cli_opts *out, int argc, char **argv, bool allow_output, const char *usage);
/* Loads the bank in opts->dir. */
int pk_cli_load(pk_bank *bank, pk_source **src, const pk_cli_opts *opts, pk_diags *diags);
/* Prints every diagnostic (sorted by place) and a Russian summary line to
 * stderr; returns the exit status: 1 on errors (or warnings with --werror). */
int pk_cli_report(pk_diags *diags, const pk_cli_opts *opts);

/* "3 ошибки": n and the Russian word form for it (one, few, many). */
void pk_cli_count(char *out, size_t size, size_t n, const char *one, const char *few,
		  const char *many);

#endif
