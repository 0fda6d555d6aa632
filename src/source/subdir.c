/* A source that shows one folder of another source as its root. */
#include "source/source.h"
#include "core/xalloc.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
	pk_source base;
	pk_source *inner;  /* owned */
	char *prefix;      /* "bank/" */
} subdir;

/* The path in the inner source; false for a path that is not safe. */
static bool inner_path(pk_buf *full, const pk_source *src, const char *path)
{
	if (!pk_source_path_is_safe(path))
		return false;
	pk_buf_printf(full, "%s%s", ((const subdir *)src)->prefix, path);
	return true;
}

static int subdir_read(pk_source *src, pk_buf *out, const char *path, pk_diags *diags)
{
	pk_buf full = PK_BUF_INIT;
	int rc = inner_path(&full, src, path)
			 ? pk_source_read(((subdir *)src)->inner, out, full.ptr, diags)
			 : PK_ENOTFOUND;
	pk_buf_release(&full);
	return rc;
}

static int subdir_stat(pk_source *src, const char *path, struct stat *st)
{
	pk_buf full = PK_BUF_INIT;
	int rc = inner_path(&full, src, path) ? pk_source_stat(((subdir *)src)->inner, full.ptr, st)
					      : PK_ENOTFOUND;
	pk_buf_release(&full);
	return rc;
}

static int subdir_read_stat(pk_source *src, pk_buf *out, const char *path, struct stat *st,
			    pk_diags *diags)
{
	pk_buf full = PK_BUF_INIT;
	int rc = inner_path(&full, src, path)
			 ? pk_source_read_stat(((subdir *)src)->inner, out, full.ptr, st, diags)
			 : PK_ENOTFOUND;
	pk_buf_release(&full);
	return rc;
}

static int subdir_list(pk_source *src, pk_vec *out, const char *dir, pk_diags *diags)
{
	subdir *s = (subdir *)src;
	pk_buf full = PK_BUF_INIT;
	size_t first = out->len, i, cut = strlen(s->prefix);
	int rc;

	pk_buf_printf(&full, "%s%s", s->prefix, dir);
	if (full.len && full.ptr[full.len - 1] == '/')
		pk_buf_truncate(&full, full.len - 1);
	rc = pk_source_list(s->inner, out, full.ptr, diags);
	for (i = first; i < out->len; i++) { /* drop the prefix in place */
		char *p = out->items[i];
		memmove(p, p + cut, strlen(p + cut) + 1);
	}
	pk_buf_release(&full);
	return rc;
}

static void subdir_free(pk_source *src)
{
	subdir *s = (subdir *)src;
	pk_source_free(s->inner);
	free(s->prefix);
	free(s);
}

/* No lock of its own: the inner source takes it if it needs it. */
static const pk_source_ops subdir_ops = { "subdir", subdir_read, subdir_list, subdir_free, false,
				      subdir_stat, subdir_read_stat };

int pk_source_subdir_new(pk_source **out, pk_source *inner, const char *folder)
{
	subdir *s = pk_xcalloc(1, sizeof(*s));
	pk_buf prefix = PK_BUF_INIT, display = PK_BUF_INIT;

	pk_buf_puts(&prefix, folder);
	while (prefix.len && prefix.ptr[prefix.len - 1] == '/')
		pk_buf_truncate(&prefix, prefix.len - 1);
	pk_buf_putc(&prefix, '/');
	pk_buf_printf(&display, "%s%s", inner->display_root, prefix.ptr);
	s->base.ops = &subdir_ops;
	s->base.display_root = pk_buf_detach(&display);
	s->inner = inner;
	s->prefix = pk_buf_detach(&prefix);
	*out = &s->base;
	return PK_OK;
}
