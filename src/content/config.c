#include "content/config.h"
#include "content/schema.h"
#include "core/xalloc.h"
#include "yaml/yaml.h"

#include <stdlib.h>
#include <string.h>

static const pk_field publisher_fields[] = {
	{ "name", PK_FIELD_TEXT, true, NULL },
	{ "url", PK_FIELD_TEXT, false, NULL },
};
static const pk_schema publisher_schema = { "publisher", publisher_fields, 2 };

static const pk_field menu_fields[] = {
	{ "title", PK_FIELD_TEXT, true, NULL },
	{ "url", PK_FIELD_TEXT, true, NULL },
};
static const pk_schema menu_schema = { "menu entry", menu_fields, 2 };

static const pk_field source_fields[] = {
	{ "name", PK_FIELD_TEXT, false, NULL },
	{ "repo", PK_FIELD_TEXT, true, NULL },
	{ "rev", PK_FIELD_TEXT, false, NULL },
	{ "path", PK_FIELD_TEXT, false, NULL },
	{ "prefix", PK_FIELD_TEXT, false, NULL },
	{ "defaults", PK_FIELD_MAP, false, NULL },
};
static const pk_schema source_schema = { "source", source_fields, PK_ARRAY_SIZE(source_fields) };

static const pk_field site_fields[] = {
	{ "title", PK_FIELD_TEXT, true, NULL },
	{ "description", PK_FIELD_TEXT, false, NULL },
	{ "base_url", PK_FIELD_TEXT, false, NULL },
	{ "language", PK_FIELD_TEXT, false, NULL },
	{ "theme", PK_FIELD_TEXT, false, NULL },
	{ "per_page", PK_FIELD_INT, false, NULL },
	{ "publisher", PK_FIELD_MAP, false, &publisher_schema },
	{ "region", PK_FIELD_CODE, false, NULL },
	{ "menu", PK_FIELD_MAPS, false, &menu_schema },
	{ "allow_raw_html", PK_FIELD_BOOL, false, NULL },
	{ "show_contributors", PK_FIELD_BOOL, false, NULL },
	{ "sources", PK_FIELD_MAPS, false, &source_schema },
};
static const pk_schema site_schema = { "site.yaml", site_fields, PK_ARRAY_SIZE(site_fields) };

static const char *text_or(const pk_value *doc, const char *key, const char *fallback)
{
	const char *s = pk_value_str(pk_value_map_get(doc, key));
	return s ? s : fallback;
}

/* Splits base_url into a normalised URL ending in '/' and its path. */
static int set_base(pk_config *cfg, pk_diags *diags)
{
	const pk_value *v = pk_value_map_get(cfg->doc, "base_url");
	const char *url = pk_value_str(v);
	const char *path;
	pk_buf buf = PK_BUF_INIT;

	if (!url || !*url)
		url = "/";
	if (strncmp(url, "http://", 7) && strncmp(url, "https://", 8) && url[0] != '/')
		return pk_diag_error(diags, cfg->path, v->pos,
				     "base_url '%s' must start with http://, https:// or /", url);
	if (strpbrk(url, " \"'<>\\?#"))
		return pk_diag_error(diags, cfg->path, v->pos,
				     "base_url '%s' must not contain spaces, quotes, '?' or '#'", url);
	pk_buf_puts(&buf, url);
	if (buf.ptr[buf.len - 1] != '/')
		pk_buf_putc(&buf, '/');
	cfg->base_url = pk_buf_detach(&buf);
	path = cfg->base_url[0] == '/' ? cfg->base_url : strchr(strstr(cfg->base_url, "//") + 2, '/');
	cfg->base_path = pk_xstrdup(path ? path : "/");
	return PK_OK;
}

static int set_scalars(pk_config *cfg, pk_diags *diags)
{
	const pk_value *v;
	int rc = PK_OK;

	cfg->title = text_or(cfg->doc, "title", "");
	cfg->description = text_or(cfg->doc, "description", "");
	cfg->language = text_or(cfg->doc, "language", "ru");
	cfg->theme = text_or(cfg->doc, "theme", "default");
	if (strcmp(cfg->language, "ru") && strcmp(cfg->language, "en")) {
		v = pk_value_map_get(cfg->doc, "language");
		rc = pk_diag_error(diags, cfg->path, v->pos,
				   "unsupported language '%s' (use 'ru' or 'en')", cfg->language);
	}
	v = pk_value_map_get(cfg->doc, "per_page");
	cfg->per_page = PK_CONFIG_PER_PAGE_DEFAULT;
	if (v && v->type == PK_VALUE_INT) {
		if (v->as.i < 1 || v->as.i > 1000)
			rc = pk_diag_error(diags, cfg->path, v->pos,
					   "per_page must be between 1 and 1000, not %lld", (long long)v->as.i);
		else
			cfg->per_page = (int)v->as.i;
	}
	v = pk_value_map_get(cfg->doc, "allow_raw_html");
	cfg->allow_raw_html = v && v->type == PK_VALUE_BOOL && v->as.b;
	v = pk_value_map_get(cfg->doc, "show_contributors");
	cfg->show_contributors = v && v->type == PK_VALUE_BOOL && v->as.b;
	cfg->publisher = pk_value_map_get(cfg->doc, "publisher");
	cfg->menu = pk_value_map_get(cfg->doc, "menu");
	return rc;
}

static void set_region(pk_config *cfg)
{
	const pk_value *v = pk_value_map_get(cfg->doc, "region");

	if (!v)
		return;
	cfg->region_pos = v->pos;
	if (v->type == PK_VALUE_INT) {
		/* A bare 70 in YAML is an integer: read it as the code "70". */
		pk_buf code = PK_BUF_INIT;
		pk_value *text;
		pk_buf_printf(&code, "%02lld", (long long)v->as.i);
		text = pk_value_new_string(code.ptr, code.len, v->pos);
		pk_buf_release(&code);
		pk_value_map_set(cfg->doc, "region", text);
		v = text;
	}
	cfg->region = pk_value_str(v);
}

int pk_config_load(pk_config *cfg, pk_source *src, pk_diags *diags)
{
	pk_yaml_opts opts = PK_YAML_OPTS_INIT;
	pk_buf text = PK_BUF_INIT, shown = PK_BUF_INIT;
	int rc;

	memset(cfg, 0, sizeof(*cfg));
	pk_source_display_path(&shown, src, "site.yaml");
	cfg->path = pk_buf_detach(&shown);
	rc = pk_source_read(src, &text, "site.yaml", NULL);
	if (rc == PK_ENOTFOUND) {
		rc = pk_diag_error(diags, cfg->path, (pk_pos){ 0, 0 },
				   "site.yaml not found: is this the folder of a bank?");
		goto done;
	}
	if (rc < 0 || (rc = pk_yaml_parse(&cfg->doc, text.ptr, text.len, cfg->path, &opts, diags)) < 0)
		goto done;
	if (cfg->doc->type != PK_VALUE_MAP) {
		rc = pk_diag_error(diags, cfg->path, cfg->doc->pos, "site.yaml must be a map of settings");
		goto done;
	}
	rc = pk_schema_check(&site_schema, cfg->doc, cfg->path, (pk_pos){ 1, 1 }, diags);
	if (set_scalars(cfg, diags) < 0)
		rc = PK_ERROR;
	if (set_base(cfg, diags) < 0)
		rc = PK_ERROR;
	set_region(cfg);
done:
	pk_buf_release(&text);
	if (!cfg->base_url) {
		cfg->base_url = pk_xstrdup("/");
		cfg->base_path = pk_xstrdup("/");
	}
	return rc;
}

void pk_config_release(pk_config *cfg)
{
	free(cfg->base_url);
	free(cfg->base_path);
	free(cfg->path);
	pk_value_free(cfg->doc);
	memset(cfg, 0, sizeof(*cfg));
}
