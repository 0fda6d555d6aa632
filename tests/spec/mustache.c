/*
 * mustache.c: runs the official Mustache spec (../shared/mustache-spec, or
 * $MUSTACHE_SPEC_DIR) against our engine, loading the YAML with our own
 * loader. Prints one line per module, "not ok" lines with expected and
 * actual output for failures, and a closing "# counts:" line for
 * tests/run.sh. Exits 1 on any failure.
 *
 * The spec's lambdas are code in other languages (the !code tag, which the
 * loader ignores, leaving a map of language → source). Each is replaced here
 * by a host object written in C, chosen by the test's name.
 */
#include "core/buf.h"
#include "core/diag.h"
#include "core/fs.h"
#include "core/xalloc.h"
#include "tmpl/tmpl.h"
#include "value/value.h"
#include "yaml/yaml.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
	size_t passed, failed;
} counts;

/* Lambdas ---------------------------------------------------------------- */

typedef struct {
	const char *test; /* the spec test this lambda stands in for */
	int calls;
} lambda;

static int lambda_call(void *self, pk_buf *out)
{
	lambda *l = self;

	if (!strcmp(l->test, "Interpolation"))
		pk_buf_puts(out, "world");
	else if (!strcmp(l->test, "Interpolation - Expansion"))
		pk_buf_puts(out, "{{planet}}");
	else if (!strcmp(l->test, "Interpolation - Alternate Delimiters"))
		pk_buf_puts(out, "|planet| => {{planet}}");
	else if (!strcmp(l->test, "Interpolation - Multiple Calls"))
		pk_buf_printf(out, "%d", ++l->calls);
	else if (!strcmp(l->test, "Escaping"))
		pk_buf_puts(out, ">");
	else
		return PK_ERROR;
	return PK_OK;
}

static int lambda_section(void *self, const char *text, size_t len, pk_buf *out)
{
	lambda *l = self;

	if (!strcmp(l->test, "Section")) {
		pk_buf_puts(out, len == 5 && !memcmp(text, "{{x}}", 5) ? "yes" : "no");
	} else if (!strcmp(l->test, "Section - Expansion")) {
		pk_buf_put(out, text, len);
		pk_buf_puts(out, "{{planet}}");
		pk_buf_put(out, text, len);
	} else if (!strcmp(l->test, "Section - Alternate Delimiters")) {
		pk_buf_put(out, text, len);
		pk_buf_puts(out, "{{planet}} => |planet|");
		pk_buf_put(out, text, len);
	} else if (!strcmp(l->test, "Section - Multiple Calls")) {
		pk_buf_puts(out, "__");
		pk_buf_put(out, text, len);
		pk_buf_puts(out, "__");
	} else if (!strcmp(l->test, "Inverted Section")) {
		/* the spec's lambda returns false; an inverted section never calls it */
	} else {
		return PK_ERROR;
	}
	return PK_OK;
}

static const pk_value_class interpolation_lambda = {
	.name = "spec interpolation lambda", .call = lambda_call, .free = free,
};

static const pk_value_class section_lambda = {
	.name = "spec section lambda", .section = lambda_section, .free = free,
};

/* Puts a C lambda in place of the test's !code map under "lambda". */
static void add_lambda(pk_value *data, const char *test)
{
	lambda *l;

	if (!data || data->type != PK_VALUE_MAP || !pk_value_map_get(data, "lambda"))
		return;
	l = pk_xcalloc(1, sizeof(*l));
	l->test = test;
	pk_value_map_set(data, "lambda",
			 pk_value_new_object(strncmp(test, "Interpolation", 13) &&
						     strcmp(test, "Escaping")
					     ? &section_lambda
					     : &interpolation_lambda,
				     l));
}

/* Running one test ------------------------------------------------------- */

static const char *str_of(const pk_value *test, const char *key)
{
	const char *s = pk_value_str(pk_value_map_get(test, key));
	return s ? s : "";
}

static size_t str_len(const pk_value *test, const char *key)
{
	const pk_value *v = pk_value_map_get(test, key);
	return v && v->type == PK_VALUE_STRING ? v->as.str.len : 0;
}

static int add_partials(pk_tmpl_set *set, const pk_value *partials, pk_diags *diags)
{
	size_t i;
	int rc = PK_OK;

	if (!partials || partials->type != PK_VALUE_MAP)
		return PK_OK;
	for (i = 0; i < partials->as.map.len && !rc; i++) {
		const pk_map_entry *e = &partials->as.map.entries[i];
		const pk_value *v = e->value;
		if (v->type == PK_VALUE_STRING)
			rc = pk_tmpl_set_add(NULL, set, e->key, v->as.str.ptr, v->as.str.len, e->key,
					     diags);
	}
	return rc;
}

static void show(const char *label, const char *s, size_t len)
{
	size_t i;

	printf("#   %s: \"", label);
	for (i = 0; i < len; i++) {
		if (s[i] == '\n')
			printf("\\n");
		else if (s[i] == '\r')
			printf("\\r");
		else if (s[i] == '\t')
			printf("\\t");
		else if (s[i] == '"' || s[i] == '\\')
			printf("\\%c", s[i]);
		else
			putchar(s[i]);
	}
	printf("\"\n");
}

/* Renders one test into got; returns PK_OK when it rendered. */
static int render_test(pk_buf *got, pk_value *test, const char *name, pk_diags *diags)
{
	pk_tmpl_set *set = pk_tmpl_set_new(0);
	pk_value *data = pk_value_map_get(test, "data");
	pk_tmpl *t;
	int rc;

	add_lambda(data, name);
	rc = add_partials(set, pk_value_map_get(test, "partials"), diags);
	if (!rc)
		rc = pk_tmpl_set_add(&t, set, "#spec template", str_of(test, "template"),
				     str_len(test, "template"), "template", diags);
	if (!rc)
		rc = pk_tmpl_render(got, t, data, diags);
	pk_tmpl_set_free(set);
	return rc;
}

static bool run_test(const char *module, pk_value *test)
{
	const char *name = str_of(test, "name");
	pk_diags diags = PK_DIAGS_INIT;
	pk_buf got = PK_BUF_INIT;
	int rc = render_test(&got, test, name, &diags);
	bool ok = !rc && got.len == str_len(test, "expected") &&
		  !memcmp(got.ptr, str_of(test, "expected"), got.len);

	if (!ok) {
		printf("not ok - %s: %s\n", module, name);
		show("expected", str_of(test, "expected"), str_len(test, "expected"));
		show("got", got.ptr, got.len);
		if (diags.len)
			pk_diags_print(&diags, stdout);
	}
	pk_buf_release(&got);
	pk_diags_release(&diags);
	return ok;
}

/* Modules ---------------------------------------------------------------- */

static int load_module(pk_value **out, const char *path)
{
	pk_yaml_opts opts = PK_YAML_OPTS_INIT;
	pk_diags diags = PK_DIAGS_INIT;
	pk_buf text = PK_BUF_INIT;
	int rc = pk_fs_read(&text, path, &diags);

	opts.allow_custom_tags = true;
	if (!rc)
		rc = pk_yaml_parse(out, text.ptr, text.len, path, &opts, &diags);
	pk_diags_print(&diags, stdout);
	pk_diags_release(&diags);
	pk_buf_release(&text);
	return rc;
}

static void run_module(counts *all, const char *dir, const char *file)
{
	char module[256];
	pk_buf path = PK_BUF_INIT;
	pk_value *spec = NULL, *tests;
	size_t i, passed = 0, total = 0;

	snprintf(module, sizeof(module), "%.*s", (int)(strlen(file) - 4), file);
	pk_path_join(&path, dir, file);
	if (load_module(&spec, path.ptr) != PK_OK) {
		printf("not ok - %s: cannot load %s\n", module, path.ptr);
		all->failed++;
		goto done;
	}
	tests = pk_value_map_get(spec, "tests");
	for (i = 0; i < pk_value_len(tests); i++, total++)
		passed += run_test(module, pk_value_list_at(tests, i));
	printf("mustache spec %s: %zu/%zu passed\n", module, passed, total);
	all->passed += passed;
	all->failed += total - passed;
done:
	pk_value_free(spec);
	pk_buf_release(&path);
}

static int compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The *.yml files of dir, sorted; NULL when dir cannot be read. */
static char **list_modules(const char *dir, size_t *n)
{
	DIR *d = opendir(dir);
	struct dirent *ent;
	char **names = NULL;
	size_t cap = 0;

	*n = 0;
	if (!d)
		return NULL;
	while ((ent = readdir(d)) != NULL) {
		size_t len = strlen(ent->d_name);
		if (len <= 4 || strcmp(ent->d_name + len - 4, ".yml"))
			continue;
		PK_GROW(names, cap, *n + 1);
		names[(*n)++] = pk_xstrdup(ent->d_name);
	}
	closedir(d);
	if (*n)
		qsort(names, *n, sizeof(*names), compare_names);
	return names ? names : pk_xcalloc(1, sizeof(*names));
}

int main(void)
{
	const char *dir = getenv("MUSTACHE_SPEC_DIR");
	const char *top = getenv("PRAKTIKA_TOP");
	pk_buf def = PK_BUF_INIT;
	counts all = { 0, 0 };
	char **files;
	size_t i, n;

	if (!dir || !*dir) {
		pk_path_join(&def, top && *top ? top : ".", "../shared/mustache-spec");
		dir = def.ptr;
	}
	files = list_modules(dir, &n);
	if (!files) {
		printf("# skip: mustache spec directory %s not found (set MUSTACHE_SPEC_DIR)\n", dir);
		printf("# counts: 0 passed, 0 failed\n");
		pk_buf_release(&def);
		return 0;
	}
	for (i = 0; i < n; i++) {
		run_module(&all, dir, files[i]);
		free(files[i]);
	}
	free(files);
	printf("# lambdas: every spec lambda runs as a C host object; none skipped\n");
	printf("# counts: %zu passed, %zu failed\n", all.passed, all.failed);
	pk_buf_release(&def);
	return all.failed ? 1 : 0;
}
