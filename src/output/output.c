#include "output/output.h"
#include "core/buf.h"
#include "core/fs.h"
#include "core/xalloc.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static bool dir_is_empty(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *e;
	bool empty = true;

	if (!d)
		return true;
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
			empty = false;
			break;
		}
	closedir(d);
	return empty;
}

static int check_replaceable(const char *dir, pk_diags *diags)
{
	pk_buf marker = PK_BUF_INIT;
	struct stat st;
	int rc = PK_OK;

	if (lstat(dir, &st) < 0)
		return PK_OK;
	if (!S_ISDIR(st.st_mode))
		return pk_diag_add(diags, PK_DIAG_ERROR, dir, 0, 0,
				   "output path exists and is not a folder");
	pk_path_join(&marker, dir, PK_OUTPUT_MARKER);
	if (!pk_fs_is_file(marker.ptr) && !dir_is_empty(dir))
		rc = pk_diag_add(diags, PK_DIAG_ERROR, dir, 0, 0,
				 "output folder is not empty and was not made by praktika; "
				 "choose another folder or empty this one");
	pk_buf_release(&marker);
	return rc;
}

int pk_output_begin(pk_output *out, const char *dir, pk_diags *diags)
{
	pk_buf staging = PK_BUF_INIT;
	size_t n = strlen(dir);
	int rc;

	memset(out, 0, sizeof(*out));
	while (n > 1 && dir[n - 1] == '/')
		n--;
	out->dir = pk_xstrndup(dir, n);
	if ((rc = check_replaceable(out->dir, diags)) < 0)
		return rc;
	pk_buf_printf(&staging, "%s.praktika-staging-XXXXXX", out->dir);
	if (!mkdtemp(staging.ptr)) {
		rc = pk_diag_add(diags, PK_DIAG_ERROR, out->dir, 0, 0,
				 "cannot create a staging folder next to the output: %s",
				 strerror(errno));
		pk_buf_release(&staging);
		return rc;
	}
	chmod(staging.ptr, 0755);
	out->staging = pk_buf_detach(&staging);
	return pk_output_write(out, PK_OUTPUT_MARKER, "praktika\n", 9, diags);
}

bool pk_output_has(const pk_output *out, const char *rel_path)
{
	return pk_strmap_get(&out->written, rel_path, strlen(rel_path)) != NULL;
}

/* True when the file at path holds exactly data. */
static bool same_bytes(const char *path, const void *data, size_t len)
{
	pk_buf old = PK_BUF_INIT;
	struct stat st;
	bool same;

	if (stat(path, &st) < 0 || !S_ISREG(st.st_mode) || (size_t)st.st_size != len)
		return false;
	same = pk_fs_read(&old, path, NULL) == PK_OK && old.len == len &&
	       memcmp(old.ptr, data, len) == 0;
	pk_buf_release(&old);
	return same;
}

static int make_parent(const char *path, pk_diags *diags)
{
	char *dir = pk_xstrdup(path);
	char *slash = strrchr(dir, '/');
	int rc = PK_OK;

	if (slash) {
		*slash = '\0';
		rc = pk_fs_mkdirs(dir, diags);
	}
	free(dir);
	return rc;
}

int pk_output_write(pk_output *out, const char *rel_path, const void *data, size_t len,
		    pk_diags *diags)
{
	pk_buf target = PK_BUF_INIT, old = PK_BUF_INIT;
	int rc;

	if (pk_strmap_add(&out->written, rel_path, strlen(rel_path), (void *)1) < 0)
		return pk_diag_add(diags, PK_DIAG_ERROR, rel_path, 0, 0,
				   "two pages would be written to the same file");
	pk_path_join(&target, out->staging, rel_path);
	pk_path_join(&old, out->dir, rel_path);
	if ((rc = make_parent(target.ptr, diags)) < 0)
		goto done;
	if (same_bytes(old.ptr, data, len) && link(old.ptr, target.ptr) == 0) {
		out->files_unchanged++;
		goto done;
	}
	rc = pk_fs_write_atomic(target.ptr, data, len, diags);
	out->files_written++;
done:
	pk_buf_release(&target);
	pk_buf_release(&old);
	return rc;
}

int pk_output_commit(pk_output *out, pk_diags *diags)
{
	struct stat st;
	int rc = PK_OK;

	if (lstat(out->dir, &st) < 0) {
		if (rename(out->staging, out->dir) < 0)
			return pk_diag_add(diags, PK_DIAG_ERROR, out->dir, 0, 0,
					   "cannot move the new site into place: %s", strerror(errno));
		free(out->staging);
		out->staging = NULL;
		return PK_OK;
	}
	if (renameat2(AT_FDCWD, out->staging, AT_FDCWD, out->dir, RENAME_EXCHANGE) < 0)
		return pk_diag_add(diags, PK_DIAG_ERROR, out->dir, 0, 0,
				   "cannot swap the new site into place: %s", strerror(errno));
	/* The staging path now holds the old site. */
	rc = pk_fs_remove_tree(out->staging, diags);
	free(out->staging);
	out->staging = NULL;
	return rc;
}

void pk_output_abort(pk_output *out)
{
	if (out->staging) {
		pk_fs_remove_tree(out->staging, NULL);
		free(out->staging);
		out->staging = NULL;
	}
}

void pk_output_release(pk_output *out)
{
	pk_output_abort(out);
	free(out->dir);
	pk_strmap_release(&out->written);
	memset(out, 0, sizeof(*out));
}
