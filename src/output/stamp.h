/*
 * stamp.h: what the last successful build of an output folder was made
 * from, so that a rebuild with nothing changed can stop in milliseconds
 * and touch nothing.
 *
 * The stamp (a file in the user's cache folder, one per output folder:
 * see cli/build.c) holds the build's key
 * (the options, the program, the date: anything besides the files that
 * shapes the site), every input it read (source/inputs.h), the hash of
 * the manifest it left, and what it reported (diagnostics and the
 * summary), so that a skipped build says exactly what the full one said.
 * It is kept out of the output folder because those diagnostics name
 * people whose profiles are not published (no consent), and a site
 * folder gets uploaded whole. (Older versions kept it there as
 * PK_STAMP_LEGACY_FILE; a build removes that file.)
 *
 * A build trusts a stamp only when the key is the same, every input is
 * unchanged, and the output folder is intact (pk_output_intact) with the
 * manifest the stamp names. The stamp is removed before a build starts
 * changing the output folder and written after it finished, so an
 * interrupted build can never leave a stamp that vouches for a half-new
 * site. A missing, stale or damaged stamp just means a full build.
 */
#ifndef PK_OUTPUT_STAMP_H
#define PK_OUTPUT_STAMP_H

#include "core/buf.h"
#include "core/diag.h"
#include "core/vec.h"
#include "source/inputs.h"

#include <stdbool.h>
#include <stdint.h>

#define PK_STAMP_LEGACY_FILE ".praktika-build"

typedef struct {
	char *key;              /* owned; the options and environment */
	int64_t started_ns;     /* wall clock when the build started */
	uint64_t manifest_hash; /* of the manifest the build left */
	size_t pages, files;    /* its summary */
	pk_diags diags;         /* what it reported, in order */
	pk_vec notes;           /* char *, owned: lines it printed with --verbose */
	pk_inputs *inputs;      /* owned */
} pk_stamp;

/* An empty stamp owning a fresh pk_inputs. */
void pk_stamp_init(pk_stamp *st);
void pk_stamp_release(pk_stamp *st);
/* Reads the stamp in file into a pk_stamp_init'ed st; PK_ENOTFOUND when
 * there is none or it is damaged. */
int pk_stamp_read(pk_stamp *st, const char *file);
/* Writes st into file in one step (a temporary file renamed). */
int pk_stamp_write(const pk_stamp *st, const char *file, pk_diags *diags);
/* The same with st->inputs already encoded by pk_inputs_write (as a
 * thread can do while the site is put in place). */
int pk_stamp_write_with(const pk_stamp *st, const pk_buf *inputs, const char *file,
			pk_diags *diags);
/* Removes the stamp in file, if there is one. */
void pk_stamp_remove(const char *file);

typedef enum {
	PK_STAMP_HOLDS,    /* the site is exactly what a build would give */
	PK_STAMP_KEY,      /* other options, program or date */
	PK_STAMP_INPUT,    /* an input changed (*changed names it) */
	PK_STAMP_OUTPUT,   /* the output folder was changed by hand */
} pk_stamp_verdict;

/*
 * Whether the build st describes would give the output folder dir
 * exactly as it is. *changed is set to the first changed input's path
 * for PK_STAMP_INPUT (borrowed, valid while st is), else NULL.
 */
pk_stamp_verdict pk_stamp_check(const pk_stamp *st, const char *key, const char *dir,
				const char **changed);
/* pk_stamp_check in two steps, for a caller that looks at the output
 * folder meanwhile (pk_output_prior_read): the key and the inputs, then,
 * when they hold, the folder by what that look found. */
pk_stamp_verdict pk_stamp_check_inputs(const pk_stamp *st, const char *key, const char **changed);
pk_stamp_verdict pk_stamp_check_output(const pk_stamp *st, bool intact, uint64_t manifest_hash);

#endif
