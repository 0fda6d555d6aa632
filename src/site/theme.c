#include "site/theme.h"
#include "core/fs.h"
#include "core/strmap.h"
#include "core/xalloc.h"
#include "source/inputs.h"
#include "yaml/yaml.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef PK_DATADIR
#define PK_DATADIR "/usr/local/share/praktika"
#endif

static void add_layer(pk_theme *t, pk_source *src, const char *prefix, bool owned,
		      pk_theme_layer_kind kind)
{
	pk_theme_layer *l = pk_xcalloc(1, sizeof(*l));
	l->src = src;
	l->prefix = pk_xstrdup(prefix);
	l->owned = owned;
	l->kind = kind;
	pk_vec_push(&t->layers, l);
}

/* Adds <root>/<name> as a layer when that folder exists. */
static bool add_fs_layer(pk_theme *t, const char *root, pk_diags *diags)
{
	pk_buf dir = PK_BUF_INIT;
	pk_source *src = NULL;
	struct stat st;
	bool found = false, exists;

	pk_path_join(&dir, root, t->name);
	/* which layers exist decides the theme: a build stamp must know */
	exists = stat(dir.ptr, &st) == 0 && S_ISDIR(st.st_mode);
	pk_inputs__dir(dir.ptr, exists ? &st : NULL);
	if (exists && pk_source_worktree_new(&src, dir.ptr, diags) == PK_OK) {
		add_layer(t, src, "", true, PK_LAYER_THEME);
		found = true;
	}
	pk_buf_release(&dir);
	return found;
}

/* Adds the theme found walking up from the binary's folder, at most four
 * levels: <dir>/themes/<name> of the source tree it was built in
 * (build/praktika, build/san/praktika) or <dir>/share/praktika/themes/
 * <name> of the prefix it was installed to (whatever PREFIX it was
 * compiled with). */
static bool add_build_tree_layer(pk_theme *t, pk_diags *diags)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	int level;

	if (n <= 0)
		return false;
	exe[n] = '\0';
	for (level = 0; level < 4; level++) {
		char *slash = strrchr(exe, '/');
		pk_buf dir = PK_BUF_INIT;
		bool found;
		if (!slash || slash == exe)
			return false;
		*slash = '\0';
		pk_buf_printf(&dir, "%s/themes", exe);
		found = add_fs_layer(t, dir.ptr, diags);
		pk_buf_clear(&dir);
		/* installed: PREFIX/bin/praktika → PREFIX/share/praktika/themes */
		pk_buf_printf(&dir, "%s/share/praktika/themes", exe);
		found = found || add_fs_layer(t, dir.ptr, diags);
		pk_buf_release(&dir);
		if (found)
			return true;
	}
	return false;
}

static bool add_system_layers(pk_theme *t, pk_diags *diags)
{
	const char *env = getenv("PRAKTIKA_THEMES");
	bool found = false;

	while (env && *env) {
		const char *end = strchr(env, ':');
		size_t n = end ? (size_t)(end - env) : strlen(env);
		char *root = pk_xstrndup(env, n);
		if (n && add_fs_layer(t, root, diags))
			found = true;
		free(root);
		env += n + (end ? 1 : 0);
	}
	if (!found && add_build_tree_layer(t, diags))
		found = true;
	if (!found && add_fs_layer(t, PK_DATADIR "/themes", diags))
		found = true;
	return found;
}

static bool source_has_dir(pk_source *src, const char *dir)
{
	pk_vec files = PK_VEC_INIT;
	size_t i;
	bool any;

	pk_source_list(src, &files, dir, NULL);
	any = files.len > 0;
	for (i = 0; i < files.len; i++)
		free(files.items[i]);
	pk_vec_release(&files);
	return any;
}

typedef struct {
	pk_theme *theme;
} loader_ctx;

static int read_template(pk_theme_layer *l, const char *sub, const char *name, pk_buf *out,
			 pk_buf *path, pk_diags *diags)
{
	pk_buf rel = PK_BUF_INIT;
	int rc;

	pk_buf_printf(&rel, "%s%s%s.mustache", l->prefix, sub, name);
	rc = pk_source_read(l->src, out, rel.ptr, diags);
	if (rc == PK_OK)
		pk_source_display_path(path, l->src, rel.ptr);
	pk_buf_release(&rel);
	return rc;
}

static int load_template(pk_buf *out, pk_buf *path, const char *name, void *payload,
			 pk_diags *diags)
{
	pk_theme *t = payload;
	static const char *const subs[] = { "templates/", "templates/partials/" };
	static const char *const layout_subs[] = { "", "partials/" };
	size_t i, j;

	if (!pk_source_path_is_safe(name))
		return PK_ENOTFOUND;
	for (i = 0; i < t->layers.len; i++) {
		pk_theme_layer *l = t->layers.items[i];
		if (l->kind == PK_LAYER_STRINGS)
			continue;
		for (j = 0; j < 2; j++) {
			int rc = read_template(l, l->kind == PK_LAYER_LAYOUTS ? layout_subs[j] : subs[j],
					       name, out, path, diags);
			if (rc != PK_ENOTFOUND)
				return rc;
		}
	}
	return PK_ENOTFOUND;
}

static bool is_template_file(const char *path)
{
	size_t n = strlen(path);
	return n > 9 && !strcmp(path + n - 9, ".mustache");
}

/* Appends the path and bytes of every template of layer l. */
static void put_layer_templates(pk_buf *out, pk_theme_layer *l)
{
	pk_buf dir = PK_BUF_INIT, text = PK_BUF_INIT;
	pk_vec files = PK_VEC_INIT;
	size_t i;

	if (l->kind == PK_LAYER_LAYOUTS)
		pk_buf_put(&dir, l->prefix, strlen(l->prefix) ? strlen(l->prefix) - 1 : 0);
	else
		pk_buf_printf(&dir, "%stemplates", l->prefix);
	pk_source_list(l->src, &files, dir.ptr, NULL);
	for (i = 0; i < files.len; i++) {
		const char *path = files.items[i];
		pk_buf_clear(&text);
		if (is_template_file(path) && pk_source_read(l->src, &text, path, NULL) == PK_OK) {
			pk_buf_printf(out, "%zu:%s %zu:", strlen(path), path, text.len);
			pk_buf_put(out, text.ptr, text.len);
		}
		free(files.items[i]);
	}
	pk_vec_release(&files);
	pk_buf_release(&text);
	pk_buf_release(&dir);
}

void pk_theme_key(pk_theme *t, pk_buf *out)
{
	size_t i;
	for (i = 0; i < t->layers.len; i++) {
		pk_theme_layer *l = t->layers.items[i];
		pk_buf_printf(out, "layer %zu\n", i);
		if (l->kind != PK_LAYER_STRINGS)
			put_layer_templates(out, l);
	}
}

/* Merges src into dst key by key: maps recursively, other values replace. */
static void merge_strings(pk_value *dst, pk_value *src, int depth)
{
	size_t i;
	for (i = 0; i < src->as.map.len; i++) {
		pk_map_entry *e = &src->as.map.entries[i];
		pk_value *old = pk_value_map_getn(dst, e->key, e->key_len);
		if (old && old->type == PK_VALUE_MAP && e->value->type == PK_VALUE_MAP && depth < 16) {
			merge_strings(old, e->value, depth + 1);
			continue;
		}
		if (old)
			pk_value_map_set(dst, e->key, e->value);
		else
			pk_value_map_add(dst, e->key, e->key_len, e->key_pos, e->value);
		e->value = pk_value_new_null(e->key_pos);
	}
}

static int load_strings_layer(pk_theme *t, pk_theme_layer *l, const char *language,
			      pk_diags *diags)
{
	pk_yaml_opts opts = PK_YAML_OPTS_INIT;
	pk_buf rel = PK_BUF_INIT, text = PK_BUF_INIT, shown = PK_BUF_INIT;
	pk_value *doc = NULL;
	int rc;

	if (l->kind == PK_LAYER_LAYOUTS)
		return PK_OK;
	pk_buf_printf(&rel, "%si18n/%s.yaml", l->prefix, language);
	rc = pk_source_read(l->src, &text, rel.ptr, diags);
	if (rc == PK_ENOTFOUND) {
		rc = PK_OK;
		goto done;
	}
	pk_source_display_path(&shown, l->src, rel.ptr);
	if (rc < 0 || (rc = pk_yaml_parse(&doc, text.ptr, text.len, shown.ptr, &opts, diags)) < 0)
		goto done;
	if (doc->type != PK_VALUE_MAP) {
		rc = pk_diag_error(diags, shown.ptr, doc->pos, "interface strings must be a map");
		goto done;
	}
	merge_strings(doc, t->strings, 0); /* what is loaded so far wins */
	pk_value_free(t->strings);
	t->strings = doc;
	doc = NULL;
done:
	pk_value_free(doc);
	pk_buf_release(&rel);
	pk_buf_release(&text);
	pk_buf_release(&shown);
	return rc;
}

static int load_strings(pk_theme *t, const char *language, pk_diags *diags)
{
	size_t i;
	int rc = PK_OK;

	t->strings = pk_value_new_map((pk_pos){ 0, 0 });
	for (i = 0; i < t->layers.len; i++)
		if (load_strings_layer(t, t->layers.items[i], language, diags) < 0)
			rc = PK_ERROR;
	return rc;
}

int pk_theme_open(pk_theme *t, pk_source *bank, const char *name, const char *language,
		  unsigned flags, pk_diags *diags)
{
	pk_buf prefix = PK_BUF_INIT;
	bool found;

	memset(t, 0, sizeof(*t));
	t->name = pk_xstrdup(name);
	add_layer(t, bank, "layouts/", false, PK_LAYER_LAYOUTS);
	add_layer(t, bank, "", false, PK_LAYER_STRINGS);
	pk_buf_printf(&prefix, "themes/%s/", name);
	found = source_has_dir(bank, prefix.ptr);
	if (found)
		add_layer(t, bank, prefix.ptr, false, PK_LAYER_THEME);
	pk_buf_release(&prefix);
	if (!add_system_layers(t, diags) && !found)
		return pk_diag_add(diags, PK_DIAG_ERROR, "site.yaml", 0, 0,
				   "theme '%s' not found (looked in themes/%s/ of the bank and in the installed themes)",
				   name, name);
	t->templates = pk_tmpl_set_new(flags);
	pk_tmpl_set_loader(t->templates, load_template, t);
	return load_strings(t, language, diags);
}

void pk_theme_close(pk_theme *t)
{
	size_t i;
	for (i = 0; i < t->layers.len; i++) {
		pk_theme_layer *l = t->layers.items[i];
		if (l->owned)
			pk_source_free(l->src);
		free(l->prefix);
		free(l);
	}
	pk_vec_release(&t->layers);
	pk_tmpl_set_free(t->templates);
	pk_value_free(t->strings);
	free(t->name);
	memset(t, 0, sizeof(*t));
}

int pk_theme_template(pk_tmpl **out, pk_theme *t, const char *name, pk_diags *diags)
{
	return pk_tmpl_set_get(out, t->templates, name, diags);
}

int pk_theme_each_static(pk_theme *t, pk_theme_static_cb cb, void *payload, pk_diags *diags)
{
	pk_strmap seen = PK_STRMAP_INIT;
	size_t i, j;
	int rc = PK_OK;

	for (i = 0; i < t->layers.len && rc == PK_OK; i++) {
		pk_theme_layer *l = t->layers.items[i];
		pk_vec files = PK_VEC_INIT;
		pk_buf dir = PK_BUF_INIT;
		if (l->kind != PK_LAYER_THEME)
			continue;
		pk_buf_printf(&dir, "%sstatic", l->prefix);
		pk_source_list(l->src, &files, dir.ptr, diags);
		for (j = 0; j < files.len; j++) {
			const char *rel = (const char *)files.items[j] + dir.len + 1;
			if (rc == PK_OK && pk_strmap_add(&seen, rel, strlen(rel), (void *)1) == PK_OK)
				rc = cb(l->src, files.items[j], rel, payload);
			free(files.items[j]);
		}
		pk_vec_release(&files);
		pk_buf_release(&dir);
	}
	pk_strmap_release(&seen);
	return rc;
}
