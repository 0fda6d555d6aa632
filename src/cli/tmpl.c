/*
 * tmpl.c: `praktika tmpl`: renders one Mustache template with YAML data to
 * standard output. Partials are files DIR/<name>.mustache or
 * DIR/partials/<name>.mustache (a theme's layout), DIR being the
 * template's directory unless --partials says otherwise.
 */
#include "cli/cli.h"
#include "core/buf.h"
#include "core/diag.h"
#include "core/fs.h"
#include "tmpl/tmpl.h"
#include "value/value.h"
#include "yaml/yaml.h"

#include <stdio.h>
#include <string.h>

static const char usage_text[] =
	"Использование: praktika tmpl ШАБЛОН [ДАННЫЕ.yaml|-] [--partials КАТАЛОГ] [--strict]\n"
	"\n"
	"Отрисовывает шаблон Mustache с данными из файла YAML (или стандартного ввода\n"
	"при «-») и печатает результат в стандартный вывод.\n"
	"\n"
	"  --partials КАТАЛОГ  где искать частичные шаблоны: КАТАЛОГ/<имя>.mustache\n"
	"                      или КАТАЛОГ/partials/<имя>.mustache\n"
	"                      (по умолчанию каталог шаблона)\n"
	"  --strict            неизвестные имена и частичные шаблоны считать ошибками\n"
	"  -h, --help          показать эту справку\n";

typedef struct {
	const char *template_path;
	const char *data_path; /* NULL: no data; "-": standard input */
	const char *partials;  /* NULL: the template's directory */
	bool strict;
} options;

static int bad_usage(const char *fmt, const char *arg)
{
	fprintf(stderr, "praktika: error: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\n%s", usage_text);
	return 2;
}

/* Returns -1 when the options are fine, else the exit status. */
static int parse_args(options *o, int argc, char **argv)
{
	int i;

	memset(o, 0, sizeof(*o));
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			fputs(usage_text, stdout);
			return 0;
		} else if (!strcmp(a, "--strict")) {
			o->strict = true;
		} else if (!strcmp(a, "--partials")) {
			if (++i == argc)
				return bad_usage("option '%s' needs a directory", a);
			o->partials = argv[i];
		} else if (!strncmp(a, "--partials=", 11)) {
			o->partials = a + 11;
		} else if (a[0] == '-' && a[1]) {
			return bad_usage("unknown option '%s'", a);
		} else if (!o->template_path) {
			o->template_path = a;
		} else if (!o->data_path) {
			o->data_path = a;
		} else {
			return bad_usage("unexpected argument '%s'", a);
		}
	}
	if (!o->template_path)
		return bad_usage("%s", "missing template file");
	return -1;
}

/* A partial name may not leave the partials directory. */
static bool safe_name(const char *name)
{
	const char *p = name;

	if (!*name || *name == '/')
		return false;
	while (p) {
		if (p[0] == '.' && p[1] == '.' && (p[2] == '/' || p[2] == '\0'))
			return false;
		p = strchr(p, '/');
		if (p)
			p++;
	}
	return true;
}

static int load_partial(pk_buf *out, pk_buf *path, const char *name, void *payload,
			pk_diags *diags)
{
	pk_diags tmp = PK_DIAGS_INIT;
	int rc;

	if (!safe_name(name))
		return PK_ENOTFOUND;
	pk_path_join(path, payload, name);
	pk_buf_puts(path, ".mustache");
	if (!pk_fs_is_file(path->ptr)) { /* a theme keeps its partials in partials/ */
		pk_buf_clear(path);
		pk_path_join(path, payload, "partials/");
		pk_buf_puts(path, name);
		pk_buf_puts(path, ".mustache");
	}
	rc = pk_fs_read(out, path->ptr, &tmp);
	if (rc && rc != PK_ENOTFOUND)
		pk_diags_move(diags, &tmp);
	pk_diags_release(&tmp);
	return rc;
}

static int read_data(pk_value **out, const char *path, pk_diags *diags)
{
	pk_yaml_opts opts = PK_YAML_OPTS_INIT;
	pk_buf text = PK_BUF_INIT;
	int rc = PK_OK;

	*out = NULL;
	if (!path)
		return PK_OK;
	if (!strcmp(path, "-")) {
		char chunk[65536];
		size_t n;
		while ((n = fread(chunk, 1, sizeof(chunk), stdin)) > 0)
			pk_buf_put(&text, chunk, n);
		if (ferror(stdin))
			rc = pk_diag_error(diags, "-", (pk_pos){ 0, 0 }, "cannot read standard input");
		path = "<stdin>";
	} else {
		rc = pk_fs_read(&text, path, diags);
	}
	if (!rc)
		rc = pk_yaml_parse(out, text.ptr, text.len, path, &opts, diags);
	pk_buf_release(&text);
	return rc;
}

/* The template's name in the set: its file name without ".mustache", so
 * that {{>name}} inside it finds the same file. */
static void template_name(pk_buf *out, const char *path)
{
	const char *base = pk_path_basename(path);
	size_t len = strlen(base);

	if (len > 9 && !strcmp(base + len - 9, ".mustache"))
		len -= 9;
	pk_buf_put(out, base, len);
}

static void template_dir(pk_buf *out, const char *path)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		pk_buf_puts(out, ".");
	else if (slash == path)
		pk_buf_puts(out, "/");
	else
		pk_buf_put(out, path, (size_t)(slash - path));
}

static int render(const options *o, pk_buf *out, pk_diags *diags)
{
	pk_buf src = PK_BUF_INIT, name = PK_BUF_INIT, dir = PK_BUF_INIT;
	pk_tmpl_set *set = pk_tmpl_set_new(o->strict ? PK_TMPL_STRICT : 0);
	pk_value *data = NULL;
	pk_tmpl *t;
	int rc;

	if (o->partials)
		pk_buf_puts(&dir, o->partials);
	else
		template_dir(&dir, o->template_path);
	pk_tmpl_set_loader(set, load_partial, dir.ptr);
	template_name(&name, o->template_path);
	if ((rc = read_data(&data, o->data_path, diags)) != PK_OK)
		goto done;
	if ((rc = pk_fs_read(&src, o->template_path, diags)) != PK_OK)
		goto done;
	rc = pk_tmpl_set_add(&t, set, name.ptr, src.ptr, src.len, o->template_path, diags);
	if (!rc)
		rc = pk_tmpl_render(out, t, data, diags);
done:
	pk_value_free(data);
	pk_tmpl_set_free(set);
	pk_buf_release(&src);
	pk_buf_release(&name);
	pk_buf_release(&dir);
	return rc;
}

int pk_cli_tmpl(int argc, char **argv)
{
	pk_diags diags = PK_DIAGS_INIT;
	pk_buf out = PK_BUF_INIT;
	options o;
	int status = parse_args(&o, argc, argv);

	if (status >= 0)
		return status;
	status = render(&o, &out, &diags) == PK_OK ? 0 : 1;
	if (status == 0 && (fwrite(out.ptr, 1, out.len, stdout) != out.len || fflush(stdout))) {
		pk_diag_error(&diags, NULL, (pk_pos){ 0, 0 }, "cannot write the output");
		status = 1;
	}
	pk_diags_print(&diags, stderr);
	pk_diags_release(&diags);
	pk_buf_release(&out);
	return status;
}
