/*
 * bank_cmd.h: what `build` and `check` share: their options, opening the
 * bank (from the working tree or a git revision, with its history), and
 * printing diagnostics with a summary line.
 */
#ifndef PK_CLI_BANK_CMD_H
#define PK_CLI_BANK_CMD_H

#include "content/bank.h"
#include "core/strmap.h"
#include "core/diag.h"
#include "core/vec.h"
#include "source/git.h"

typedef struct {
	const char *dir;       /* the bank folder, "." by default */
	const char *out;       /* -o: the output folder (build only) */
	const char *rev;       /* --rev: read the bank from this git revision */
	const char *repo;      /* --repo: the repository (default: dir) */
	int jobs;              /* -j: worker threads (0: one per core) */
	bool drafts;
	bool pack_meta;        /* PK_BANK_PACK_META (set by build) */
	bool werror;
	bool force;            /* --force: build even when nothing changed (build only) */
	bool no_cache;         /* --no-cache: no front-matter cache (build only) */
	pk_fmcache *fm_cache;  /* the front-matter cache (set by build), or NULL */
	bool quiet;
	bool verbose;
} pk_cli_opts;

/* A bank opened for a command, and what it was read from. */
typedef struct {
	pk_source *src;        /* the working tree or the revision's tree */
	pk_history *history;   /* the git history of the files, or NULL */
	pk_source *head;       /* HEAD's tree in working-tree mode, to spot
				  files changed since the last commit */
	char *root;            /* the working-tree folder (working-tree mode) */
	pk_vec uncommitted;    /* char *: files that differ from HEAD */
	pk_strmap changed;     /* bank paths under content/ git status lists */
	bool has_changed;      /* changed was filled (else files are compared) */
	pk_bank bank;
	bool loaded;
} pk_cli_bank;

/* Parses argv (after the command name). usage is printed on --help (to
 * stdout, returns 1) or on a bad option (to stderr, returns -1); 0 = go on. */
int pk_cli_parse(pk_cli_opts *out, int argc, char **argv, bool allow_output, const char *usage);
/* Opens and loads the bank that opts name. Returns 0 when it loaded
 * without errors; cb must be closed either way. */
int pk_cli_open(pk_cli_bank *cb, const pk_cli_opts *opts, pk_diags *diags);
void pk_cli_close(pk_cli_bank *cb);
/* Prints every diagnostic (sorted by place) and a Russian summary line to
 * stderr; returns the exit status: 1 on errors (or warnings with --werror). */
int pk_cli_report(pk_diags *diags, const pk_cli_opts *opts);
/* Worker threads: -j, else one per core. */
int pk_cli_jobs(const pk_cli_opts *opts);
/* "3 ошибки": n and the Russian word form for it (one, few, many). */
void pk_cli_count(char *out, size_t size, size_t n, const char *one, const char *few,
		  const char *many);

#endif
