#include "core/fs.h"
#include "core/vec.h"
#include "core/xalloc.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int sys_error(pk_diags *diags, const char *path, const char *what)
{
	int err = errno;
	if (diags)
		pk_diag_add(diags, PK_DIAG_ERROR, path, 0, 0, "%s: %s", what, strerror(err));
	return err == ENOENT ? PK_ENOTFOUND : PK_EIO;
}

/* Reads fd into out, straight into the buffer. size: the size fstat
 * gave a regular file, or 0 for one whose size fstat does not tell (a
 * pipe, /proc): then to its end. A file is read up to the size its stat
 * gave, with no second read to see the end: what was read is what the
 * stat describes, and a file that grows meanwhile has new times that the
 * next build sees (source/inputs.h). */
static int read_all(pk_buf *out, int fd, size_t size, const char *path, pk_diags *diags)
{
	pk_buf_grow(out, size ? size + 1 : 65536);
	for (;;) {
		ssize_t n;
		if (out->cap - out->len - 1 == 0)
			pk_buf_grow(out, 65536);
		n = read(fd, out->ptr + out->len, out->cap - out->len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return sys_error(diags, path, "cannot read");
		if (n == 0)
			break;
		out->len += (size_t)n;
		if (size && out->len >= size)
			break;
	}
	out->ptr[out->len] = '\0';
	return PK_OK;
}

int pk_fs_read(pk_buf *out, const char *path, pk_diags *diags)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC), rc;

	if (fd < 0)
		return sys_error(diags, path, "cannot open");
	rc = read_all(out, fd, fstat(fd, &st) == 0 && S_ISREG(st.st_mode) ? (size_t)st.st_size : 0,
		      path, diags);
	close(fd);
	return rc;
}

int pk_fs_read_file(pk_buf *out, const char *path, struct stat *st, pk_diags *diags)
{
	return pk_fs_read_file_at(out, AT_FDCWD, path, path, st, diags);
}

int pk_fs_read_file_at(pk_buf *out, int dir_fd, const char *path, const char *shown,
		       struct stat *st, pk_diags *diags)
{
	/* O_NONBLOCK: opening a FIFO must not wait; reads of a regular file
	 * are not affected by it */
	int fd = openat(dir_fd, path, O_RDONLY | O_CLOEXEC | O_NONBLOCK), rc;

	if (fd < 0) {
		int err = errno;
		if (err == ENOENT || err == ENOTDIR || err == ELOOP ||
		    fstatat(dir_fd, path, st, 0) < 0 || !S_ISREG(st->st_mode))
			return PK_ENOTFOUND;
		errno = err;
		return sys_error(diags, shown, "cannot open");
	}
	if (fstat(fd, st) < 0 || !S_ISREG(st->st_mode)) {
		close(fd);
		return PK_ENOTFOUND;
	}
	rc = read_all(out, fd, (size_t)st->st_size, shown, diags);
	close(fd);
	return rc;
}

static int write_all(int fd, const char *p, size_t len)
{
	while (len) {
		ssize_t n = write(fd, p, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int pk_fs_write_atomic(const char *path, const void *data, size_t len, pk_diags *diags)
{
	pk_buf tmp = PK_BUF_INIT;
	int fd, rc = PK_OK;

	pk_buf_printf(&tmp, "%s.tmp-XXXXXX", path);
	fd = mkstemp(tmp.ptr);
	if (fd < 0) {
		rc = sys_error(diags, path, "cannot create");
		goto done;
	}
	if (write_all(fd, data, len) < 0 || fchmod(fd, 0644) < 0) {
		rc = sys_error(diags, path, "cannot write");
		close(fd);
		unlink(tmp.ptr);
		goto done;
	}
	if (close(fd) < 0 || rename(tmp.ptr, path) < 0) {
		rc = sys_error(diags, path, "cannot write");
		unlink(tmp.ptr);
	}
done:
	pk_buf_release(&tmp);
	return rc;
}

/* mkdir -p, trying the whole path first: creating a folder in one that
 * exists is one system call instead of one per component. */
int pk_fs_mkdirs_at(int dirfd, const char *path, pk_diags *diags)
{
	char *copy, *slash;
	int rc;

	if (!*path || mkdirat(dirfd, path, 0755) == 0 || errno == EEXIST)
		return PK_OK;
	if (errno != ENOENT)
		return sys_error(diags, path, "cannot create directory");
	copy = pk_xstrdup(path);
	slash = strrchr(copy, '/');
	while (slash && slash > copy && slash[-1] == '/')
		slash--;
	if (!slash || slash == copy) {
		free(copy);
		return sys_error(diags, path, "cannot create directory");
	}
	*slash = '\0';
	rc = pk_fs_mkdirs_at(dirfd, copy, diags); /* depth is bounded by the path's length */
	free(copy);
	if (rc == PK_OK && mkdirat(dirfd, path, 0755) < 0 && errno != EEXIST)
		rc = sys_error(diags, path, "cannot create directory");
	return rc;
}

int pk_fs_mkdirs(const char *path, pk_diags *diags)
{
	return pk_fs_mkdirs_at(AT_FDCWD, path, diags);
}

int pk_fs_remove_tree(const char *path, pk_diags *diags)
{
	struct stat st;
	DIR *dir;
	struct dirent *ent;
	int rc = PK_OK;

	if (lstat(path, &st) < 0)
		return errno == ENOENT ? PK_OK : sys_error(diags, path, "cannot remove");
	if (!S_ISDIR(st.st_mode))
		return unlink(path) < 0 ? sys_error(diags, path, "cannot remove") : PK_OK;
	if (!(dir = opendir(path)))
		return sys_error(diags, path, "cannot open directory");
	while (rc == PK_OK && (ent = readdir(dir))) {
		pk_buf child = PK_BUF_INIT;
		if (!strcmp(ent->d_name, ".") || !strcmp(ent->d_name, ".."))
			continue;
		pk_path_join(&child, path, ent->d_name);
		rc = pk_fs_remove_tree(child.ptr, diags);
		pk_buf_release(&child);
	}
	closedir(dir);
	if (rc == PK_OK && rmdir(path) < 0)
		rc = sys_error(diags, path, "cannot remove directory");
	return rc;
}

bool pk_fs_is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

bool pk_fs_is_file(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

void pk_path_join(pk_buf *out, const char *a, const char *b)
{
	size_t alen = strlen(a);
	pk_buf_put(out, a, alen);
	while (*b == '/')
		b++;
	if (alen && a[alen - 1] != '/' && *b)
		pk_buf_putc(out, '/');
	pk_buf_puts(out, b);
}

const char *pk_path_basename(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

static int compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

typedef struct {
	const char *root;
	char *root_real;
	pk_fs_walk_cb cb;
	pk_fs_walk_dir_cb on_dir;
	void *payload;
	pk_diags *diags;
	int depth;
} walk_state;

/* A symbolic link is followed only when its target stays inside root. */
static bool link_inside_root(walk_state *w, const char *path)
{
	char *real = realpath(path, NULL);
	size_t n = strlen(w->root_real);
	bool ok = real && strncmp(real, w->root_real, n) == 0 &&
		  (real[n] == '/' || real[n] == '\0');
	free(real);
	return ok;
}

static int walk_dir(walk_state *w, const char *rel);

/* A listed name with its d_type in the byte after its terminating NUL,
 * so that names still sort as strings. */
static char *listed_name(const struct dirent *ent)
{
	size_t n = strlen(ent->d_name);
	char *name = pk_xmalloc(n + 2);
	memcpy(name, ent->d_name, n + 1);
	name[n + 1] = (char)ent->d_type;
	return name;
}

static unsigned char listed_type(const char *name)
{
	return (unsigned char)name[strlen(name) + 1];
}

/* type: the entry's d_type from its folder's listing. A regular file or
 * a folder is known from it alone; a link, or a file system that does
 * not tell (DT_UNKNOWN), needs lstat. */
static int walk_entry(walk_state *w, const char *rel, unsigned char type)
{
	pk_buf full = PK_BUF_INIT;
	struct stat st;
	int rc = PK_OK;

	if (type == DT_REG)
		return w->cb(rel, w->payload);
	if (type == DT_DIR)
		return walk_dir(w, rel);
	pk_path_join(&full, w->root, rel);
	if (lstat(full.ptr, &st) < 0)
		goto done;
	if (S_ISLNK(st.st_mode)) {
		if (!link_inside_root(w, full.ptr) || stat(full.ptr, &st) < 0) {
			pk_diag_add(w->diags, PK_DIAG_WARNING, full.ptr, 0, 0,
				    "symbolic link points outside the bank, skipped");
			goto done;
		}
	}
	if (S_ISDIR(st.st_mode))
		rc = walk_dir(w, rel);
	else if (S_ISREG(st.st_mode))
		rc = w->cb(rel, w->payload);
done:
	pk_buf_release(&full);
	return rc;
}

static int walk_dir(walk_state *w, const char *rel)
{
	pk_buf full = PK_BUF_INIT;
	pk_vec names = PK_VEC_INIT;
	DIR *dir;
	struct dirent *ent;
	size_t i;
	int rc = PK_OK;

	if (++w->depth > 64) {
		rc = pk_diag_add(w->diags, PK_DIAG_ERROR, rel, 0, 0, "directories nested too deep");
		goto done;
	}
	pk_path_join(&full, w->root, rel);
	if (w->on_dir)
		w->on_dir(full.ptr, w->payload);
	if (!(dir = opendir(full.ptr))) {
		rc = sys_error(w->diags, full.ptr, "cannot open directory");
		goto done;
	}
	while ((ent = readdir(dir)))
		if (ent->d_name[0] != '.')
			pk_vec_push(&names, listed_name(ent));
	closedir(dir);
	pk_vec_sort(&names, compare_names);
	for (i = 0; i < names.len && rc == PK_OK; i++) {
		pk_buf child = PK_BUF_INIT;
		if (*rel)
			pk_path_join(&child, rel, names.items[i]);
		else
			pk_buf_puts(&child, names.items[i]);
		rc = walk_entry(w, child.ptr, listed_type(names.items[i]));
		pk_buf_release(&child);
	}
done:
	for (i = 0; i < names.len; i++)
		free(names.items[i]);
	pk_vec_release(&names);
	pk_buf_release(&full);
	w->depth--;
	return rc;
}

int pk_fs_walk(const char *root, pk_fs_walk_cb cb, pk_fs_walk_dir_cb on_dir, void *payload,
	       pk_diags *diags)
{
	walk_state w = { root, NULL, cb, on_dir, payload, diags, 0 };
	int rc;

	if (!(w.root_real = realpath(root, NULL)))
		return sys_error(diags, root, "cannot open directory");
	rc = walk_dir(&w, "");
	free(w.root_real);
	return rc;
}
