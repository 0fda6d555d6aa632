/*
 * config.h: the bank's settings from site.yaml.
 *
 * Every string is owned by the config's YAML document (doc) or by the
 * config itself; base_path always starts and ends with '/'.
 */
#ifndef PK_CONTENT_CONFIG_H
#define PK_CONTENT_CONFIG_H

#include "core/diag.h"
#include "source/source.h"
#include "value/value.h"

#define PK_CONFIG_PER_PAGE_DEFAULT 12

typedef struct {
	const char *title;
	const char *description;    /* "" when absent */
	char *base_url;             /* absolute, ends with '/' ("/" when absent) */
	char *base_path;            /* path part of base_url: "/" or "/bank/" */
	const char *language;       /* "ru" or "en" */
	const char *theme;          /* "default" */
	int per_page;
	const pk_value *publisher;  /* {name, url} or NULL */
	const char *region;         /* default region as written, or NULL */
	pk_pos region_pos;
	const pk_value *menu;       /* list of {title, url} or NULL */
	bool allow_raw_html;
	bool show_contributors;     /* names from git history on pages (personal data) */
	pk_value *doc;              /* site.yaml (owned) */
	char *path;                 /* site.yaml as shown in diagnostics */
} pk_config;

/* Reads and checks site.yaml from src; reports every problem. */
int pk_config_load(pk_config *out, pk_source *src, pk_diags *diags);
void pk_config_release(pk_config *cfg);

#endif
