/*
 * yaml.h: YAML text into the value tree (the only module that includes
 * libyaml's yaml.h), and the front-matter split of content files.
 *
 * Invariants:
 * - Plain scalars are typed by the YAML 1.2 core schema (null, bool, int,
 *   float; everything else string); quoted and block scalars stay strings.
 *   Plain scalars of the form YYYY-MM-DD or YYYY-MM become dates.
 * - Every value carries its line:col in the original file (line_offset is
 *   added so that front matter reports real file lines).
 * - Limits turn hostile input into an error, never into an OOM or a deep
 *   recursion: nesting depth, total nodes produced by alias expansion.
 * - Duplicate map keys are an error; so is a second document when
 *   allow_multi_doc is off.
 * - Map keys are the text as written ("1: x" has the key "1"); a list or
 *   map as a key is an error. Merge keys (<<) are ordinary keys.
 * - Aliases are expanded into deep copies; the copy's top value carries the
 *   alias's position, the values inside it their anchor's positions.
 * - Errors are reported as "path:line:col: error: message" diagnostics.
 *   Syntax errors and limits stop the parse; other errors (duplicate keys,
 *   tags, integer range) are all reported in one run.
 */
#ifndef PK_YAML_YAML_H
#define PK_YAML_YAML_H

#include "core/common.h"
#include "core/diag.h"
#include "value/value.h"

typedef struct {
	unsigned max_depth;        /* nesting of lists and maps */
	size_t max_nodes;          /* values produced in total, aliases expanded */
	bool allow_multi_doc;      /* if false, a second document is an error */
	bool allow_custom_tags;    /* if false, a local tag like !code is an error */
	int line_offset;           /* added to every reported line */
	size_t max_alias_bytes;    /* bytes of text (strings, keys) that alias
				      expansion may copy in total */
	bool utf8_checked;         /* the caller has validated the text as UTF-8
				      (front matter: the whole file was) */
} pk_yaml_opts;

#define PK_YAML_OPTS_INIT { 64, 1000000, false, false, 0, 16u << 20, false }

/*
 * Parses text (len bytes, UTF-8) into *out. An empty document gives a null
 * value. Returns 0, or PK_ERROR/PK_ELIMIT with diagnostics added under path.
 * With allow_multi_doc, *out is a list of the documents. Custom tags, when
 * allowed, are ignored (the node is typed as if untagged).
 *
 * *out belongs to the caller (pk_value_free) and is NULL on error. opts may
 * be NULL for PK_YAML_OPTS_INIT; path may be NULL. Standard tags are
 * honoured: !!str (and the non-specific "!") keeps a scalar a string,
 * !!int, !!float, !!bool and !!null type it or are an error; other
 * standard tags such as !!binary are ignored. The messages:
 *   invalid UTF-8
 *   <libyaml's problem>, e.g. mapping values are not allowed in this
 *     context (plus a note "while scanning ... that starts here")
 *   duplicate key 'title' (plus a note "the first 'title' is here")
 *   map keys must be plain text
 *   a second YAML document starts here; only one is allowed
 *   custom tag '!code' is not allowed
 *   tag '!!int' does not fit 'abc'
 *   integer out of range: '99999999999999999999'
 *   alias 'x' refers to no anchor before it
 *   alias 'x' is inside the value it refers to
 *   nesting too deep (more than 64 levels)                       (PK_ELIMIT)
 *   document too large: more than 1000000 values after expanding aliases
 *   document too large: more than N bytes of text after expanding aliases
 */
int pk_yaml_parse(pk_value **out, const char *text, size_t len, const char *path,
		  const pk_yaml_opts *opts, pk_diags *diags);

/* A content file split into its YAML front matter and its body. */
typedef struct {
	pk_slice yaml;   /* between the --- lines, without them */
	int yaml_line;   /* file line where the YAML starts (1-based) */
	pk_slice body;   /* after the closing line */
	int body_line;   /* file line where the body starts */
	bool present;    /* false when the file has no front matter */
} pk_frontmatter;

/*
 * Splits text: a UTF-8 BOM is skipped; the first line must be "---" (CRLF
 * tolerated, trailing spaces allowed); the YAML ends at the next "---" or
 * "..." line. When required is true, a missing opening line is an error
 * ("missing front matter: the file must start with a '---' line"); an
 * unclosed one is always an error. Invalid UTF-8 anywhere is an error with
 * its position.
 *
 * The slices point into text. yaml_line is 2; body_line is the line after
 * the closing line, even when the file ends there. Without front matter
 * (and not required), present is false and the body is the whole text
 * after any BOM, from line 1. The unclosed error is at 1:1: "front matter
 * is not closed: no '---' line after it".
 */
int pk_frontmatter_split(pk_frontmatter *out, const char *text, size_t len, const char *path,
			 bool required, pk_diags *diags);

/*
 * Splits and parses: *meta gets the front matter as a map (an empty front
 * matter gives an empty map; a non-map is an error), *fm the split.
 *
 * The front matter is required here: a file without one is the "missing
 * front matter" error (call pk_frontmatter_split with required false first
 * where it is optional). Positions are file positions. *meta belongs to the
 * caller and is NULL on error; *fm is filled as far as the split got. A
 * non-map gives "front matter must be a map of fields, not a list" (or
 * "not a string", "not an integer" ...) at the value.
 */
int pk_frontmatter_parse(pk_value **meta, pk_frontmatter *fm, const char *text, size_t len,
			 const char *path, pk_diags *diags);
/* The parsing half of pk_frontmatter_parse, for a file already split by
 * pk_frontmatter_split (which checked its UTF-8). */
int pk_frontmatter_parse_split(pk_value **meta, const pk_frontmatter *fm, const char *path,
			       pk_diags *diags);

#endif
