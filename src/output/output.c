#include "output/output.h"
#include "core/buf.h"
#include "core/fs.h"
#include "core/hash.h"
#include "core/vec.h"
#include "core/xalloc.h"
#include "source/source.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- the manifest --------------------------------------------------- */

static pk_output_entry *new_entry(uint64_t size, uint64_t hash, int64_t mtime)
{
	pk_output_entry *e = pk_xmalloc(sizeof(*e));
	e->size = size;
	e->hash = hash;
	e->mtime = mtime;
	e->state = PK_OUTPUT_UNCHECKED;
	return e;
}

static void free_entries(pk_strmap *m)
{
	size_t i;
	for (i = 0; i < m->len; i++)
		free(m->entries[i].value);
	pk_strmap_release(m);
}

/* Reads one number ending in a space; false if there is none. (sscanf
 * would scan the rest of the manifest on every line.) */
static bool read_number(const char **p, const char *end, int base, bool is_signed, uint64_t *out)
{
	char *stop;
	errno = 0;
	if (*p >= end || **p == ' ' || **p == '\n')
		return false;
	*out = is_signed ? (uint64_t)strtoll(*p, &stop, base) : strtoull(*p, &stop, base);
	if (errno || stop >= end || *stop != ' ')
		return false;
	*p = stop + 1;
	return true;
}

/* One line per file: "<size> <hash hex> <mtime> <path>". A damaged line
 * is skipped: that file is then simply rewritten. */
static void parse_manifest(pk_strmap *files, const char *text)
{
	const char *line = text;

	while (*line) {
		const char *end = strchr(line, '\n'), *p = line;
		uint64_t size, hash, mtime;
		if (!end)
			break;
		if (read_number(&p, end, 10, false, &size) && read_number(&p, end, 16, false, &hash) &&
		    read_number(&p, end, 10, true, &mtime) && p < end)
			pk_strmap_set(files, p, (size_t)(end - p), new_entry(size, hash, (int64_t)mtime));
		line = end + 1;
	}
}

static void load_manifest(pk_strmap *files, const char *dir)
{
	pk_buf path = PK_BUF_INIT, text = PK_BUF_INIT;
	pk_path_join(&path, dir, PK_OUTPUT_MARKER);
	if (pk_fs_read(&text, path.ptr, NULL) == PK_OK)
		parse_manifest(files, text.ptr);
	pk_buf_release(&path);
	pk_buf_release(&text);
}

/* True when rel (in the folder held open as dir_fd) is the regular file
 * praktika wrote there, by its size and modification time. */
static bool file_as_written(int dir_fd, const char *rel, const pk_output_entry *e)
{
	struct stat st;

	return fstatat(dir_fd, rel, &st, 0) == 0 && S_ISREG(st.st_mode) &&
	       (uint64_t)st.st_size == e->size && (int64_t)st.st_mtime == e->mtime;
}

void pk_output_prior_read(pk_output_prior *prior, const char *dir)
{
	pk_buf path = PK_BUF_INIT, text = PK_BUF_INIT;
	int dir_fd = -1;
	size_t i;

	pk_strmap_init(&prior->files);
	prior->manifest_hash = 0;
	prior->intact = false;
	pk_path_join(&path, dir, PK_OUTPUT_MARKER);
	if (pk_fs_read(&text, path.ptr, NULL) == PK_OK) {
		prior->manifest_hash = pk_hash64(text.ptr, text.len) | 1;
		parse_manifest(&prior->files, text.ptr);
		dir_fd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	}
	prior->intact = prior->files.len > 0 && dir_fd >= 0;
	for (i = 0; i < prior->files.len; i++) {
		const char *rel = prior->files.entries[i].key;
		pk_output_entry *e = prior->files.entries[i].value;
		bool safe = pk_source_path_is_safe(rel);
		e->state = safe && dir_fd >= 0 && file_as_written(dir_fd, rel, e) ? PK_OUTPUT_AS_WRITTEN
									  : PK_OUTPUT_EDITED;
		prior->intact = prior->intact && e->state == PK_OUTPUT_AS_WRITTEN;
	}
	if (dir_fd >= 0)
		close(dir_fd);
	pk_buf_release(&path);
	pk_buf_release(&text);
}

void pk_output_prior_release(pk_output_prior *prior)
{
	free_entries(&prior->files);
}

static int compare_entry_keys(const void *a, const void *b)
{
	return strcmp((*(const pk_strmap_entry *const *)a)->key,
		      (*(const pk_strmap_entry *const *)b)->key);
}

/* The lines in path order: pages are written in whatever order the
 * workers finish them, and a manifest that only lists them in another
 * order must not count as changed (it is rewritten, and uploaded, only
 * when the site is). */
static void manifest_text(pk_buf *out, const pk_strmap *files)
{
	pk_vec sorted = PK_VEC_INIT;
	size_t i;

	for (i = 0; i < files->len; i++)
		pk_vec_push(&sorted, &files->entries[i]);
	pk_vec_sort(&sorted, compare_entry_keys);
	for (i = 0; i < sorted.len; i++) {
		const pk_strmap_entry *f = sorted.items[i];
		const pk_output_entry *e = f->value;
		/* "SIZE HASH MTIME PATH\n", without printf (a line per file) */
		pk_buf_put_uint(out, e->size, 0);
		pk_buf_putc(out, ' ');
		pk_buf_put_hex64(out, e->hash);
		pk_buf_putc(out, ' ');
		pk_buf_put_int(out, e->mtime, 0);
		pk_buf_putc(out, ' ');
		pk_buf_puts(out, f->key);
		pk_buf_putc(out, '\n');
	}
	pk_vec_release(&sorted);
}

/* ---- begin ---------------------------------------------------------- */

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

static int check_replaceable(pk_output *out, pk_diags *diags)
{
	pk_buf marker = PK_BUF_INIT;
	struct stat st;
	int rc = PK_OK;

	if (lstat(out->dir, &st) < 0) {
		out->fresh = true;
		return PK_OK;
	}
	if (!S_ISDIR(st.st_mode))
		return pk_diag_add(diags, PK_DIAG_ERROR, out->dir, 0, 0,
				   "output path exists and is not a folder");
	pk_path_join(&marker, out->dir, PK_OUTPUT_MARKER);
	if (!pk_fs_is_file(marker.ptr) && !dir_is_empty(out->dir))
		rc = pk_diag_add(diags, PK_DIAG_ERROR, out->dir, 0, 0,
				 "output folder is not empty and was not made by praktika; "
				 "choose another folder or empty this one");
	pk_buf_release(&marker);
	return rc;
}

int pk_output_begin(pk_output *out, const char *dir, pk_diags *diags)
{
	return pk_output_begin_with(out, dir, NULL, diags);
}

int pk_output_begin_with(pk_output *out, const char *dir, pk_output_prior *prior,
			 pk_diags *diags)
{
	pk_buf staging = PK_BUF_INIT;
	size_t n = strlen(dir);
	int rc;

	memset(out, 0, sizeof(*out));
	out->dir_fd = out->staging_fd = -1;
	pthread_mutex_init(&out->lock, NULL);
	while (n > 1 && dir[n - 1] == '/')
		n--;
	out->dir = pk_xstrndup(dir, n);
	if ((rc = check_replaceable(out, diags)) < 0)
		return rc;
	if (!out->fresh && prior) {
		out->old = prior->files;
		pk_strmap_init(&prior->files);
	} else if (!out->fresh) {
		load_manifest(&out->old, out->dir);
	}
	if (!out->fresh)
		out->dir_fd = open(out->dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
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
	out->staging_fd = open(out->staging, O_PATH | O_DIRECTORY | O_CLOEXEC);
	return PK_OK;
}

/* ---- write ---------------------------------------------------------- */

bool pk_output_has(const pk_output *out, const char *rel_path)
{
	pk_output *o = (pk_output *)out; /* the lock is not part of the value */
	bool has;
	pthread_mutex_lock(&o->lock);
	has = pk_strmap_get(&out->written, rel_path, strlen(rel_path)) != NULL;
	pthread_mutex_unlock(&o->lock);
	return has;
}

/* True when the old site has exactly these bytes at rel_path, by its
 * manifest, and the file there was not edited by hand since. */
static bool unchanged(pk_output *out, const char *rel_path, const pk_output_entry *now,
		      int64_t *mtime)
{
	const pk_output_entry *old = pk_strmap_get(&out->old, rel_path, strlen(rel_path));
	pk_buf path = PK_BUF_INIT;
	bool same;

	if (!old || old->size != now->size || old->hash != now->hash)
		return false;
	*mtime = old->mtime;
	if (old->state != PK_OUTPUT_UNCHECKED)
		return old->state == PK_OUTPUT_AS_WRITTEN;
	if (out->dir_fd >= 0)
		return file_as_written(out->dir_fd, rel_path, old);
	pk_path_join(&path, out->dir, rel_path);
	same = file_as_written(AT_FDCWD, path.ptr, old);
	pk_buf_release(&path);
	return same;
}

/* mkdir -p for the parent of rel_path under root (held open as root_fd,
 * or -1), remembering what exists (creating folders is the slowest thing
 * a build does on some disks). */
static int make_parents(pk_output *out, pk_strmap *known, const char *root, int root_fd,
			const char *rel_path, pk_diags *diags)
{
	const char *slash = strrchr(rel_path, '/');
	pk_buf dir = PK_BUF_INIT;
	bool seen;
	int rc = PK_OK;

	if (!slash)
		return PK_OK;
	pthread_mutex_lock(&out->lock);
	seen = pk_strmap_get(known, rel_path, (size_t)(slash - rel_path)) != NULL;
	pthread_mutex_unlock(&out->lock);
	if (seen)
		return PK_OK;
	if (root_fd >= 0) {
		pk_buf_put(&dir, rel_path, (size_t)(slash - rel_path));
		if ((rc = pk_fs_mkdirs_at(root_fd, dir.ptr, NULL)) < 0)
			rc = pk_diag_add(diags, PK_DIAG_ERROR, root, 0, 0,
					 "cannot create directory %s in it: %s", dir.ptr, strerror(errno));
	} else {
		pk_buf_printf(&dir, "%s/%.*s", root, (int)(slash - rel_path), rel_path);
		rc = pk_fs_mkdirs(dir.ptr, diags);
	}
	pthread_mutex_lock(&out->lock);
	if (rc == PK_OK)
		pk_strmap_set(known, rel_path, (size_t)(slash - rel_path), (void *)1);
	pthread_mutex_unlock(&out->lock);
	pk_buf_release(&dir);
	return rc;
}

static int write_error(pk_diags *diags, const char *root, const char *rel_path, int err)
{
	pk_buf path = PK_BUF_INIT;
	int rc;
	pk_path_join(&path, root, rel_path);
	rc = pk_diag_add(diags, PK_DIAG_ERROR, path.ptr, 0, 0, "cannot write: %s", strerror(err));
	pk_buf_release(&path);
	return rc;
}

/* Writes the file rel_path under root (held open as root_fd, or -1) and
 * notes its mtime (for the next build's check of hand edits; a rename
 * keeps it), 0 if it cannot be had. */
static int write_file(const char *root, int root_fd, const char *rel_path, const void *data,
		      size_t len, int64_t *mtime, pk_diags *diags)
{
	const char *p = data;
	struct stat st;
	int fd;

	if (root_fd >= 0) {
		fd = openat(root_fd, rel_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	} else {
		pk_buf path = PK_BUF_INIT;
		pk_path_join(&path, root, rel_path);
		fd = open(path.ptr, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		pk_buf_release(&path);
	}
	if (fd < 0)
		return write_error(diags, root, rel_path, errno);
	while (len) {
		ssize_t n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			int err = n < 0 ? errno : EIO;
			close(fd);
			return write_error(diags, root, rel_path, err);
		}
		p += n;
		len -= (size_t)n;
	}
	*mtime = fstat(fd, &st) == 0 ? (int64_t)st.st_mtime : 0;
	if (close(fd) < 0)
		return write_error(diags, root, rel_path, errno);
	return PK_OK;
}

/* Records rel_path in this build; false if another page has it. */
static bool claim(pk_output *out, const char *rel_path, pk_output_entry *e, bool changed)
{
	bool ok;
	pthread_mutex_lock(&out->lock);
	ok = pk_strmap_add(&out->written, rel_path, strlen(rel_path), e) == PK_OK;
	if (ok && changed) {
		pk_strmap_add(&out->changed, rel_path, strlen(rel_path), e);
		out->files_written++;
	} else if (ok) {
		out->files_unchanged++;
	}
	pthread_mutex_unlock(&out->lock);
	return ok;
}

int pk_output_write(pk_output *out, const char *rel_path, const void *data, size_t len,
		    pk_diags *diags)
{
	pk_output_entry *e = new_entry(len, pk_hash64(data, len), 0);
	bool same = !out->fresh && unchanged(out, rel_path, e, &e->mtime);
	int rc = PK_OK;

	if (!claim(out, rel_path, e, !same)) {
		free(e);
		return pk_diag_add(diags, PK_DIAG_ERROR, rel_path, 0, 0,
				   "two pages would be written to the same file");
	}
	if (same)
		return PK_OK;
	if ((rc = make_parents(out, &out->dirs, out->staging, out->staging_fd, rel_path, diags)) ==
	    PK_OK)
		rc = write_file(out->staging, out->staging_fd, rel_path, data, len, &e->mtime, diags);
	return rc;
}

bool pk_output_keep(pk_output *out, const char *rel_path, pk_diags *diags, int *rc)
{
	const pk_output_entry *old;
	pk_output_entry *e;

	*rc = PK_OK;
	if (out->fresh || !(old = pk_strmap_get(&out->old, rel_path, strlen(rel_path))))
		return false;
	e = new_entry(old->size, old->hash, 0);
	if (!unchanged(out, rel_path, e, &e->mtime)) {
		free(e);
		return false;
	}
	if (!claim(out, rel_path, e, false)) {
		free(e);
		*rc = pk_diag_add(diags, PK_DIAG_ERROR, rel_path, 0, 0,
				  "two pages would be written to the same file");
	}
	return true;
}

/* ---- commit --------------------------------------------------------- */

/* Writes the manifest, unless it has not changed (then even its mtime
 * stays, and an upload of the site finds nothing new at all). */
static int write_manifest(pk_output *out, const char *root, pk_diags *diags)
{
	pk_buf text = PK_BUF_INIT, path = PK_BUF_INIT, old = PK_BUF_INIT;
	int rc = PK_OK;
	manifest_text(&text, &out->written);
	pk_path_join(&path, root, PK_OUTPUT_MARKER);
	if (pk_fs_read(&old, path.ptr, NULL) != PK_OK || old.len != text.len ||
	    memcmp(old.ptr, text.ptr, text.len) != 0)
		rc = pk_fs_write_atomic(path.ptr, text.ptr, text.len, diags);
	if (rc == PK_OK)
		out->manifest_hash = pk_hash64(text.ptr, text.len) | 1; /* as pk_output_manifest_hash */
	pk_buf_release(&old);
	pk_buf_release(&text);
	pk_buf_release(&path);
	return rc;
}

/* A new folder: the whole staging folder becomes the site at once. */
static int commit_fresh(pk_output *out, pk_diags *diags)
{
	if (write_manifest(out, out->staging, diags) < 0)
		return PK_ERROR;
	if (rename(out->staging, out->dir) < 0)
		return pk_diag_add(diags, PK_DIAG_ERROR, out->dir, 0, 0,
				   "cannot move the new site into place: %s", strerror(errno));
	free(out->staging);
	out->staging = NULL;
	return PK_OK;
}

static int move_changed(pk_output *out, pk_diags *diags)
{
	pk_strmap known = PK_STRMAP_INIT;
	size_t i;
	int rc = PK_OK;

	for (i = 0; i < out->changed.len && rc == PK_OK; i++) {
		const char *rel = out->changed.entries[i].key;
		pk_buf from = PK_BUF_INIT, to = PK_BUF_INIT;
		pk_path_join(&from, out->staging, rel);
		pk_path_join(&to, out->dir, rel);
		rc = make_parents(out, &known, out->dir, -1, rel, diags);
		if (rc == PK_OK && rename(from.ptr, to.ptr) < 0)
			rc = pk_diag_add(diags, PK_DIAG_ERROR, to.ptr, 0, 0,
					 "cannot move the new page into place: %s", strerror(errno));
		pk_buf_release(&from);
		pk_buf_release(&to);
	}
	pk_strmap_release(&known);
	return rc;
}

/* Removes the files of the old site that the new one does not have, and
 * the folders that leaves empty. */
static void remove_stale(pk_output *out)
{
	size_t i;
	for (i = 0; i < out->old.len; i++) {
		const char *rel = out->old.entries[i].key;
		pk_buf path = PK_BUF_INIT;
		char *slash;
		if (pk_strmap_get(&out->written, rel, strlen(rel)) || !pk_source_path_is_safe(rel))
			continue;
		pk_path_join(&path, out->dir, rel);
		if (unlink(path.ptr) == 0)
			out->files_removed++;
		while ((slash = strrchr(path.ptr, '/')) && (size_t)(slash - path.ptr) > strlen(out->dir)) {
			*slash = '\0';
			if (rmdir(path.ptr) < 0)
				break;
		}
		pk_buf_release(&path);
	}
}

int pk_output_commit(pk_output *out, pk_diags *diags)
{
	int rc;

	if (out->fresh)
		return commit_fresh(out, diags);
	rc = move_changed(out, diags);
	if (rc == PK_OK) {
		remove_stale(out);
		rc = write_manifest(out, out->dir, diags);
	}
	pk_output_abort(out);
	return rc;
}

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

void pk_output_abort(pk_output *out)
{
	close_fd(&out->staging_fd);
	if (out->staging) {
		pk_fs_remove_tree(out->staging, NULL);
		free(out->staging);
		out->staging = NULL;
	}
}

void pk_output_release(pk_output *out)
{
	pk_output_abort(out);
	close_fd(&out->dir_fd);
	free(out->dir);
	free_entries(&out->old);
	free_entries(&out->written); /* also frees what changed points to */
	pk_strmap_release(&out->changed);
	pk_strmap_release(&out->dirs);
	pthread_mutex_destroy(&out->lock);
	memset(out, 0, sizeof(*out));
}

/* ---- checking a site left as it was ---------------------------------- */

static int read_manifest_text(pk_buf *out, const char *dir)
{
	pk_buf path = PK_BUF_INIT;
	int rc;

	pk_path_join(&path, dir, PK_OUTPUT_MARKER);
	rc = pk_fs_read(out, path.ptr, NULL);
	pk_buf_release(&path);
	return rc;
}

uint64_t pk_output_manifest_hash(const char *dir)
{
	pk_buf text = PK_BUF_INIT;
	uint64_t hash = 0;

	if (read_manifest_text(&text, dir) == PK_OK)
		hash = pk_hash64(text.ptr, text.len) | 1;
	pk_buf_release(&text);
	return hash;
}

bool pk_output_intact(const char *dir, uint64_t *hash)
{
	pk_output_prior prior;
	bool intact;

	pk_output_prior_read(&prior, dir);
	*hash = prior.manifest_hash;
	intact = prior.intact;
	pk_output_prior_release(&prior);
	return intact;
}
