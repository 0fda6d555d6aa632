/* The working-tree source: a bank read from a folder on disk. */
#include "source/source.h"
#include "source/inputs.h"
#include "core/fs.h"
#include "core/xalloc.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct {
	pk_source base;
	char *root;
	/* root held open, so that a file is looked up from there, not from
	 * the top of the disk again for each of 12k files; -1 when it could
	 * not be opened (then by its whole path) */
	int root_fd;
} worktree;

/* Where a file's path inside the bank starts from: the bank's folder
 * held open, else the current folder (for the whole path). */
static int lookup_base(const pk_source *src, const pk_buf *full, const char *path,
		       const char **from)
{
	const worktree *wt = (const worktree *)src;
	*from = wt->root_fd >= 0 ? path : full->ptr;
	return wt->root_fd >= 0 ? wt->root_fd : AT_FDCWD;
}

/* The file's path on disk; false for a path that is not safe. */
static bool disk_path(pk_buf *full, const pk_source *src, const char *path)
{
	if (!pk_source_path_is_safe(path))
		return false;
	pk_path_join(full, ((const worktree *)src)->root, path);
	return true;
}

static int worktree_read_stat(pk_source *src, pk_buf *out, const char *path, struct stat *st,
			      pk_diags *diags)
{
	pk_buf full = PK_BUF_INIT;
	const char *from;
	bool is_file;
	int dir_fd, rc;

	if (!disk_path(&full, src, path))
		return PK_ENOTFOUND;
	/* stat before reading: an edit during the build shows next time */
	dir_fd = lookup_base(src, &full, path, &from);
	rc = pk_fs_read_file_at(out, dir_fd, from, full.ptr, st, diags);
	is_file = rc != PK_ENOTFOUND;
	pk_inputs__file(full.ptr, is_file ? st : NULL);
	pk_buf_release(&full);
	return rc;
}

static int worktree_read(pk_source *src, pk_buf *out, const char *path, pk_diags *diags)
{
	struct stat st;
	return worktree_read_stat(src, out, path, &st, diags);
}

static int worktree_stat(pk_source *src, const char *path, struct stat *st)
{
	pk_buf full = PK_BUF_INIT;
	const char *from;
	bool is_file;
	int dir_fd;

	if (!disk_path(&full, src, path))
		return PK_ENOTFOUND;
	dir_fd = lookup_base(src, &full, path, &from);
	is_file = fstatat(dir_fd, from, st, 0) == 0 && S_ISREG(st->st_mode);
	pk_inputs__file(full.ptr, is_file ? st : NULL);
	pk_buf_release(&full);
	return is_file ? PK_OK : PK_ENOTFOUND;
}

typedef struct {
	pk_vec *out;
	const char *dir;
} list_state;

static int add_listed(const char *rel, void *payload)
{
	list_state *st = payload;
	pk_buf path = PK_BUF_INIT;
	if (*st->dir)
		pk_path_join(&path, st->dir, rel);
	else
		pk_buf_puts(&path, rel);
	pk_vec_push(st->out, pk_buf_detach(&path));
	return 0;
}

/* Notes each folder of a listing before it is read (see inputs.h). */
static void note_dir(const char *path, void *payload)
{
	struct stat st;
	(void)payload;
	pk_inputs__dir(path, stat(path, &st) == 0 && S_ISDIR(st.st_mode) ? &st : NULL);
}

static int worktree_list(pk_source *src, pk_vec *out, const char *dir, pk_diags *diags)
{
	worktree *wt = (worktree *)src;
	pk_buf full = PK_BUF_INIT;
	list_state st = { out, dir };
	int rc = PK_OK;

	if (*dir && !pk_source_path_is_safe(dir))
		return PK_OK;
	pk_path_join(&full, wt->root, dir);
	if (pk_fs_is_dir(full.ptr))
		rc = pk_fs_walk(full.ptr, add_listed, note_dir, &st, diags);
	else
		pk_inputs__dir(full.ptr, NULL);
	pk_buf_release(&full);
	return rc;
}

static void worktree_free(pk_source *src)
{
	worktree *wt = (worktree *)src;
	if (wt->root_fd >= 0)
		close(wt->root_fd);
	free(wt->root);
	free(wt);
}

static const pk_source_ops worktree_ops = {
	"worktree", worktree_read, worktree_list, worktree_free, false, worktree_stat,
	worktree_read_stat,
};

int pk_source_worktree_new(pk_source **out, const char *root, pk_diags *diags)
{
	worktree *wt;
	pk_buf display = PK_BUF_INIT;

	if (!pk_fs_is_dir(root))
		return pk_diag_add(diags, PK_DIAG_ERROR, root, 0, 0, "bank folder not found");
	wt = pk_xcalloc(1, sizeof(*wt));
	wt->base.ops = &worktree_ops;
	wt->root = pk_xstrdup(root);
	wt->root_fd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (strcmp(root, ".") != 0)
		pk_path_join(&display, root, "");
	if (display.len && display.ptr[display.len - 1] != '/')
		pk_buf_putc(&display, '/');
	wt->base.display_root = pk_buf_detach(&display);
	*out = &wt->base;
	return PK_OK;
}
