/*
 * output.h: writing a site safely and touching nothing that did not change.
 *
 * A build hands every file to pk_output_write while it renders; nothing
 * reaches the output folder until pk_output_commit, which runs only when
 * the whole site rendered without errors. A failed build leaves the old
 * site exactly as it was.
 *
 * - Into an output folder that does not exist yet, the files are written
 *   to a staging folder beside it that is renamed into place in one step:
 *   readers see no site, then the whole site.
 * - Into an existing site, the manifest (.praktika-output: every file's
 *   size and hash) tells which files changed: only those are written, to
 *   the staging folder, and then renamed over the old ones, each in one
 *   step; files the new site no longer has are removed. Unchanged files
 *   are not touched at all and keep their modification time (cheap rsync
 *   uploads and CDN caches). An interruption during the commit can leave
 *   some pages old and some new, never a half-written file.
 *
 * Safety: an existing output folder is used only if praktika made it (it
 * holds the manifest) or it is empty, so a wrong -o never destroys
 * someone's files; files praktika did not write are never removed.
 */
#ifndef PK_OUTPUT_OUTPUT_H
#define PK_OUTPUT_OUTPUT_H

#include "core/diag.h"
#include "core/strmap.h"

#include <pthread.h>
#include <stdint.h>

#define PK_OUTPUT_MARKER ".praktika-output"

/* Whether a file of the old site is still as praktika wrote it. */
typedef enum {
	PK_OUTPUT_UNCHECKED, /* not looked at yet: pk_output_keep looks */
	PK_OUTPUT_AS_WRITTEN,
	PK_OUTPUT_EDITED     /* edited, replaced or removed since */
} pk_output_state;

typedef struct {
	uint64_t size;
	uint64_t hash;
	int64_t mtime;   /* of the file in the output folder, to notice hand edits */
	pk_output_state state; /* of an old site's file */
} pk_output_entry;

/* The old site of an output folder as its manifest tells it, read ahead
 * of pk_output_begin (on another thread while the bank loads: nothing
 * here writes), with every file it lists looked at once, so that keeping
 * a page later costs no system call. */
typedef struct {
	pk_strmap files;        /* path → pk_output_entry * (owned) */
	uint64_t manifest_hash; /* as pk_output_manifest_hash gives it */
	bool intact;            /* as pk_output_intact tells */
} pk_output_prior;

#define PK_OUTPUT_PRIOR_INIT { PK_STRMAP_INIT, 0, false }

typedef struct {
	pthread_mutex_t lock; /* pk_output_write may be called from threads */
	char *dir;            /* the output folder */
	char *staging;        /* the staging folder being filled */
	/* The two folders held open, so that a page's file is found by its
	 * path inside them (the long path before it is not walked again for
	 * each of 20k files); -1 when not open. */
	int dir_fd, staging_fd;
	bool fresh;           /* the output folder did not exist */
	pk_strmap old;        /* path → pk_output_entry * of the previous build */
	pk_strmap written;    /* path → pk_output_entry * of this build */
	pk_strmap changed;    /* paths written to staging (to move at commit) */
	pk_strmap dirs;       /* folders known to exist in staging */
	size_t files_written, files_unchanged, files_removed;
	/* The hash of the manifest the commit left, as pk_output_manifest_hash
	 * gives it; 0 before, and valid only when the commit succeeded. */
	uint64_t manifest_hash;
} pk_output;

/* Checks that dir may be used, reads its manifest, creates the staging
 * folder. */
int pk_output_begin(pk_output *out, const char *dir, pk_diags *diags);
/* Reads the manifest of dir (nothing when it has none) and looks at each
 * file it lists: is it there with the size and modification time it had
 * when written? (A path that would lead out of dir counts as edited.) */
void pk_output_prior_read(pk_output_prior *prior, const char *dir);
/* pk_output_begin with the manifest prior read of the same dir (taken:
 * prior is left empty); a file edited after prior looked at it counts as
 * it was then. */
int pk_output_begin_with(pk_output *out, const char *dir, pk_output_prior *prior,
			 pk_diags *diags);
void pk_output_prior_release(pk_output_prior *prior);
/* Hands one file (rel_path like "practices/x/index.html") to the output.
 * Safe to call from several threads at once (diags must be per thread). */
int pk_output_write(pk_output *out, const char *rel_path, const void *data, size_t len,
		    pk_diags *diags);
/* Keeps the old site's file at rel_path as it is, as if the same bytes
 * were written again, without having them: for a page the build knows
 * is unchanged. False (and nothing recorded) when the old site has no
 * such file or it was edited since: then the caller writes it. Safe
 * from threads like pk_output_write; PK_ERROR in *rc when another page
 * already claimed rel_path. */
bool pk_output_keep(pk_output *out, const char *rel_path, pk_diags *diags, int *rc);
/* True when rel_path was already written in this build. */
bool pk_output_has(const pk_output *out, const char *rel_path);
/* Puts the new site in place (see above) and removes the staging folder. */
int pk_output_commit(pk_output *out, pk_diags *diags);
/* Removes the staging folder; the old site stays as it was. */
void pk_output_abort(pk_output *out);
void pk_output_release(pk_output *out);

/* A hash of the manifest of the output folder dir; 0 when it has none. */
uint64_t pk_output_manifest_hash(const char *dir);
/* True when dir holds a manifest and every file it lists is there with
 * the size and modification time it had when praktika wrote it: nobody
 * edited or removed a file of the site since. *hash is the manifest's
 * hash, as pk_output_manifest_hash gives it. */
bool pk_output_intact(const char *dir, uint64_t *hash);

#endif
