/*
 * inputs.h: everything a build read, so that the next build can tell in
 * milliseconds that nothing it depends on has changed.
 *
 * While a recorder is active, every pk_source notes what it touches:
 * - a working-tree file read: its path, size, inode and change times,
 *   taken before the bytes are read (an edit during the build then shows
 *   as a change next time), or that the file was looked for and missing;
 * - a working-tree folder listed: each folder walked, by its times (a
 *   file added or removed changes its folder's times), or that it was
 *   missing;
 * - a git revision opened: the repository, the revision as written
 *   (a branch, "HEAD") and the commit it named, or that it named none.
 * Paths are as the sources used them (relative to the current folder or
 * absolute), so a check must run from the same folder; the build stamp
 * keeps the folder in its key.
 *
 * "Racily clean" inputs are never trusted (as in git): a file whose times
 * fall within the build that recorded it may have changed again within
 * the file system's clock tick, so it counts as changed.
 *
 * The recorder is process-wide (like libgit2's settings): the sources are
 * created all over the program, and threading a pointer to each of them
 * would change every constructor for one bookkeeping concern. Noting is
 * thread-safe; pk_inputs_record itself must be called with no build
 * running.
 */
#ifndef PK_SOURCE_INPUTS_H
#define PK_SOURCE_INPUTS_H

#include "core/buf.h"
#include "core/record.h"

#include <stdint.h>
#include <sys/stat.h>

typedef struct pk_inputs pk_inputs;

/* An empty record; free with pk_inputs_free. */
pk_inputs *pk_inputs_new(void);
void pk_inputs_free(pk_inputs *in);
/* From now on every source notes its reads into in; NULL stops. in is
 * borrowed and must outlive the recording. */
void pk_inputs_record(pk_inputs *in);
/* How many inputs were noted. */
size_t pk_inputs_count(const pk_inputs *in);

/* For sources: notes a file (st NULL: it was missing), a folder listed
 * (st NULL: missing), a revision (oid NULL: it named no commit). Nothing
 * happens while no recorder is active. */
void pk_inputs__file(const char *path, const struct stat *st);
void pk_inputs__dir(const char *path, const struct stat *st);
void pk_inputs__rev(const char *repo, const char *rev, const char *oid);

/* Appends the record (see core/record.h) to out, one input a line, the
 * most recently changed first (the order pk_inputs_changed checks in). */
void pk_inputs_write(const pk_inputs *in, pk_buf *out);
/* Takes the record written by pk_inputs_write, the last section of r,
 * into in (on a malformed section header r->ok turns false). Its inputs
 * are parsed as pk_inputs_changed comes to them: a check that stops at
 * the first never parses the rest. (Such an in is not written again.) */
void pk_inputs_read(pk_inputs *in, pk_record_reader *r);

/*
 * Looks at every input again, in the record's order. Returns NULL when
 * each is as recorded and none was changed at or after built_ns (the
 * wall-clock time, in nanoseconds, the recording build started);
 * otherwise the path of the first changed input (borrowed from in), or
 * PK_INPUTS_DAMAGED for a record that turns out malformed.
 */
const char *pk_inputs_changed(pk_inputs *in, int64_t built_ns);
extern const char PK_INPUTS_DAMAGED[];

#endif
