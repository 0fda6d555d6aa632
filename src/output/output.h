/*
 * output.h: writing a site atomically.
 *
 * A build writes every file into a staging folder next to the output
 * folder, then swaps the two in one rename (renameat2 RENAME_EXCHANGE) and
 * removes the old tree. Readers of the output folder see either the whole
 * old site or the whole new one, never a mix; a failed build leaves the old
 * site untouched. A file whose bytes did not change is hard-linked from
 * the old site instead of written, so it keeps its modification time
 * (cheap uploads and CDN caches).
 *
 * Safety: an existing output folder is replaced only if praktika made it
 * (it holds the marker file .praktika-output) or it is empty, so a wrong
 * -o never destroys someone's files.
 */
#ifndef PK_OUTPUT_OUTPUT_H
#define PK_OUTPUT_OUTPUT_H

#include "core/diag.h"
#include "core/strmap.h"

#define PK_OUTPUT_MARKER ".praktika-output"

typedef struct {
	char *dir;        /* the output folder */
	char *staging;    /* the staging folder being filled */
	pk_strmap written;/* paths written so far (to refuse duplicates) */
	size_t files_written, files_unchanged;
} pk_output;

/* Checks that dir may be replaced and creates the staging folder. */
int pk_output_begin(pk_output *out, const char *dir, pk_diags *diags);
/* Writes one file (rel_path like "practices/x/index.html") into staging. */
int pk_output_write(pk_output *out, const char *rel_path, const void *data, size_t len,
		    pk_diags *diags);
/* True when rel_path was already written in this build. */
bool pk_output_has(const pk_output *out, const char *rel_path);
/* Swaps the staging folder in and removes the old site. */
int pk_output_commit(pk_output *out, pk_diags *diags);
/* Removes the staging folder; the old site stays as it was. */
void pk_output_abort(pk_output *out);
void pk_output_release(pk_output *out);

#endif
