/*
 * theme.h: finding a theme's templates, strings and static files.
 *
 * A theme is looked up in layers, first match wins:
 *   1. the bank's layouts/ (templates only);
 *   2. the bank's themes/<name>/;
 *   3. each folder of $PRAKTIKA_THEMES (':'-separated), else the themes/
 *      folder of the source tree the binary sits in (build/praktika →
 *      themes/, so a binary run from its build folder uses its own theme),
 *      else the installed themes (PK_DATADIR/themes).
 * Templates are <layer>/templates/<name>.mustache or
 * <layer>/templates/partials/<name>.mustache; strings are
 * <layer>/i18n/<language>.yaml, merged so that earlier layers override
 * later ones key by key; static files are <layer>/static/ (recursively), earlier
 * layers winning per file.
 */
#ifndef PK_SITE_THEME_H
#define PK_SITE_THEME_H

#include "core/diag.h"
#include "core/vec.h"
#include "source/source.h"
#include "tmpl/tmpl.h"
#include "value/value.h"

typedef enum {
	PK_LAYER_LAYOUTS,   /* the bank's layouts/: templates only */
	PK_LAYER_STRINGS,   /* the bank's i18n/: strings only */
	PK_LAYER_THEME,     /* a theme folder: templates, strings, static */
} pk_theme_layer_kind;

typedef struct {
	pk_source *src;     /* borrowed (the bank) or owned (an installed theme) */
	char *prefix;       /* "layouts/", "themes/default/", "" */
	bool owned;
	pk_theme_layer_kind kind;
} pk_theme_layer;

typedef struct {
	char *name;
	pk_vec layers;      /* pk_theme_layer * */
	pk_tmpl_set *templates;
	pk_value *strings;  /* merged i18n map (owned) */
} pk_theme;

/* Finds the theme called name for the bank in src and loads its strings
 * for language. An unknown theme is an error. flags are PK_TMPL_* bits. */
int pk_theme_open(pk_theme *out, pk_source *bank, const char *name, const char *language,
		  unsigned flags, pk_diags *diags);
void pk_theme_close(pk_theme *theme);
/* The compiled template called name. */
int pk_theme_template(pk_tmpl **out, pk_theme *theme, const char *name, pk_diags *diags);
/* Appends every template of every layer (path and bytes): two themes
 * with the same key render the same data the same. */
void pk_theme_key(pk_theme *theme, pk_buf *out);
/* Calls cb for each static file (path relative to static/), each path
 * once, the winning layer's source given. */
typedef int (*pk_theme_static_cb)(pk_source *src, const char *src_path, const char *rel,
				  void *payload);
int pk_theme_each_static(pk_theme *theme, pk_theme_static_cb cb, void *payload,
			 pk_diags *diags);

#endif
