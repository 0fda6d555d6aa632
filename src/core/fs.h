/*
 * fs.h: small file-system helpers. Every function reports failure through
 * its return code and, where a pk_diags is given, a diagnostic naming the
 * path and the system's reason.
 */
#ifndef PK_CORE_FS_H
#define PK_CORE_FS_H

#include "core/buf.h"
#include "core/diag.h"

#include <stdbool.h>

/* Reads the whole file into out (appending). PK_ENOTFOUND if missing. */
int pk_fs_read(pk_buf *out, const char *path, pk_diags *diags);
/* The same for a regular file, with its stat taken before its bytes are
 * read (on the open file: one path lookup, not two); PK_ENOTFOUND, with
 * nothing read, when path is missing or not a regular file. */
struct stat;
int pk_fs_read_file(pk_buf *out, const char *path, struct stat *st, pk_diags *diags);
/* The same for path inside the folder held open as dir_fd (AT_FDCWD:
 * the current one), shown as shown in messages: a path looked up from a
 * folder already open walks fewer folders. */
int pk_fs_read_file_at(pk_buf *out, int dir_fd, const char *path, const char *shown,
		       struct stat *st, pk_diags *diags);
/* Writes data to path through a temporary file and rename, so readers
 * never see a half-written file. */
int pk_fs_write_atomic(const char *path, const void *data, size_t len, pk_diags *diags);
/* mkdir -p. */
int pk_fs_mkdirs(const char *path, pk_diags *diags);
/* The same for path relative to the folder dirfd (AT_FDCWD: the current
 * one); messages name path as given. */
int pk_fs_mkdirs_at(int dirfd, const char *path, pk_diags *diags);
/* rm -rf; a missing path is not an error. */
int pk_fs_remove_tree(const char *path, pk_diags *diags);
bool pk_fs_is_dir(const char *path);
bool pk_fs_is_file(const char *path);
/* Appends "a/b" to out, with exactly one slash between. */
void pk_path_join(pk_buf *out, const char *a, const char *b);
/* The last component of path (borrowed pointer into path). */
const char *pk_path_basename(const char *path);

/* Called for each regular file under a directory, with its path relative
 * to the walk's root. Return non-zero to stop the walk with that code. */
typedef int (*pk_fs_walk_cb)(const char *rel_path, void *payload);
/* Called with the full path of each folder the walk is about to read
 * (root first); may be NULL. */
typedef void (*pk_fs_walk_dir_cb)(const char *path, void *payload);
/* Walks root recursively in sorted order, skipping names that start with
 * a dot and not following symbolic links out of root. */
int pk_fs_walk(const char *root, pk_fs_walk_cb cb, pk_fs_walk_dir_cb on_dir, void *payload,
	       pk_diags *diags);

#endif
