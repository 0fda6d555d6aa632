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
 *
 * Semantics beyond the spec, and choices where it leaves room:
 * - Truthiness (sections, inverted sections): null, false, an empty list
 *   and the empty string are false; everything else is true, including 0,
 *   empty maps and dates. A host object asks its truthy callback; without
 *   one, an object with len/at is false when empty, any other is true.
 * - Strict mode applies to every tag that names data: interpolations,
 *   sections, inverted sections and dynamic names. A key that is present
 *   with a null value resolves (to nothing), so optional data that may be
 *   absent should be written as null, not left out. A dotted name whose
 *   earlier part is null or false is empty, not unknown: with term: null,
 *   {{#term.goal}} renders nothing and is no error, while a misspelt key
 *   in a map that exists ({{term.gaol}}) still is.
 * - Indentation: the blanks before a standalone partial or parent are put
 *   before each line of its template text (not before lines of
 *   interpolated data, and not before empty lines). A block's body loses
 *   its common indentation where it is defined and gets the indentation of
 *   the block it replaces (that of the default content, or of the tag when
 *   the default is empty).
 * - Lambdas: an interpolation lambda's result is rendered with the default
 *   delimiters and then escaped as a whole (as in the reference
 *   implementation, data inside it is thus escaped twice in {{name}});
 *   a section lambda's result is rendered with the delimiters in effect at
 *   the tag and not escaped. Lambda results are never indented, and their
 *   problems are reported at the lambda's tag.
 * - Sections, parents and blocks nest at most PK_TMPL_MAX_NESTING deep in
 *   one template (a compile error beyond that). Partials, parents, block
 *   overrides and lambda results together nest at most PK_TMPL_MAX_DEPTH
 *   deep when rendering ("partial nesting too deep (more than 100
 *   levels)", or "block ..." / "lambda ..." for the tag that went past the
 *   limit). Neither the compiler nor the renderer recurses in C.
 *
 * Threads: compiling (pk_tmpl_set_add, pk_tmpl_set_get) resolves every
 * statically named partial and parent at once, asking the loader for those
 * not added by name; rendering only reads them. Names known only while
 * rendering (dynamic names, partials named in a lambda's result) are looked
 * up, loaded and compiled under the set's mutex. So several threads may
 * render from one set at once, as long as nobody adds templates or changes
 * the loader meanwhile. Set the loader before adding templates.
 */
#ifndef PK_TMPL_TMPL_H
#define PK_TMPL_TMPL_H

#include "core/buf.h"
#include "core/diag.h"
#include "value/value.h"

#define PK_TMPL_MAX_DEPTH 100
#define PK_TMPL_MAX_NESTING 1000

typedef struct pk_tmpl pk_tmpl;
typedef struct pk_tmpl_set pk_tmpl_set;

enum {
	PK_TMPL_STRICT = 1 << 0, /* unknown names and partials are errors */
};

/*
 * Finds the source of a partial or parent that was not added by name.
 * Appends the template text to out and the file path (for diagnostics) to
 * path. Returns 0, PK_ENOTFOUND (without a diagnostic), or another error
 * (with diagnostics). Called at most once per name, with the set's mutex
 * held: it must not call back into the set.
 */
typedef int (*pk_tmpl_loader)(pk_buf *out, pk_buf *path, const char *name, void *payload,
			      pk_diags *diags);

/* A new, empty set; flags are PK_TMPL_* bits. Free it with
 * pk_tmpl_set_free, which frees every template it compiled (NULL is a
 * no-op). */
pk_tmpl_set *pk_tmpl_set_new(unsigned flags);
void pk_tmpl_set_free(pk_tmpl_set *set);
/* Sets the loader asked for names not added; payload is passed to it. */
void pk_tmpl_set_loader(pk_tmpl_set *set, pk_tmpl_loader loader, void *payload);

/*
 * Compiles src as the template called name (path is used in diagnostics;
 * NULL means name), then loads the partials and parents it names that are
 * not in the set yet. A later add with the same name replaces the earlier
 * one for lookups from then on, including the partials of templates
 * compiled before; the earlier template stays valid until the set is
 * freed. On success *out (if not NULL) is the compiled template, owned by
 * the set; on failure it is NULL. A partial that fails to load or compile
 * makes the add fail, though the template itself stays in the set.
 */
int pk_tmpl_set_add(pk_tmpl **out, pk_tmpl_set *set, const char *name, const char *src,
		    size_t len, const char *path, pk_diags *diags);

/* The template called name: added earlier, or loaded and compiled now.
 * PK_ENOTFOUND (with a diagnostic) when nothing provides it. */
int pk_tmpl_set_get(pk_tmpl **out, pk_tmpl_set *set, const char *name, pk_diags *diags);

/* Renders t with data (may be NULL) as the context stack's root, appending
 * to out. Returns 0, or PK_ERROR with diagnostics (strict mode, lambda
 * failures, recursion limit); strict-mode errors do not stop the render,
 * so all of them are reported, once per tag. Rendering is read-only on the
 * set's templates (see "Threads" above). */
int pk_tmpl_render(pk_buf *out, const pk_tmpl *t, const pk_value *data, pk_diags *diags);

#endif
