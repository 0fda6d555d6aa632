/*
 * bench_tmpl.c: how fast a realistic practice page renders: a page
 * template (about 80 tags: breadcrumbs, kinds, mentors through a partial,
 * stages, an indicators table, tags, prev/next) filling the blocks of a
 * parent layout, with Russian text to escape. Fixtures are in
 * bench/data/tmpl/ (found through argv[1], $PRAKTIKA_TOP, the current
 * directory, or the binary's place in build/bench/). Prints
 *   tmpl compile: X µs per page (3 templates, Y KB)
 *   tmpl render: X renders/s, Y MB/s output
 * after about 0.5 s of compiling and 2 s of rendering.
 */
#include "core/buf.h"
#include "core/diag.h"
#include "core/fs.h"
#include "tmpl/tmpl.h"
#include "value/value.h"
#include "yaml/yaml.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *const names[] = { "layout", "person", "practice" };

typedef struct {
	pk_buf src[3];
	pk_value *data;
} fixtures;

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static bool try_dir(pk_buf *dir, const char *base, const char *rel)
{
	pk_buf probe = PK_BUF_INIT;
	bool ok;

	pk_buf_clear(dir);
	pk_path_join(dir, base, rel);
	pk_path_join(&probe, dir->ptr, "practice.mustache");
	ok = pk_fs_is_file(probe.ptr);
	pk_buf_release(&probe);
	return ok;
}

static bool find_fixtures(pk_buf *dir, int argc, char **argv)
{
	const char *top = getenv("PRAKTIKA_TOP");
	pk_buf self = PK_BUF_INIT;
	const char *slash = strrchr(argv[0], '/');
	bool ok;

	if (argc > 1)
		return try_dir(dir, argv[1], ".");
	if (top && try_dir(dir, top, "bench/data/tmpl"))
		return true;
	if (try_dir(dir, ".", "bench/data/tmpl"))
		return true;
	pk_buf_put(&self, argv[0], slash ? (size_t)(slash - argv[0]) : 0);
	ok = try_dir(dir, self.len ? self.ptr : ".", "../../bench/data/tmpl");
	pk_buf_release(&self);
	return ok;
}

static int load(fixtures *fx, const char *dir, pk_diags *diags)
{
	pk_yaml_opts opts = PK_YAML_OPTS_INIT;
	pk_buf path = PK_BUF_INIT, text = PK_BUF_INIT;
	size_t i;
	int rc = PK_OK;

	for (i = 0; i < 3 && !rc; i++) {
		pk_buf_clear(&path);
		pk_path_join(&path, dir, names[i]);
		pk_buf_puts(&path, ".mustache");
		rc = pk_fs_read(&fx->src[i], path.ptr, diags);
	}
	pk_buf_clear(&path);
	pk_path_join(&path, dir, "practice.yaml");
	if (!rc)
		rc = pk_fs_read(&text, path.ptr, diags);
	if (!rc)
		rc = pk_yaml_parse(&fx->data, text.ptr, text.len, path.ptr, &opts, diags);
	pk_buf_release(&path);
	pk_buf_release(&text);
	return rc;
}

/* A set holding the three templates; *page is the practice page. */
static pk_tmpl_set *compile_all(const fixtures *fx, pk_tmpl **page, pk_diags *diags)
{
	pk_tmpl_set *set = pk_tmpl_set_new(0);
	size_t i;

	for (i = 0; i < 3; i++)
		if (pk_tmpl_set_add(page, set, names[i], fx->src[i].ptr, fx->src[i].len, names[i],
				    diags) != PK_OK) {
			pk_tmpl_set_free(set);
			return NULL;
		}
	return set;
}

static void bench_compile(const fixtures *fx, pk_diags *diags)
{
	size_t runs = 0, bytes = fx->src[0].len + fx->src[1].len + fx->src[2].len;
	double start = now(), elapsed;
	pk_tmpl *page;

	do {
		pk_tmpl_set_free(compile_all(fx, &page, diags));
		runs++;
		elapsed = now() - start;
	} while (elapsed < 0.5);
	printf("tmpl compile: %.1f µs per page (3 templates, %.1f KB)\n", elapsed / (double)runs * 1e6,
	       (double)bytes / 1024);
}

static int bench_render(const fixtures *fx, pk_diags *diags)
{
	pk_buf out = PK_BUF_INIT;
	size_t runs = 0, bytes = 0, i;
	double start, elapsed;
	pk_tmpl *page;
	pk_tmpl_set *set = compile_all(fx, &page, diags);
	int rc = set ? PK_OK : PK_ERROR;

	start = now();
	do {
		for (i = 0; i < 100 && !rc; i++) {
			pk_buf_clear(&out);
			rc = pk_tmpl_render(&out, page, fx->data, diags);
			bytes += out.len;
		}
		runs += 100;
		elapsed = now() - start;
	} while (elapsed < 2.0 && !rc);
	if (!rc)
		printf("tmpl render: %.0f renders/s, %.1f MB/s output (%zu bytes per page)\n",
		       (double)runs / elapsed, (double)bytes / elapsed / 1e6, out.len);
	pk_buf_release(&out);
	pk_tmpl_set_free(set);
	return rc;
}

int main(int argc, char **argv)
{
	pk_diags diags = PK_DIAGS_INIT;
	pk_buf dir = PK_BUF_INIT;
	fixtures fx;
	int rc = PK_ERROR;
	size_t i;

	memset(&fx, 0, sizeof(fx));
	for (i = 0; i < 3; i++)
		pk_buf_init(&fx.src[i]);
	if (!find_fixtures(&dir, argc, argv)) {
		fprintf(stderr, "bench_tmpl: fixtures not found (pass the bench/data/tmpl directory)\n");
		goto done;
	}
	if ((rc = load(&fx, dir.ptr, &diags)) != PK_OK)
		goto done;
	bench_compile(&fx, &diags);
	rc = bench_render(&fx, &diags);
done:
	pk_diags_print(&diags, stderr);
	pk_diags_release(&diags);
	for (i = 0; i < 3; i++)
		pk_buf_release(&fx.src[i]);
	pk_value_free(fx.data);
	pk_buf_release(&dir);
	return rc ? 1 : 0;
}
