#include "source/source.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* Git sources are not thread-safe themselves (libgit2 objects): every
 * read and listing of one takes this one lock. It is recursive so that a
 * source may read through another. A folder on disk takes no lock: its
 * reads are plain system calls, and loader threads spend much of their
 * time in them. */
static pthread_mutex_t source_lock;
static pthread_once_t source_lock_once = PTHREAD_ONCE_INIT;

static void source_lock_init(void)
{
	pthread_mutexattr_t attr;
	pthread_mutexattr_init(&attr);
	pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE);
	pthread_mutex_init(&source_lock, &attr);
	pthread_mutexattr_destroy(&attr);
}

static void lock_sources(void)
{
	pthread_once(&source_lock_once, source_lock_init);
	pthread_mutex_lock(&source_lock);
}

void pk_source_free(pk_source *src)
{
	if (!src)
		return;
	free(src->display_root);
	src->ops->free(src);
}

static void unlock_sources(void)
{
	pthread_mutex_unlock(&source_lock);
}

int pk_source_read(pk_source *src, pk_buf *out, const char *path, pk_diags *diags)
{
	int rc;
	if (!src->ops->needs_lock)
		return src->ops->read(src, out, path, diags);
	lock_sources();
	rc = src->ops->read(src, out, path, diags);
	unlock_sources();
	return rc;
}

int pk_source_read_stat(pk_source *src, pk_buf *out, const char *path, struct stat *st,
			pk_diags *diags)
{
	int rc;
	if (!src->ops->read_stat)
		return PK_ENOTSUP;
	if (!src->ops->needs_lock)
		return src->ops->read_stat(src, out, path, st, diags);
	lock_sources();
	rc = src->ops->read_stat(src, out, path, st, diags);
	unlock_sources();
	return rc;
}

int pk_source_stat(pk_source *src, const char *path, struct stat *st)
{
	int rc;
	if (!src->ops->stat)
		return PK_ENOTSUP;
	if (!src->ops->needs_lock)
		return src->ops->stat(src, path, st);
	lock_sources();
	rc = src->ops->stat(src, path, st);
	unlock_sources();
	return rc;
}

bool pk_source_can_stat(const pk_source *src)
{
	return src->ops->stat != NULL;
}

int pk_source_list(pk_source *src, pk_vec *out, const char *dir, pk_diags *diags)
{
	int rc;
	if (!src->ops->needs_lock)
		return src->ops->list(src, out, dir, diags);
	lock_sources();
	rc = src->ops->list(src, out, dir, diags);
	unlock_sources();
	return rc;
}

void pk_source_display_path(pk_buf *out, const pk_source *src, const char *path)
{
	pk_buf_puts(out, src->display_root);
	pk_buf_puts(out, path);
}

bool pk_source_path_is_safe(const char *path)
{
	const char *p = path;

	if (!*p || *p == '/')
		return false;
	while (*p) {
		const char *end = strchr(p, '/');
		size_t n = end ? (size_t)(end - p) : strlen(p);
		if (n == 0 || (n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.'))
			return false;
		if (memchr(p, '\\', n))
			return false;
		p += n;
		if (*p == '/')
			p++;
		else
			break;
	}
	return true;
}
