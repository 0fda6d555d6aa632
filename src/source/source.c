#include "source/source.h"

#include <stdlib.h>
#include <string.h>

void pk_source_free(pk_source *src)
{
	if (!src)
		return;
	free(src->display_root);
	src->ops->free(src);
}

int pk_source_read(pk_source *src, pk_buf *out, const char *path, pk_diags *diags)
{
	return src->ops->read(src, out, path, diags);
}

int pk_source_list(pk_source *src, pk_vec *out, const char *dir, pk_diags *diags)
{
	return src->ops->list(src, out, dir, diags);
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
