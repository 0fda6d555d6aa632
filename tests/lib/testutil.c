#include "testutil.h"
#include "core/fs.h"
#include "core/xalloc.h"

#include <stdlib.h>
#include <string.h>

char *pk_test_tmpdir(void)
{
	char *dir = pk_xstrdup("/tmp/praktika-test-XXXXXX");
	if (!mkdtemp(dir))
		abort();
	return dir;
}

void pk_test_rmtree(const char *dir)
{
	pk_fs_remove_tree(dir, NULL);
}

void pk_test_write(const char *dir, const char *rel, const char *text)
{
	pk_buf path = PK_BUF_INIT;
	char *slash;

	pk_path_join(&path, dir, rel);
	slash = strrchr(path.ptr, '/');
	*slash = '\0';
	pk_fs_mkdirs(path.ptr, NULL);
	*slash = '/';
	if (pk_fs_write_atomic(path.ptr, text, strlen(text), NULL) != 0)
		abort();
	pk_buf_release(&path);
}

const char *pk_test_top(void)
{
	const char *top = getenv("PRAKTIKA_TOP");
	return top ? top : ".";
}

void pk_test_diags_text(pk_buf *out, const pk_diags *diags)
{
	size_t i;
	for (i = 0; i < diags->len; i++) {
		pk_diag_format(out, &diags->items[i]);
		pk_buf_putc(out, '\n');
	}
}
