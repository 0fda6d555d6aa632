/*
 * source.h: where a bank's files come from. The rest of praktika reads
 * files only through a pk_source, so a bank can be read from a folder on
 * disk (the working tree) or, later, from a git revision, with the same
 * results.
 *
 * Paths are relative to the bank's root, '/'-separated, never starting
 * with '/' and never containing '..' components.
 */
#ifndef PK_SOURCE_SOURCE_H
#define PK_SOURCE_SOURCE_H

#include "core/buf.h"
#include "core/diag.h"
#include "core/vec.h"

#include <sys/stat.h>

typedef struct pk_source pk_source;

typedef struct {
	const char *name;
	/* Appends the file's bytes to out; PK_ENOTFOUND if there is none. */
	int (*read)(pk_source *src, pk_buf *out, const char *path, pk_diags *diags);
	/* Appends to out (as xstrdup'ed char *) every regular file under dir,
	 * recursively, sorted by path; a missing dir adds nothing. */
	int (*list)(pk_source *src, pk_vec *out, const char *dir, pk_diags *diags);
	void (*free)(pk_source *src);
	/* Reads and listings of this kind of source are not safe from
	 * several threads at once (libgit2 objects): they take one lock
	 * shared by every such source. */
	bool needs_lock;
	/* Optional (NULL: the source cannot tell): the file's identity and
	 * times (st_dev, st_ino, st_size, st_mtim, st_ctim) without reading
	 * it, noted as a read would be (source/inputs.h). PK_ENOTFOUND if
	 * it is not a regular file. */
	int (*stat)(pk_source *src, const char *path, struct stat *st);
	/* Optional: read, and the stat that the stat op would give, taken
	 * as the file is opened, before its bytes are read (so an edit
	 * during the build is seen next time). One open instead of a stat
	 * and an open, for a file that will be read anyway. */
	int (*read_stat)(pk_source *src, pk_buf *out, const char *path, struct stat *st,
			 pk_diags *diags);
} pk_source_ops;

struct pk_source {
	const pk_source_ops *ops;
	char *display_root; /* prefix for paths in diagnostics ("" for the cwd) */
};

/* A source reading the folder root on disk. */
int pk_source_worktree_new(pk_source **out, const char *root, pk_diags *diags);
void pk_source_free(pk_source *src);
/* A source whose root is folder (a safe relative path) of inner; takes
 * ownership of inner. Diagnostics show inner's root plus folder. */
int pk_source_subdir_new(pk_source **out, pk_source *inner, const char *folder);
/* Reading and listing are safe from any thread: a source whose ops say
 * needs_lock takes one lock shared by all such sources (they may share
 * libgit2 objects); a folder on disk needs none. */
int pk_source_read(pk_source *src, pk_buf *out, const char *path, pk_diags *diags);
/* See pk_source_ops.stat; PK_ENOTSUP for a source that cannot tell (a
 * git revision). Safe from any thread. */
int pk_source_stat(pk_source *src, const char *path, struct stat *st);
/* See pk_source_ops.read_stat; PK_ENOTSUP (nothing read) for a source
 * without it. Safe from any thread. */
int pk_source_read_stat(pk_source *src, pk_buf *out, const char *path, struct stat *st,
			pk_diags *diags);
/* True when pk_source_stat can tell (the source has the op). */
bool pk_source_can_stat(const pk_source *src);
/* Fills out with owned paths (free each with free()); see pk_source_ops. */
int pk_source_list(pk_source *src, pk_vec *out, const char *dir, pk_diags *diags);
/* Appends the path as shown to people: display_root + path. */
void pk_source_display_path(pk_buf *out, const pk_source *src, const char *path);
/* True if path is a safe relative path: no leading '/', no '.' or '..'
 * components, no empty components, no backslashes or NUL. */
bool pk_source_path_is_safe(const char *path);

#endif
