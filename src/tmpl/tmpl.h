/*
 * tmpl.h: praktika's own Mustache engine (spec v1.4: core modules,
 * inheritance, dynamic names, lambdas through host objects).
 *
 * A template is compiled once into a compact program and rendered many
 * times into a pk_buf with no re-parsing. Data is the value tree (see
 * value.h); host objects (PK_VALUE_OBJECT) let the application expose
 * computed members and lambdas.
 *
 * Templates live in a pk_tmpl_set, which also resolves partials and
 * parents: first templates added by name, then the loader callback.
 * Compiled templates are owned by the set and live until pk_tmpl_set_free.
 *
 * Errors: syntax errors are reported at compile time with the template's
 * path:line:col; in strict mode a name that resolves nowhere, or an unknown
 * partial, is a render error with the tag's path:line:col. Partial and
 * parent recursion is bounded (PK_TMPL_MAX_DEPTH).
 */
#ifndef PK_TMPL_TMPL_H
#define PK_TMPL_TMPL_H

#include "core/buf.h"
#include "core/diag.h"
#include "value/value.h"

#define PK_TMPL_MAX_DEPTH 100

typedef struct pk_tmpl pk_tmpl;
typedef struct pk_tmpl_set pk_tmpl_set;

enum {
	PK_TMPL_STRICT = 1 << 0, /* unknown names and partials are errors */
};

/*
 * Finds the source of a partial or parent that was not added by name.
 * Appends the template text to out and the file path (for diagnostics) to
 * path. Returns 0, PK_ENOTFOUND, or another error (with diagnostics).
 */
typedef int (*pk_tmpl_loader)(pk_buf *out, pk_buf *path, const char *name, void *payload,
			      pk_diags *diags);

/* A new, empty set; flags are PK_TMPL_* bits. */
pk_tmpl_set *pk_tmpl_set_new(unsigned flags);
void pk_tmpl_set_free(pk_tmpl_set *set);
void pk_tmpl_set_loader(pk_tmpl_set *set, pk_tmpl_loader loader, void *payload);

/*
 * Compiles src as the template called name (path is used in diagnostics).
 * A later add with the same name replaces the earlier one for new lookups.
 * On success *out (if not NULL) is the compiled template, owned by the set.
 */
int pk_tmpl_set_add(pk_tmpl **out, pk_tmpl_set *set, const char *name, const char *src,
		    size_t len, const char *path, pk_diags *diags);

/* The template called name: added earlier, or loaded and compiled now.
 * PK_ENOTFOUND (with a diagnostic) when nothing provides it. */
int pk_tmpl_set_get(pk_tmpl **out, pk_tmpl_set *set, const char *name, pk_diags *diags);

/* Renders t with data as the context stack's root, appending to out.
 * Returns 0, or PK_ERROR with diagnostics (strict mode, lambda failures,
 * recursion limit). Rendering is read-only on the set's templates, so one
 * set may render on several threads at once if its loader is not needed. */
int pk_tmpl_render(pk_buf *out, const pk_tmpl *t, const pk_value *data, pk_diags *diags);

#endif
