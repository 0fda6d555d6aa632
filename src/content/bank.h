/*
 * bank.h: a whole bank of practices loaded from a source: settings,
 * vocabularies, practices, mentors and free pages, checked one by one and
 * against each other (slugs, mentor references and consent, attachments).
 *
 * Loading never stops at the first problem: every problem of the bank is
 * reported in one run. A bank with errors is still loaded as far as
 * possible (for `praktika check`), but must not be built.
 */
#ifndef PK_CONTENT_BANK_H
#define PK_CONTENT_BANK_H

#include "content/config.h"
#include "content/mentor.h"
#include "content/page.h"
#include "content/practice.h"
#include "content/vocab.h"
#include "core/diag.h"
#include "core/strmap.h"
#include "core/vec.h"
#include "source/source.h"

enum {
	PK_BANK_DRAFTS = 1 << 0, /* include practices and pages marked draft */
	/* Pack each practice's front matter as soon as it is loaded
	 * (pk_practice_pack_meta): a build reads most of it only when it
	 * renders the page, and parsed front matter is most of a bank's
	 * weight. Commands that compare front matter leave it unset. */
	PK_BANK_PACK_META = 1 << 1,
};

/* Dates a file's history gives it (from git, or the file's mtime when it
 * is not committed). */
typedef struct {
	pk_date created;               /* year 0 when unknown */
	pk_date updated;
	const pk_vec *contributors;    /* char * names, or NULL */
	bool uncommitted;              /* changed since the last commit */
} pk_file_dates;

/* Fills *out for the bank file rel; returns false when it knows nothing. */
typedef bool (*pk_file_dates_fn)(pk_file_dates *out, const char *rel, void *payload);

typedef struct {
	unsigned flags;
	pk_date today;           /* dates after it are errors; 0 = the real today */
	pk_file_dates_fn dates;  /* NULL: no history; then 'date' is required */
	void *dates_payload;
	const char *base_dir;    /* relative repo paths of `sources:` start here */
	int threads;             /* worker threads for parsing (1: none) */
	pk_fmcache *fm_cache;    /* parsed front matter of the last build, or NULL */
} pk_bank_opts;

#define PK_BANK_OPTS_INIT { 0, { 0, 0, 0 }, NULL, NULL, NULL, 1, NULL }

/*
 * Where a bank's files come from. The bank itself is source 0 (name "");
 * site.yaml may add more (`sources:`): other banks, by repository path,
 * revision and sub-folder, whose practices and mentors join this bank.
 */
struct pk_bank_source {
	const char *name;           /* "" for the bank itself */
	pk_source *src;             /* source 0: borrowed; others: owned */
	const char *prefix;         /* added to every slug, or NULL */
	const pk_value *defaults;   /* fields for practices that lack them, or NULL */
	pk_file_dates_fn dates;     /* dates from history, or NULL */
	void *dates_payload;
	void *history;              /* owned history of a git source (bank.c) */
	/* A hash of all a practice's checks read besides its front matter
	 * (the vocabularies, the source's name, prefix and defaults): the
	 * context of its record (doc.h); 0 when there is none. */
	uint64_t record_context;
};

struct pk_bank {
	pk_source *src;          /* borrowed */
	pk_vec sources;          /* pk_bank_source *; [0] is the bank itself */
	pk_bank_opts opts;
	pk_config config;
	pk_vocab forms, kinds, regions;
	pk_vec practices;        /* pk_practice *, published ones only, any order */
	pk_vec mentors;          /* pk_mentor *, all profiles */
	pk_vec pages;            /* pk_page * */
	pk_page *home;           /* content/_index.md or NULL */
	pk_vec all_practices;    /* every pk_practice * loaded, drafts included */
	pk_strmap mentor_by_slug;
};

typedef enum { PK_BANK_PRACTICES, PK_BANK_MENTORS } pk_bank_kind;

/* loader.c: loads the .md files of kind under dir of origin into the bank,
 * parsing on opts.threads workers (internal to the content module). */
int pk_bank__load_files(pk_bank *bank, const pk_bank_source *origin, const char *dir,
			pk_bank_kind kind, pk_diags *diags);

/* Loads and checks the bank in src. Returns 0 when there are no errors. */
int pk_bank_load(pk_bank *out, pk_source *src, const pk_bank_opts *opts, pk_diags *diags);
void pk_bank_release(pk_bank *bank);
/* The mentor with this slug, or NULL. */
pk_mentor *pk_bank_mentor(const pk_bank *bank, const char *slug);

#endif
